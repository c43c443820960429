/**
 * The migrations are the schema: after running them on a fresh database, TypeORM's schema
 * builder must find nothing to change for the entities (the CI form of "generating a
 * migration from the entities produces nothing"). Each library adds one line to SCHEMAS;
 * then the gateway's whole schema (libs/schema) is checked as one.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { DataSource, EntitySchema, MixedList } from 'typeorm';
import { openDataSource } from '@aeo/persistence';
import { auditEntities, auditMigrations } from '@aeo/audit';
import { EXCHANGE_ENTITIES, EXCHANGE_MIGRATIONS } from '@aeo/exchange';
import { REGISTRY_ENTITIES, REGISTRY_MIGRATIONS } from '@aeo/registry';
import { GATEWAY_ENTITIES, GATEWAY_MIGRATIONS } from '@aeo/schema';
import { trustEntities, trustMigrations } from '@aeo/trust';
import { DATABASES, type TestDatabase } from '../support/databases.js';

// Real databases on a shared machine: give them time.
jest.setTimeout(30_000);

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Entities = MixedList<Function | string | EntitySchema>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Migrations = Function[];

export const SCHEMAS: ReadonlyArray<readonly [name: string, entities: Entities, migrations: Migrations]> = [
  ['registry', REGISTRY_ENTITIES, REGISTRY_MIGRATIONS],
  ['exchange', EXCHANGE_ENTITIES, EXCHANGE_MIGRATIONS],
  ['trust', trustEntities, trustMigrations],
  ['audit', auditEntities, auditMigrations],
];

/** The SQL TypeORM would run to make the database match `entities`, after `migrations`. */
export async function pendingSchemaChanges(
  url: string,
  entities: Entities,
  migrations: Migrations,
): Promise<string[]> {
  let dataSource: DataSource | undefined;
  try {
    dataSource = await openDataSource({ url, entities, migrations });
    const log = await dataSource.driver.createSchemaBuilder().log();
    return log.upQueries.map((query) => query.query);
  } finally {
    await dataSource?.destroy();
  }
}

describe.each(DATABASES)('migrations match the entities on %s', (_kind, createDatabase) => {
  let db: TestDatabase | undefined;

  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it.each(SCHEMAS)(
    '%s: no pending schema change after its migrations',
    async (_name, entities, migrations) => {
      db = await createDatabase();
      expect(await pendingSchemaChanges(db.url, entities, migrations)).toEqual([]);
    },
  );

  it('the gateway database as a whole (libs/schema): no pending schema change', async () => {
    db = await createDatabase();
    expect(await pendingSchemaChanges(db.url, GATEWAY_ENTITIES, GATEWAY_MIGRATIONS)).toEqual([]);
  });

  it('the migrations revert cleanly on an empty log and run again', async () => {
    db = await createDatabase();
    const migrations = GATEWAY_MIGRATIONS;
    const entities = GATEWAY_ENTITIES;
    const dataSource = await openDataSource({ url: db.url, entities, migrations });
    try {
      for (let i = 0; i < migrations.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
      expect(await dataSource.showMigrations()).toBe(true);
      await dataSource.runMigrations({ transaction: 'each' });
      expect(await dataSource.showMigrations()).toBe(false);
    } finally {
      await dataSource.destroy();
    }
  });
});
