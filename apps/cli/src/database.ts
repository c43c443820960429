import { openGatewayDatabase } from '@aeo/schema';
import type { DataSource } from 'typeorm';

/**
 * The gateway's database for commands that need it: DATABASE_URL (sqlite:<file> or
 * postgres://...), the embedded SQLite file by default, with every library's entities and
 * pending migrations applied, exactly as the gateway opens it. The caller destroys it.
 */
export function openCliDatabase(): Promise<DataSource> {
  return openGatewayDatabase();
}
