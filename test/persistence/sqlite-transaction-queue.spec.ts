/**
 * On SQLite a DataSource has ONE connection. Without the transaction queue (libs/persistence),
 * overlapping `dataSource.transaction` calls interleave BEGIN/COMMIT on it and fail with
 * "cannot start a transaction within a transaction" — or commit one caller's writes inside
 * another's transaction. These tests run the overlapping patterns the runtime produces.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { AuditLog, verifyAuditLog, type AuditEntryInput } from '@aeo/audit';
import { isInsideQueuedTransaction } from '@aeo/persistence';
import { createSqliteDatabase, type TestDatabase } from '../support/databases.js';
import { openAuditDatabase } from '../audit/audit-support.js';

jest.setTimeout(60_000);

const entry = (n: number): AuditEntryInput => ({
  direction: 'INTERNAL',
  type: 'OPERATOR_ACTION',
  outcome: 'ACCEPTED',
  actor: `writer-${n}`,
  details: { n },
});

describe('SQLite transaction queue', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeEach(async () => {
    db = await createSqliteDatabase();
    dataSource = await openAuditDatabase(db);
    await dataSource.query('CREATE TABLE scratch (id INTEGER PRIMARY KEY, writer INTEGER NOT NULL)');
  });
  afterEach(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('runs 60 overlapping transactions, commits the 40 that succeed and none of the 20 that fail', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, (_, writer) =>
        dataSource.transaction(async (manager) => {
          await manager.query('INSERT INTO scratch (writer) VALUES (?)', [writer]);
          await new Promise((resolve) => setTimeout(resolve, writer % 3)); // yield mid-transaction
          await manager.query('INSERT INTO scratch (writer) VALUES (?)', [writer]);
          if (writer % 3 === 2) throw new Error(`writer ${writer} gives up`);
        }),
      ),
    );
    const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String(outcome.reason)] : []));
    expect(failures).toHaveLength(20);
    expect(failures.every((reason) => /gives up/.test(reason))).toBe(true);
    const rows: Array<{ writer: number; n: number }> = await dataSource.query(
      'SELECT writer, COUNT(*) AS n FROM scratch GROUP BY writer ORDER BY writer',
    );
    const expected = Array.from({ length: 60 }, (_, writer) => writer).filter((writer) => writer % 3 !== 2);
    expect(rows.map((row) => row.writer)).toEqual(expected);
    expect(rows.every((row) => Number(row.n) === 2)).toBe(true);
  });

  it('nests a transaction opened inside a queued one instead of waiting for itself', async () => {
    const seen = await dataSource.transaction(async (outer) => {
      await outer.query('INSERT INTO scratch (writer) VALUES (1)');
      const inner = await dataSource.transaction(async (nested) => {
        await nested.query('INSERT INTO scratch (writer) VALUES (2)');
        return isInsideQueuedTransaction(dataSource);
      });
      return inner;
    });
    expect(seen).toBe(true);
    expect(await dataSource.query('SELECT writer FROM scratch ORDER BY writer')).toEqual([{ writer: 1 }, { writer: 2 }]);
  });

  it('mixes audit appends with and without a caller transaction, without deadlock, on one intact chain', async () => {
    const log = new AuditLog(dataSource);
    await Promise.all(
      Array.from({ length: 90 }, (_, n) =>
        n % 2 === 0
          ? log.append([entry(n)])
          : dataSource.transaction(async (manager) => {
              await manager.query('INSERT INTO scratch (writer) VALUES (?)', [n]);
              await log.append([entry(n), entry(n)], manager);
            }),
      ),
    );
    const report = await verifyAuditLog(dataSource);
    expect(report).toMatchObject({ ok: true, entries: 45 + 45 * 2, problem: null });
    expect(await dataSource.query('SELECT COUNT(*) AS n FROM scratch')).toEqual([{ n: 45 }]);
  });
});
