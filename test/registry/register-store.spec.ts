import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDataSource } from '@aeo/persistence';
import { REGISTRY_ENTITIES, REGISTRY_MIGRATIONS, foreignRegister } from '@aeo/registry';
import type { AeoRecord, AeoStatus } from '@aeo/domain';
import type { DataSource } from 'typeorm';
import { DATABASES, type TestDatabase } from '../support/databases.js';
import { homeRecord } from '../support/builders.js';
import { eventually } from '../support/eventually.js';

function cnRecord(serial: number, version: number, status: AeoStatus): AeoRecord {
  const code = String(1_000_000_000 + serial);
  return {
    ...homeRecord(),
    programme: 'CN-GACC',
    aeoId: `AEOCN${code}`,
    aeoIdNormalized: `CN${code}`,
    traderIds: [],
    authorisationType: 'CN_ADVANCED_CERTIFIED',
    status,
    recordVersion: version,
    lastChangedAt: `2024-06-01T10:${String(version % 60).padStart(2, '0')}:00Z`,
  };
}

const STATUSES: AeoStatus[] = ['ACTIVE', 'SUSPENDED', 'ACTIVE', 'REVOKED'];

describe.each(DATABASES)('AEO register store on %s', (_name, create) => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await create();
    dataSource = await openDataSource({ url: db.url, entities: REGISTRY_ENTITIES, migrations: REGISTRY_MIGRATIONS });
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('leaves every AEO in its latest state when 1,000 updates arrive shuffled', async () => {
    // 100 AEOs × 10 versions, applied in a seeded random order and in batches of 50.
    const updates = Array.from({ length: 100 }, (_, aeo) =>
      Array.from({ length: 10 }, (__, v) => cnRecord(aeo, v + 1, STATUSES[(aeo + v) % STATUSES.length])),
    ).flat();
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = updates.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [updates[i], updates[j]] = [updates[j], updates[i]];
    }
    for (let i = 0; i < updates.length; i += 50) {
      await dataSource.transaction((manager) =>
        foreignRegister.apply(manager, { environment: 'production', records: updates.slice(i, i + 50), source: 'cn', sourceMessageId: null, storedAt: i }),
      );
    }
    const stored = await foreignRegister.list(dataSource.manager, 'production', 'CN-GACC');
    expect(stored).toHaveLength(100);
    for (const { record } of stored) {
      const aeo = Number(record.aeoIdNormalized.slice(2)) - 1_000_000_000;
      expect(record.recordVersion).toBe(10);
      expect(record.status).toBe(STATUSES[(aeo + 9) % STATUSES.length]);
    }
  });

  it('reports an older version as ignored and keeps the newer one', async () => {
    const newer = cnRecord(500, 5, 'SUSPENDED');
    const older = cnRecord(500, 4, 'ACTIVE');
    const results = await dataSource.transaction(async (manager) => [
      ...(await foreignRegister.apply(manager, { environment: 'production', records: [newer], source: 'cn', sourceMessageId: 'm1', storedAt: 1000 })),
      ...(await foreignRegister.apply(manager, { environment: 'production', records: [older], source: 'cn', sourceMessageId: 'm2', storedAt: 2000 })),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['APPLIED', 'IGNORED_OLDER_VERSION']);
    expect((await foreignRegister.find(dataSource.manager, 'production', 'CN-GACC', 'CN1000000500'))?.record.status).toBe('SUSPENDED');
  });

  it('answers what was stored as of a past time', async () => {
    const key = ['production', 'CN-GACC', 'CN1000000600'] as const;
    await dataSource.transaction(async (manager) => {
      await foreignRegister.apply(manager, { environment: 'production', records: [cnRecord(600, 1, 'ACTIVE')], source: 'cn', sourceMessageId: 'a', storedAt: 10_000 });
      await foreignRegister.apply(manager, { environment: 'production', records: [cnRecord(600, 2, 'SUSPENDED')], source: 'cn', sourceMessageId: 'b', storedAt: 20_000 });
    });
    expect(await foreignRegister.findAsOf(dataSource.manager, ...key, 5_000)).toBeUndefined();
    expect((await foreignRegister.findAsOf(dataSource.manager, ...key, 15_000))?.record.status).toBe('ACTIVE');
    expect((await foreignRegister.findAsOf(dataSource.manager, ...key, 25_000))?.sourceMessageId).toBe('b');
  });

  it('keeps pilot data apart from production', async () => {
    await dataSource.transaction((manager) =>
      foreignRegister.apply(manager, { environment: 'pilot', records: [cnRecord(700, 1, 'ACTIVE')], source: 'cn', sourceMessageId: null, storedAt: 1 }),
    );
    expect(await foreignRegister.find(dataSource.manager, 'production', 'CN-GACC', 'CN1000000700')).toBeUndefined();
    expect(await foreignRegister.find(dataSource.manager, 'pilot', 'CN-GACC', 'CN1000000700')).toBeDefined();
  });
});

// SQLite serialises writers for the whole database, so the race below can only happen on PostgreSQL.
describe('concurrent writers on postgres', () => {
  it('never leave an older version current, and never answer APPLIED for a version not stored', async () => {
    const db = await DATABASES[1][1]();
    const first = await openDataSource({ url: db.url, entities: REGISTRY_ENTITIES, migrations: REGISTRY_MIGRATIONS });
    const second = await openDataSource({ url: db.url, entities: REGISTRY_ENTITIES, migrations: REGISTRY_MIGRATIONS });
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let applied!: () => void;
      const firstApplied = new Promise<void>((resolve) => (applied = resolve));
      // Instance A writes version 3 and holds its transaction open.
      const a = first.transaction(async (m) => {
        await foreignRegister.apply(m, { environment: 'production', records: [cnRecord(900, 3, 'REVOKED')], source: 'cn', sourceMessageId: 'a', storedAt: 1 });
        applied();
        await held;
      });
      await firstApplied;
      // Instance B reads no committed row, so it decides to write version 2; its insert waits for A.
      const b = second.transaction((m) =>
        foreignRegister.apply(m, { environment: 'production', records: [cnRecord(900, 2, 'ACTIVE')], source: 'cn', sourceMessageId: 'b', storedAt: 2 }),
      );
      // Let A commit only once B's insert is queued behind A's row lock: then B has already decided.
      await eventually(async () => {
        const [row] = await first.query(`SELECT COUNT(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        expect(row.waiting).toBeGreaterThan(0);
      });
      release();
      await a;
      // B's version was not stored: rather than answer APPLIED and write history for it, B's
      // transaction fails as transient and rolls back, to be retried from the stored version.
      await expect(b).rejects.toMatchObject({ name: 'GatewayError', code: 'TRANSIENT_FAILURE' });
      const stored = await foreignRegister.find(first.manager, 'production', 'CN-GACC', 'CN1000000900');
      expect(stored?.record).toMatchObject({ recordVersion: 3, status: 'REVOKED' });
      const history: Array<{ record_version: string }> = await first.query(`SELECT record_version FROM foreign_aeo_history WHERE aeo_id_normalized = 'CN1000000900'`);
      expect(history.map((h) => Number(h.record_version))).toEqual([3]);
    } finally {
      await first.destroy();
      await second.destroy();
      await db.drop();
    }
  });

  it('answers IGNORED_OLDER_VERSION, and writes no history, for a version another instance overtook while it was in flight', async () => {
    const db = await DATABASES[1][1]();
    const first = await openDataSource({ url: db.url, entities: REGISTRY_ENTITIES, migrations: REGISTRY_MIGRATIONS });
    const second = await openDataSource({ url: db.url, entities: REGISTRY_ENTITIES, migrations: REGISTRY_MIGRATIONS });
    try {
      await first.transaction((m) =>
        foreignRegister.apply(m, { environment: 'production', records: [cnRecord(901, 1, 'ACTIVE')], source: 'cn', sourceMessageId: 'v1', storedAt: 1 }),
      );
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let applied!: () => void;
      const firstApplied = new Promise<void>((resolve) => (applied = resolve));
      // Instance A stores version 3 over the committed version 1 and holds its transaction open.
      const a = first.transaction(async (m) => {
        const results = await foreignRegister.apply(m, { environment: 'production', records: [cnRecord(901, 3, 'REVOKED')], source: 'cn', sourceMessageId: 'a', storedAt: 2 });
        applied();
        await held;
        return results;
      });
      await firstApplied;
      // Instance B brings version 2: its read of the stored version waits for A.
      const b = second.transaction((m) =>
        foreignRegister.apply(m, { environment: 'production', records: [cnRecord(901, 2, 'SUSPENDED')], source: 'cn', sourceMessageId: 'b', storedAt: 3 }),
      );
      await eventually(async () => {
        const [row] = await first.query(`SELECT COUNT(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        expect(row.waiting).toBeGreaterThan(0);
      });
      release();
      const [resultsA, resultsB] = await Promise.all([a, b]);
      expect(resultsA.map((r) => r.outcome)).toEqual(['APPLIED']);
      expect(resultsB.map((r) => r.outcome)).toEqual(['IGNORED_OLDER_VERSION']);
      const stored = await foreignRegister.find(first.manager, 'production', 'CN-GACC', 'CN1000000901');
      expect(stored?.record).toMatchObject({ recordVersion: 3, status: 'REVOKED' });
      const history: Array<{ record_version: string }> = await first.query(
        `SELECT record_version FROM foreign_aeo_history WHERE aeo_id_normalized = 'CN1000000901' ORDER BY id`,
      );
      expect(history.map((h) => Number(h.record_version))).toEqual([1, 3]);
    } finally {
      await first.destroy();
      await second.destroy();
      await db.drop();
    }
  });
});
