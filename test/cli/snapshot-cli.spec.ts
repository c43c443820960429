/**
 * `mra snapshot --partner <p>`: the built CLI seals a full snapshot of our register into the
 * gateway database's outbox, releases it (QUEUED, ready for the relay), audits it and shows
 * progress on stderr. A partner without an MRA is refused with a reason code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { OutboundMessageEntity } from '@aeo/exchange';
import { homeRegister } from '@aeo/registry';
import { openGatewayDatabase } from '@aeo/schema';
import type { DataSource } from 'typeorm';
import { homeRecord } from '../support/builders.js';
import { createSqliteDatabase, type TestDatabase } from '../support/databases.js';
import { runMra } from './cli-runner.js';

jest.setTimeout(120_000);

describe('mra snapshot', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let keysDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createSqliteDatabase();
    keysDir = mkdtempSync(join(tmpdir(), 'mra-snapshot-cli-keys-'));
    env = { DATABASE_URL: db.url, MRA_KEYS_DIR: keysDir, MRA_KEY_PASSPHRASE: 'snapshot-cli-test-passphrase' };
    const generated = runMra(['keys', 'generate'], { env });
    expect({ status: generated.status, stderr: generated.stderr }).toEqual({ status: 0, stderr: '' });
    dataSource = await openGatewayDatabase(db.url);
    const records = Array.from({ length: 12 }, (_, i) => homeRecord({}, i + 1));
    await dataSource.transaction((manager) =>
      homeRegister.apply(manager, { environment: 'production', records, source: 'test', sourceMessageId: null, storedAt: Date.now() }),
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('queues every shared record for the partner, released and audited, with progress on stderr', async () => {
    const run = runMra(['snapshot', '--partner', 'kr', '--actor', 'ops-test'], { env });
    expect({ status: run.status, stderr: run.stderr.split('\n').filter((line) => !line.startsWith('snapshot chunks')).join('\n') }).toEqual({ status: 0, stderr: '' });
    const summary = JSON.parse(run.stdout.toString('utf8')) as { snapshotId: string; records: number; chunks: { messageId: string; records: number }[]; notSent: unknown[] };
    expect(summary.records).toBe(12);
    expect(summary.chunks.reduce((sum, chunk) => sum + chunk.records, 0)).toBe(12);
    expect(run.stderr).toContain(`snapshot chunks: ${summary.chunks.length}/${summary.chunks.length} (100%)`);

    const rows = await dataSource.getRepository(OutboundMessageEntity).findBy({ partner: 'kr', messageType: 'AEO_SNAPSHOT' });
    expect(rows.map((row) => row.messageId).sort()).toEqual(summary.chunks.map((chunk) => chunk.messageId).sort());
    expect(rows.every((row) => row.state === 'QUEUED' && row.nextAttemptAt !== null && row.nextAttemptAt <= Date.now())).toBe(true);
    const audited: Array<{ details: string }> = await dataSource.query(
      `SELECT details FROM audit_entry WHERE type = 'SNAPSHOT_QUEUED' AND actor = 'ops-test'`,
    );
    expect(audited).toHaveLength(1);
    expect(JSON.parse(audited[0].details)).toMatchObject({ snapshotId: summary.snapshotId, records: 12, chunkCount: summary.chunks.length });
  });

  it('refuses a partner we have no MRA with, exit 2 and a reason code, queuing nothing', async () => {
    const before = await dataSource.getRepository(OutboundMessageEntity).count();
    const run = runMra(['snapshot', '--partner', 'xx'], { env });
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: { code: 'INVALID_VALUE', path: '--partner' } });
    expect(await dataSource.getRepository(OutboundMessageEntity).count()).toBe(before);
  });
});
