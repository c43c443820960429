import { CreateTrustReplayGuard1764316800000 } from './migrations/1764316800000-create-trust-replay-guard.js';
import { ReplayGuardSchema } from './replay-guard.schema.js';

/** Register these with the gateway's DataSource (libs/persistence openDataSource). */
export const trustEntities = [ReplayGuardSchema];
export const trustMigrations = [CreateTrustReplayGuard1764316800000];
