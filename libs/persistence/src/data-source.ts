import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { parseDatabaseUrl } from './database-url.js';
import { queueSqliteTransactions } from './sqlite-transaction-queue.js';

export interface DataSourceConfig {
  readonly url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: MixedList<Function | string>;
  readonly poolSize?: number;
}

/**
 * One DataSource for either database. Schema changes come only from migrations
 * (`synchronize` is off everywhere outside throwaway tests). SQLite runs in WAL mode with
 * synchronous=FULL: a committed audit entry or outbox row survives a power cut.
 */
export function dataSourceOptions(config: DataSourceConfig): DataSourceOptions {
  const target = parseDatabaseUrl(config.url);
  if (target.kind === 'sqlite') {
    if (target.file !== ':memory:') mkdirSync(dirname(target.file), { recursive: true });
    return {
      type: 'better-sqlite3',
      database: target.file,
      entities: config.entities,
      migrations: config.migrations,
      synchronize: false,
      migrationsRun: false,
      enableWAL: true,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('synchronous = FULL');
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
      },
    };
  }
  return {
    type: 'postgres',
    url: target.url,
    entities: config.entities,
    migrations: config.migrations,
    synchronize: false,
    migrationsRun: false,
    poolSize: config.poolSize ?? 10,
  };
}

export async function openDataSource(config: DataSourceConfig): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(config));
  await dataSource.initialize();
  // One connection on SQLite: top-level transactions must take turns (see the queue's notes).
  queueSqliteTransactions(dataSource);
  await runMigrationsOnce(dataSource);
  return dataSource;
}

/**
 * Key of the PostgreSQL advisory lock held while migrations run: the ASCII bytes "MRAMIGRA"
 * read as a signed 64-bit integer (the audit chain uses "MRAAUDIT").
 */
export const MIGRATION_LOCK_KEY = '5571587489208422977';

/**
 * Several instances may start at once on a new database (a rollout of three replicas). On
 * PostgreSQL they take turns under a session advisory lock, held on a connection of its own
 * for as long as the migrations run, so each migration is applied once and the later
 * instances find nothing to do. SQLite serialises writers by itself (and busy_timeout waits).
 */
async function runMigrationsOnce(dataSource: DataSource): Promise<void> {
  if (!isPostgres(dataSource)) {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    await lockHolder.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await lockHolder.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  } finally {
    await lockHolder.release();
  }
}

export function isPostgres(dataSource: DataSource): boolean {
  return dataSource.options.type === 'postgres';
}
