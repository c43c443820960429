import { openDataSource } from '@aeo/persistence';
import type { DataSource } from 'typeorm';

/** Every entity and migration the gateway persists, from every library that owns some. */
export const GATEWAY_ENTITIES = [];
export const GATEWAY_MIGRATIONS = [];

export function openGatewayDatabase(url: string): Promise<DataSource> {
  return openDataSource({ url, entities: GATEWAY_ENTITIES, migrations: GATEWAY_MIGRATIONS });
}
