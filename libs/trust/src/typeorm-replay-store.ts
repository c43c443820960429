import type { DataSource } from 'typeorm';
import { REPLAY_GUARD_TABLE } from './replay-guard.schema.js';
import type { ReplayEntry, ReplayStore } from './replay-store.js';

/**
 * The replay store in the gateway's database (PostgreSQL or SQLite), shared by every
 * instance. `INSERT ... ON CONFLICT DO NOTHING RETURNING` is one atomic statement on both:
 * a returned row means this call inserted it (first sight); no row means the pair was there.
 * An expired row that has not been purged yet still counts as seen, which is safe because
 * its message is too old to pass the freshness check anyway.
 */
export class TypeOrmReplayStore implements ReplayStore {
  private readonly placeholders: (n: number) => string;

  constructor(private readonly dataSource: DataSource) {
    this.placeholders = dataSource.options.type === 'postgres' ? (n) => `$${n}` : () => '?';
  }

  async remember(entry: ReplayEntry): Promise<'first' | 'replay'> {
    const p = this.placeholders;
    const rows: unknown = await this.dataSource.query(
      `INSERT INTO "${REPLAY_GUARD_TABLE}" ("partner", "jti", "received_at", "expires_at") VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)})
       ON CONFLICT ("partner", "jti") DO NOTHING RETURNING "jti"`,
      [entry.partner, entry.jti, entry.receivedAt.getTime(), entry.expiresAt.getTime()],
    );
    return Array.isArray(rows) && rows.length === 1 ? 'first' : 'replay';
  }

  async purgeExpired(now: Date): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(
        `DELETE FROM "${REPLAY_GUARD_TABLE}" WHERE "expires_at" < ${this.placeholders(1)}`,
        [now.getTime()],
        true,
      );
      return result.affected ?? 0;
    } finally {
      await runner.release();
    }
  }
}
