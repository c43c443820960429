import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { GatewayError } from '@aeo/domain';
import {
  AuditLog,
  getAuditEntry,
  parseAuditQuery,
  searchAudit,
  type AuditEntry,
  type AuditQuery,
} from '@aeo/audit';
import { DATABASES, type TestDatabase } from '../support/databases.js';
import { openAuditDatabase, sampleEntries } from './audit-support.js';

// Real databases on a shared machine: give them time.
jest.setTimeout(30_000);

const T0 = Date.parse('2026-11-01T00:00:00Z');
const HOUR = 3_600_000;

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof GatewayError) return `${error.code} ${error.path}`;
    throw error;
  }
  return 'no error';
}

async function rejectionOf(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (error) {
    if (error instanceof GatewayError) return `${error.code} ${error.path}`;
    throw error;
  }
  return 'no error';
}

describe.each(DATABASES)('audit search on %s', (_kind, createDatabase) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let all: AuditEntry[];

  beforeAll(async () => {
    db = await createDatabase();
    dataSource = await openAuditDatabase(db);
    let now = T0;
    const log = new AuditLog(dataSource, { clock: () => now });
    all = [];
    // 10 hourly batches of 40 entries: seq 1..400, recordedAt T0 + h hours.
    for (let hour = 0; hour < 10; hour++) {
      now = T0 + hour * HOUR;
      all.push(...(await log.append(sampleEntries(40, hour * 40))));
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const expectSeqs = async (query: AuditQuery, predicate: (entry: AuditEntry) => boolean) => {
    const page = await searchAudit(dataSource, { limit: 500, order: 'asc', ...query });
    const expected = all.filter(predicate).map((entry) => entry.seq);
    expect(expected.length).toBeGreaterThan(0);
    expect(page.entries.map((entry) => entry.seq)).toEqual(expected);
    expect(page.nextCursor).toBeNull();
  };

  it('filters by partner, AEO id, message id, correlation id, type, outcome, direction and time', async () => {
    await expectSeqs({ partner: 'kr' }, (entry) => entry.partner === 'kr');
    await expectSeqs({ aeoId: 'CNAEO0008' }, (entry) => entry.aeoId === 'CNAEO0008');
    await expectSeqs({ messageId: 'msg-cn-000000' }, (entry) => entry.messageId === 'msg-cn-000000');
    await expectSeqs({ correlationId: 'corr-42' }, (entry) => entry.correlationId === 'corr-42');
    await expectSeqs(
      { type: 'VERIFICATION', outcome: 'SIGNATURE_INVALID' },
      (e) => e.type === 'VERIFICATION' && e.outcome === 'SIGNATURE_INVALID',
    );
    await expectSeqs(
      { direction: 'OUT', partner: 'tr' },
      (entry) => entry.direction === 'OUT' && entry.partner === 'tr',
    );
    await expectSeqs(
      { from: new Date(T0 + 2 * HOUR), to: T0 + 4 * HOUR, partner: 'cn' },
      (entry) =>
        entry.recordedAt >= T0 + 2 * HOUR && entry.recordedAt < T0 + 4 * HOUR && entry.partner === 'cn',
    );
    expect((await searchAudit(dataSource, { partner: 'xx' })).entries).toEqual([]);
  });

  it('pages by seq with a cursor, newest first by default, oldest first on request', async () => {
    const seen: number[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = await searchAudit(dataSource, {
        partner: 'tr',
        limit: 33,
        ...(cursor === undefined ? {} : { cursor }),
      });
      seen.push(...page.entries.map((entry) => entry.seq));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(
      all
        .filter((entry) => entry.partner === 'tr')
        .map((entry) => entry.seq)
        .reverse(),
    );

    const ascending = await searchAudit(dataSource, { order: 'asc', limit: 3, cursor: 397 });
    expect(ascending.entries.map((entry) => entry.seq)).toEqual([398, 399, 400]);
    expect(ascending.nextCursor).toBeNull();
    const first = await searchAudit(dataSource, { limit: 2 });
    expect(first.entries.map((entry) => entry.seq)).toEqual([400, 399]);
    expect(first.nextCursor).toBe(399);
  });

  it('returns whole entries, and one entry by seq', async () => {
    const entry = await getAuditEntry(dataSource, 5);
    expect(entry).toEqual(all[4]);
    expect(entry!.details).toEqual({ messageType: 'AEO_STATUS_DELTA', records: 1 });
    expect(await getAuditEntry(dataSource, 401)).toBeNull();
    expect(await rejectionOf(() => getAuditEntry(dataSource, 0))).toBe('INVALID_VALUE /seq');
  });

  it('refuses a page larger than 500 and malformed filters', async () => {
    expect(await rejectionOf(() => searchAudit(dataSource, { limit: 501 }))).toBe('INVALID_VALUE /limit');
    expect(await rejectionOf(() => searchAudit(dataSource, { limit: 0 }))).toBe('INVALID_VALUE /limit');
    expect(await rejectionOf(() => searchAudit(dataSource, { partner: '' }))).toBe('INVALID_VALUE /partner');
    expect(await rejectionOf(() => searchAudit(dataSource, { from: new Date('nonsense') }))).toBe(
      'INVALID_VALUE /from',
    );
  });
});

describe('HTTP query parameters to an audit query', () => {
  it('parses strings into typed filters', () => {
    expect(
      parseAuditQuery({
        partner: 'cn',
        aeoId: 'CN1234567890',
        type: 'MESSAGE_RECEIVED',
        outcome: 'ACCEPTED',
        direction: 'IN',
        from: '2026-11-01',
        to: '2026-11-02T12:30:00+05:00',
        cursor: '120',
        limit: '50',
        order: 'asc',
      }),
    ).toEqual({
      partner: 'cn',
      aeoId: 'CN1234567890',
      type: 'MESSAGE_RECEIVED',
      outcome: 'ACCEPTED',
      direction: 'IN',
      from: Date.parse('2026-11-01T00:00:00Z'),
      to: Date.parse('2026-11-02T07:30:00Z'),
      cursor: 120,
      limit: 50,
      order: 'asc',
    });
    expect(parseAuditQuery({ from: '1795824000000' })).toEqual({ from: 1795824000000 });
  });

  it('names the parameter that is wrong', () => {
    expect(codeOf(() => parseAuditQuery({ limit: 'ten' }))).toBe('INVALID_VALUE /limit');
    expect(codeOf(() => parseAuditQuery({ from: '01/11/2026' }))).toBe('INVALID_VALUE /from');
    expect(codeOf(() => parseAuditQuery({ to: '2026-11-02T12:30:00' }))).toBe('INVALID_VALUE /to');
    expect(codeOf(() => parseAuditQuery({ direction: 'UP' }))).toBe('INVALID_VALUE /direction');
    expect(codeOf(() => parseAuditQuery({ order: 'random' }))).toBe('INVALID_VALUE /order');
    expect(codeOf(() => parseAuditQuery({ partnr: 'cn' }))).toBe('INVALID_VALUE /partnr');
  });
});
