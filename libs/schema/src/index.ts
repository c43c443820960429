import { auditEntities, auditMigrations } from '@aeo/audit';
import { EXCHANGE_ENTITIES, EXCHANGE_MIGRATIONS } from '@aeo/exchange';
import { DEFAULT_DATABASE_URL, openDataSource } from '@aeo/persistence';
import { REGISTRY_ENTITIES, REGISTRY_MIGRATIONS } from '@aeo/registry';
import { trustEntities, trustMigrations } from '@aeo/trust';
import type { DataSource } from 'typeorm';

/**
 * The gateway's whole database: every library's entities and migrations. The gateway, the
 * CLI and the migration drift check all open it through here, so they can never disagree.
 */
export const GATEWAY_ENTITIES = [...REGISTRY_ENTITIES, ...EXCHANGE_ENTITIES, ...trustEntities, ...auditEntities];
export const GATEWAY_MIGRATIONS = [...REGISTRY_MIGRATIONS, ...EXCHANGE_MIGRATIONS, ...trustMigrations, ...auditMigrations];

/** Open DATABASE_URL (embedded SQLite by default) and apply pending migrations. */
export function openGatewayDatabase(url: string = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): Promise<DataSource> {
  return openDataSource({ url, entities: GATEWAY_ENTITIES, migrations: GATEWAY_MIGRATIONS });
}
