/**
 * Prints the DDL TypeORM would generate for entities that no migration covers yet, for
 * SQLite and PostgreSQL: the starting point of a new migration (review it, then commit it
 * as a migration class). Usage: npx tsx scripts/schema-sql.ts <lib>
 *   lib: one of the names in ENTITY_SETS below.
 */
import { DataSource } from 'typeorm';
import pg from 'pg';
import { REGISTRY_ENTITIES } from '../libs/registry/src/registry.entities-list.js';

const ENTITY_SETS: Record<string, unknown[]> = { registry: REGISTRY_ENTITIES };

const lib = process.argv[2] ?? '';
const entities = ENTITY_SETS[lib];
if (!entities) throw new Error(`usage: schema-sql.ts <${Object.keys(ENTITY_SETS).join('|')}>`);

const sqlite = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: entities as never });
await sqlite.initialize();
console.log('-- sqlite');
for (const q of (await sqlite.driver.createSchemaBuilder().log()).upQueries) console.log(`${q.query};`);
await sqlite.destroy();

const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
await admin.connect();
const name = `schema_sql_${Date.now()}`;
await admin.query(`CREATE DATABASE ${name}`);
const postgres = new DataSource({ type: 'postgres', url: `postgres://postgres@127.0.0.1:5432/${name}`, entities: entities as never });
await postgres.initialize();
console.log('-- postgres');
for (const q of (await postgres.driver.createSchemaBuilder().log()).upQueries) console.log(`${q.query};`);
await postgres.destroy();
await admin.query(`DROP DATABASE ${name}`);
await admin.end();
