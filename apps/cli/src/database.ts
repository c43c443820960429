import { auditEntities, auditMigrations } from '@aeo/audit';
import { DEFAULT_DATABASE_URL, openDataSource } from '@aeo/persistence';
import type { DataSource } from 'typeorm';

/** Every library's entities and migrations, as the gateway itself opens the database. */
export const CLI_ENTITIES = [...auditEntities];
export const CLI_MIGRATIONS = [...auditMigrations];

/**
 * The gateway's database for commands that need it: DATABASE_URL (sqlite:<file> or
 * postgres://...), the embedded SQLite file by default. Pending migrations are applied, as
 * the gateway does on start-up. The caller destroys the DataSource when done.
 */
export async function openCliDatabase(): Promise<DataSource> {
  return openDataSource({
    url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    entities: CLI_ENTITIES,
    migrations: CLI_MIGRATIONS,
  });
}
