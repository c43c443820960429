/**
 * Several gateway instances may start at once against one new PostgreSQL database (a
 * deployment rolls out three replicas). Each runs the migrations on start; they must take
 * turns, or two of them create the same table and one instance crashes.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { openDataSource } from '@aeo/persistence';
import { GATEWAY_ENTITIES, GATEWAY_MIGRATIONS } from '@aeo/schema';
import { createPostgresDatabase, type TestDatabase } from '../support/databases.js';

jest.setTimeout(120_000);

describe('migrations on start', () => {
  let db: TestDatabase | undefined;
  const opened: DataSource[] = [];

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((dataSource) => dataSource.destroy()));
    await db?.drop();
  });

  it('lets three instances start at once on a new PostgreSQL database, each migration applied once', async () => {
    db = await createPostgresDatabase();
    const options = { url: db.url, entities: GATEWAY_ENTITIES, migrations: GATEWAY_MIGRATIONS, poolSize: 3 };
    const results = await Promise.allSettled([openDataSource(options), openDataSource(options), openDataSource(options)]);
    for (const result of results) if (result.status === 'fulfilled') opened.push(result.value);
    expect(results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok']);
    const applied: Array<{ name: string; n: string }> = await opened[0].query(
      'SELECT name, COUNT(*) AS n FROM migrations GROUP BY name',
    );
    expect(applied).toHaveLength(GATEWAY_MIGRATIONS.length);
    expect(applied.every((row) => Number(row.n) === 1)).toBe(true);
  });
});
