/**
 * Replay defence: remembers each (partner, message id) it has accepted. `remember` is atomic
 * across every gateway instance sharing the store: of two concurrent calls with the same pair,
 * exactly one gets 'first'. Entries live until `expiresAt` and may then be purged; the
 * verifier chooses a retention longer than any message can stay fresh, so an entry is never
 * purged while its message could still pass the freshness check (see MessageVerifier).
 */
export interface ReplayStore {
  remember(entry: ReplayEntry): Promise<'first' | 'replay'>;
  /** Delete entries whose expiresAt is before `now`; returns how many went. */
  purgeExpired(now: Date): Promise<number>;
}

export interface ReplayEntry {
  readonly partner: string;
  readonly jti: string;
  readonly receivedAt: Date;
  readonly expiresAt: Date;
}

/** For one process only: tests, and `mra verify`, which must not mark messages as seen in the gateway's store. */
export class InMemoryReplayStore implements ReplayStore {
  private readonly entries = new Map<string, number>();

  async remember(entry: ReplayEntry): Promise<'first' | 'replay'> {
    const key = `${entry.partner}\u0000${entry.jti}`;
    if (this.entries.has(key)) return 'replay';
    this.entries.set(key, entry.expiresAt.getTime());
    return 'first';
  }

  async purgeExpired(now: Date): Promise<number> {
    let purged = 0;
    for (const [key, expiresAt] of this.entries) {
      if (expiresAt < now.getTime()) {
        this.entries.delete(key);
        purged++;
      }
    }
    return purged;
  }
}
