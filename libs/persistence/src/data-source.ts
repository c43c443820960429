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
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

export function isPostgres(dataSource: DataSource): boolean {
  return dataSource.options.type === 'postgres';
}
