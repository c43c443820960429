/**
 * Group commit (`AuditLog.appendGroupCommitted`) on the real databases: many callers at
 * once, each answered only after its own entry committed; a failed batch rejects all of its
 * callers and writes nothing, and the log carries on.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { GatewayError } from '@aeo/domain';
import {
  AuditLog,
  aes256GcmPayloadCipher,
  getAuditEntry,
  verifyAuditLog,
  type AuditEntry,
  type AuditEntryInput,
  type PayloadCipher,
} from '@aeo/audit';
import { DATABASES, type TestDatabase } from '../support/databases.js';
import { openAuditDatabase, rawQuery } from './audit-support.js';

// Real databases on a shared machine: give them time.
jest.setTimeout(60_000);

const CALLERS = 300;

function decision(n: number): AuditEntryInput {
  return {
    direction: 'INTERNAL',
    type: 'RECOGNITION_DECISION',
    outcome: n % 7 === 0 ? 'NOT_FOUND' : 'RECOGNISED',
    partner: 'cn',
    aeoId: `CNAEO${String(n).padStart(6, '0')}`,
    actor: 'risk-system',
    details: { caller: n },
  };
}

/** A payload cipher that fails on one marked plaintext: a storage failure inside the transaction. */
function cipherFailingOn(poison: string): PayloadCipher {
  const real = aes256GcmPayloadCipher('payload-test', Buffer.alloc(32, 3));
  return {
    id: real.id,
    seal(plaintext, associated) {
      if (Buffer.from(plaintext).toString('utf8') === poison) throw new Error('storage failure (injected)');
      return real.seal(plaintext, associated);
    },
    open: (sealed, associated) => real.open(sealed, associated),
  };
}

async function callersIn(dataSource: DataSource): Promise<number[]> {
  const rows = await rawQuery<{ details: string }>(
    dataSource,
    `SELECT "details" FROM "audit_entry" WHERE "type" = 'RECOGNITION_DECISION' ORDER BY "seq"`,
  );
  return rows.map((row) => (JSON.parse(row.details) as { caller: number }).caller);
}

describe.each(DATABASES)('audit group commit on %s', (_kind, createDatabase) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  /** A second connection to the same database: what it reads was committed. */
  let reader: DataSource;

  beforeEach(async () => {
    db = await createDatabase();
    dataSource = await openAuditDatabase(db);
    reader = await openAuditDatabase(db);
  });

  afterEach(async () => {
    await reader?.destroy();
    await dataSource?.destroy();
    await db?.drop();
  });

  it('many concurrent callers: every entry exactly once, each committed before its caller hears back, one valid chain', async () => {
    const log = new AuditLog(dataSource, { groupCommitMaxEntries: 64 });
    const transaction = jest.spyOn(dataSource.manager, 'transaction');
    const seenByReader = new Map<number, AuditEntry | null>();
    const appended = await Promise.all(
      Array.from({ length: CALLERS }, async (_, n) => {
        // Staggered arrival, so batches form while others are in flight.
        if (n % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
        const entry = await log.appendGroupCommitted(decision(n));
        seenByReader.set(n, await getAuditEntry(reader, entry.seq));
        return entry;
      }),
    );

    for (const [n, entry] of appended.entries()) {
      expect(entry.details).toEqual({ caller: n });
      expect(seenByReader.get(n)).toMatchObject({ seq: entry.seq, hash: entry.hash, details: { caller: n } });
    }
    expect(new Set(appended.map((entry) => entry.seq)).size).toBe(CALLERS);
    expect((await callersIn(reader)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: CALLERS }, (_, n) => n),
    );
    // Grouped: at most 64 entries per transaction, and far fewer transactions than callers.
    expect(transaction.mock.calls.length).toBeGreaterThanOrEqual(Math.ceil(CALLERS / 64));
    expect(transaction.mock.calls.length).toBeLessThan(CALLERS / 4);
    const report = await verifyAuditLog(reader);
    expect(report).toMatchObject({ ok: true, entries: CALLERS, lastSeq: CALLERS });
  });

  it('a failed batch rejects every caller in it and writes none of them; the next batch commits', async () => {
    const log = new AuditLog(dataSource, { payloadCipher: cipherFailingOn('poison') });
    await log.appendGroupCommitted(decision(0));

    // Submitted in one tick, so they travel in one batch; one of them cannot be stored.
    const doomed = [1, 2, 3, 4].map((n) =>
      log.appendGroupCommitted({ ...decision(n), payload: Buffer.from(n === 3 ? 'poison' : `bytes ${n}`) }),
    );
    const outcomes = await Promise.allSettled(doomed);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect(((outcome as PromiseRejectedResult).reason as Error).message).toMatch(/storage failure/);
    }
    expect(await callersIn(reader)).toEqual([0]);

    const later = await Promise.all([5, 6].map((n) => log.appendGroupCommitted(decision(n))));
    expect(later.map((entry) => entry.seq)).toEqual([2, 3]);
    expect(await callersIn(reader)).toEqual([0, 5, 6]);
    expect(await verifyAuditLog(reader)).toMatchObject({ ok: true, entries: 3 });
  });

  it("a caller's bad input fails that caller only; the rest of its batch commits", async () => {
    const log = new AuditLog(dataSource);
    const results = await Promise.allSettled([
      log.appendGroupCommitted(decision(1)),
      log.appendGroupCommitted({ ...decision(2), outcome: 'not a code' }),
      log.appendGroupCommitted(decision(3)),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const reason = (results[1] as PromiseRejectedResult).reason as GatewayError;
    expect(reason).toBeInstanceOf(GatewayError);
    expect(reason).toMatchObject({ code: 'INVALID_VALUE', path: '/0/outcome' });
    expect(await callersIn(reader)).toEqual([1, 3]);
  });

  it('interleaves with ordinary appends on the same chain', async () => {
    const log = new AuditLog(dataSource, { groupCommitMaxEntries: 8 });
    await Promise.all([
      ...Array.from({ length: 40 }, (_, n) => log.appendGroupCommitted(decision(n))),
      log.append(Array.from({ length: 20 }, (_, n) => decision(1_000 + n))),
      dataSource.transaction((manager) => log.append([decision(2_000)], manager)),
    ]);
    expect(await verifyAuditLog(reader)).toMatchObject({ ok: true, entries: 61 });
  });
});
