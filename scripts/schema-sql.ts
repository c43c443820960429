/**
 * Prints, as a DialectMigration class, the DDL TypeORM would generate for a library's
 * entities on SQLite and PostgreSQL: the starting point of a new migration (review it, add
 * triggers or data steps, then commit it). Usage:
 *   npx tsx scripts/schema-sql.ts <lib> <ClassName> > libs/<lib>/src/migrations.ts
 */
import { DataSource } from 'typeorm';
import pg from 'pg';
import { REGISTRY_ENTITIES } from '../libs/registry/src/registry.entities-list.js';
import { EXCHANGE_ENTITIES } from '../libs/exchange/src/exchange.entities.js';

const ENTITY_SETS: Record<string, unknown[]> = { registry: REGISTRY_ENTITIES, exchange: EXCHANGE_ENTITIES };

const lib = process.argv[2] ?? '';
const entities = ENTITY_SETS[lib];
if (!entities) throw new Error(`usage: schema-sql.ts <${Object.keys(ENTITY_SETS).join('|')}>`);

async function upQueries(dataSource: DataSource): Promise<string[]> {
  await dataSource.initialize();
  const queries = (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query.replace(/\s+\(/g, ' (').trim());
  await dataSource.destroy();
  return queries;
}

const sqliteQueries = await upQueries(new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: entities as never }));
const admin = new pg.Client({ connectionString: process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
await admin.connect();
const scratch = `schema_sql_${Date.now()}`;
await admin.query(`CREATE DATABASE ${scratch}`);
const adminUrl = new URL(process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
adminUrl.pathname = `/${scratch}`;
const postgresQueries = await upQueries(new DataSource({ type: 'postgres', url: adminUrl.toString(), entities: entities as never }));
await admin.query(`DROP DATABASE ${scratch}`);
await admin.end();

const down = sqliteQueries
  .map((q) => /^CREATE (TABLE|INDEX) ("[^"]+")/.exec(q))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => `DROP ${m[1]} ${m[2]}`)
  .reverse();
const list = (queries: string[]) => queries.map((q) => `    \`${q}\`,`).join('\n');
const className = process.argv[3] ?? 'NewMigration';
console.log(`import { DialectMigration } from '@aeo/persistence';

export class ${className} extends DialectMigration {
  readonly name = '${className}';

  protected readonly sqlite = [
${list(sqliteQueries)}
  ];

  protected readonly postgres = [
${list(postgresQueries)}
  ];

  protected readonly down_ = [
${list(down)}
  ];
}`);
