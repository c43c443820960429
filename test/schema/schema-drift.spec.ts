/**
 * The migrations are the schema: after running them on a fresh database, TypeORM's schema
 * builder must find nothing to change for the entities (the CI form of "generating a
 * migration from the entities produces nothing"). Each library adds one line to SCHEMAS;
 * the last case runs all of them together, as the gateway does.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { DataSource, EntitySchema, MixedList } from 'typeorm';
import { openDataSource } from '@aeo/persistence';
import { auditEntities, auditMigrations } from '@aeo/audit';
import { DATABASES, type TestDatabase } from '../support/databases.js';

// Real databases on a shared machine: give them time.
jest.setTimeout(30_000);

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Entities = MixedList<Function | string | EntitySchema>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Migrations = Function[];

export const SCHEMAS: ReadonlyArray<readonly [name: string, entities: Entities, migrations: Migrations]> = [
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

  it('all libraries together: no pending schema change', async () => {
    db = await createDatabase();
    const entities = SCHEMAS.flatMap(([, list]) => (Array.isArray(list) ? list : Object.values(list)));
    const migrations = SCHEMAS.flatMap(([, , list]) => list);
    expect(await pendingSchemaChanges(db.url, entities, migrations)).toEqual([]);
  });

  it('the migrations revert cleanly on an empty log and run again', async () => {
    db = await createDatabase();
    const migrations = SCHEMAS.flatMap(([, , list]) => list);
    const entities = SCHEMAS.flatMap(([, list]) => (Array.isArray(list) ? list : Object.values(list)));
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
