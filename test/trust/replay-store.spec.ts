/**
 * The replay store on the real databases: the table comes from the migration (never
 * synchronize), the (partner, jti) insert is atomic across two DataSources standing in for
 * two gateway instances, and expired rows can be purged.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { openDataSource } from '@aeo/persistence';
import { TypeOrmReplayStore, trustEntities, trustMigrations } from '@aeo/trust';
import { DATABASES, type TestDatabase } from '../support/databases.js';
import { homeVerifier, NOW, partnerContext, tokenFromPartner } from './support/trust-fixtures.js';

const open = (database: TestDatabase) =>
  openDataSource({ url: database.url, entities: trustEntities, migrations: trustMigrations, poolSize: 4 });
const entry = (jti: string, expiresAt: Date = new Date(NOW.getTime() + 86_400_000), partner = 'cn') => ({
  partner,
  jti,
  receivedAt: NOW,
  expiresAt,
});

describe.each(DATABASES)('TypeOrmReplayStore on %s', (_kind, createDatabase) => {
  let database: TestDatabase;
  let instanceA: DataSource;
  let instanceB: DataSource;

  beforeAll(async () => {
    database = await createDatabase();
    instanceA = await open(database);
    instanceB = await open(database);
  });

  afterAll(async () => {
    await instanceA?.destroy();
    await instanceB?.destroy();
    await database?.drop();
  });

  it('creates its table from the migration', async () => {
    const executed = await instanceA.query(`SELECT "name" FROM "migrations"`);
    expect(executed.map((row: { name: string }) => row.name)).toContain(
      'CreateTrustReplayGuard1764316800000',
    );
    const runner = instanceA.createQueryRunner();
    try {
      const table = await runner.getTable('trust_replay_guard');
      expect(table?.primaryColumns.map((c) => c.name).sort()).toEqual(['jti', 'partner']);
      expect(table?.indices.map((i) => i.name)).toContain('idx_trust_replay_guard_expires_at');
    } finally {
      await runner.release();
    }
  });

  it('says first for a new (partner, jti), replay for a seen one, and keeps partners apart', async () => {
    const store = new TypeOrmReplayStore(instanceA);
    const jti = randomUUID();
    expect(await store.remember(entry(jti))).toBe('first');
    expect(await store.remember(entry(jti))).toBe('replay');
    expect(await new TypeOrmReplayStore(instanceB).remember(entry(jti))).toBe('replay');
    expect(await store.remember(entry(jti, undefined, 'kr'))).toBe('first');
  });

  it('lets exactly one of two instances win each race for the same message id', async () => {
    const a = new TypeOrmReplayStore(instanceA);
    const b = new TypeOrmReplayStore(instanceB);
    const ids = Array.from({ length: 40 }, () => randomUUID());
    const outcomes = await Promise.all(
      ids.flatMap((jti) => [a.remember(entry(jti)), b.remember(entry(jti)), a.remember(entry(jti))]),
    );
    for (let i = 0; i < ids.length; i++) {
      const forId = outcomes.slice(i * 3, i * 3 + 3);
      expect(forId.filter((o) => o === 'first')).toHaveLength(1);
    }
  });

  it('purges expired rows only; a purged id is free again', async () => {
    const store = new TypeOrmReplayStore(instanceA);
    const expired = randomUUID();
    const live = randomUUID();
    await store.remember(entry(expired, new Date(NOW.getTime() - 1000)));
    await store.remember(entry(live, new Date(NOW.getTime() + 1000)));
    expect(await store.purgeExpired(NOW)).toBeGreaterThanOrEqual(1);
    expect(await store.remember(entry(live))).toBe('replay');
    expect(await store.remember(entry(expired))).toBe('first');
  });

  it('backs the verifier: a replayed message is refused by another instance', async () => {
    const jti = randomUUID();
    const token = await tokenFromPartner('cn', { messageId: jti });
    const first = await homeVerifier({ replayStore: new TypeOrmReplayStore(instanceA) });
    const second = await homeVerifier({ replayStore: new TypeOrmReplayStore(instanceB) });
    await expect(first.verify(token, partnerContext('cn'))).resolves.toBeDefined();
    await expect(second.verify(token, partnerContext('cn'))).rejects.toMatchObject({
      code: 'REPLAYED_MESSAGE',
    });
    const [row] = await instanceA.query(
      `SELECT "expires_at", "received_at" FROM "trust_replay_guard" WHERE "partner" = 'cn' AND "jti" = '${jti}'`,
    );
    expect(Number(row.expires_at) - Number(row.received_at)).toBe(7 * 86_400_000);
  });

  it('reverts cleanly and re-applies', async () => {
    const scratch = await open(database);
    const runner = scratch.createQueryRunner();
    try {
      await scratch.undoLastMigration();
      expect(await runner.hasTable('trust_replay_guard')).toBe(false);
      await scratch.runMigrations();
      expect(await runner.hasTable('trust_replay_guard')).toBe(true);
    } finally {
      await runner.release();
      await scratch.destroy();
    }
  });
});
