import { EntitySchema } from 'typeorm';

/**
 * One row per accepted (partner, jti). The primary key is what makes a replay check atomic
 * across instances: the database, not the process, decides which insert was first.
 * Instants are epoch milliseconds (bigint) so both databases compare them the same way.
 */
export interface ReplayGuardRow {
  partner: string;
  jti: string;
  receivedAt: string;
  expiresAt: string;
}

export const REPLAY_GUARD_TABLE = 'trust_replay_guard';

export const ReplayGuardSchema = new EntitySchema<ReplayGuardRow>({
  name: 'TrustReplayGuard',
  tableName: REPLAY_GUARD_TABLE,
  columns: {
    partner: { type: String, length: 16, primary: true },
    jti: { type: String, length: 128, primary: true },
    receivedAt: { name: 'received_at', type: 'bigint' },
    expiresAt: { name: 'expires_at', type: 'bigint' },
  },
  indices: [{ name: 'idx_trust_replay_guard_expires_at', columns: ['expiresAt'] }],
});
