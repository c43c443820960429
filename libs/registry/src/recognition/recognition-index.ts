import { GatewayError, type Environment } from '@aeo/domain';
import { HistoryWatermark } from './history-watermark.js';
import type { HistoryChange, RecognitionSource } from './recognition-source.js';
import { registerKeyString, type RegisterFacts, type RegisterKey } from './register-facts.js';

export interface RecognitionIndexOptions {
  /**
   * At most this often a lookup first asks the database what changed since the last look,
   * so another instance's writes reach this one's answers within this interval.
   */
  readonly coherenceIntervalMs?: number;
  /** How long a skipped history id is waited for (history-watermark.ts). */
  readonly gapTimeoutMs?: number;
  /** At start, how far below the newest history id to look for ids that may still commit. */
  readonly startupGapSpan?: number;
  /** History rows read per query when catching up. */
  readonly pageSize?: number;
  readonly clock?: () => number;
}

/**
 * The fast path of recognition on arrival (issue #6 item 5, "the border does not wait"):
 * every current foreign record in memory, keyed by (environment, programme, normalised id),
 * plus when each partner's data last reached us.
 *
 * Coherence across instances: the cheap check is the history watermark (history-watermark.ts).
 * A lookup that finds the last check older than coherenceIntervalMs first reads the history
 * rows above the mark (usually none: one indexed query) and applies them; concurrent lookups
 * share that one check. In-process writers call invalidate(keys) after they commit, which
 * makes the very next lookup reload those keys. If a check fails, lookups fail with
 * TRANSIENT_FAILURE until one succeeds: answering from a view older than the promised
 * interval could let a revoked AEO through, and the decision could not be audited anyway
 * with the database down.
 */
export class RecognitionIndex {
  private entries = new Map<string, RegisterFacts>();
  private dataTimes = new Map<string, number>();
  private readonly dirty = new Map<string, RegisterKey>();
  private readonly watermark: HistoryWatermark;
  private readonly intervalMs: number;
  private readonly startupGapSpan: number;
  private readonly pageSize: number;
  private readonly clock: () => number;
  private started = false;
  private nextCheckAt = 0;
  private inFlight: Promise<void> | undefined;
  private failure: GatewayError | undefined;

  constructor(
    private readonly source: RecognitionSource,
    options: RecognitionIndexOptions = {},
  ) {
    this.intervalMs = options.coherenceIntervalMs ?? 1_000;
    this.watermark = new HistoryWatermark(options.gapTimeoutMs ?? 120_000);
    this.startupGapSpan = options.startupGapSpan ?? 100_000;
    this.pageSize = options.pageSize ?? 5_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Load everything (also done by the first lookup; call it at start-up so no border request pays for it). */
  start(): Promise<void> {
    return this.syncIfDue() ?? Promise.resolve();
  }

  /**
   * Undefined when the index is coherent within the interval — the fast path then awaits
   * nothing — else the promise of the load or check that makes it so.
   */
  syncIfDue(): Promise<void> | undefined {
    if (this.inFlight) return this.inFlight;
    if (!this.started) return this.run(() => this.load());
    const now = this.clock();
    if (now < this.nextCheckAt && this.dirty.size === 0) {
      return this.failure ? Promise.reject(this.failure) : undefined;
    }
    return this.run(() => this.check(now));
  }

  /** Check the database now, whatever the interval. */
  refresh(): Promise<void> {
    this.nextCheckAt = 0;
    return this.syncIfDue() ?? Promise.resolve();
  }

  /** After an in-process write commits: the next lookup reloads these keys first. */
  invalidate(keys: readonly RegisterKey[]): void {
    for (const key of keys)
      this.dirty.set(registerKeyString(key.environment, key.programme, key.aeoIdNormalized), key);
  }

  current(environment: Environment, programme: string, aeoIdNormalized: string): RegisterFacts | undefined {
    return this.entries.get(registerKeyString(environment, programme, aeoIdNormalized));
  }

  /** The newest storedAt of the partner's history rows in this environment. */
  partnerDataAt(environment: Environment, partner: string): number | undefined {
    return this.dataTimes.get(`${environment}\u0000${partner}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The history id this index has caught up to (for diagnostics). */
  get changeCounter(): number {
    return this.watermark.high;
  }

  private run(work: () => Promise<void>): Promise<void> {
    this.inFlight = work().then(
      () => {
        this.failure = undefined;
        this.inFlight = undefined;
      },
      (error: unknown) => {
        this.failure = new GatewayError(
          'TRANSIENT_FAILURE',
          `the foreign register could not be read: ${(error as Error).message}`,
          undefined,
          { cause: error },
        );
        this.inFlight = undefined;
        throw this.failure;
      },
    );
    return this.inFlight;
  }

  private async load(): Promise<void> {
    const now = this.clock();
    this.nextCheckAt = now + this.intervalMs;
    // Invalidations from before the load are covered by it; later ones stay for the next check.
    this.dirty.clear();
    // The mark is read BEFORE the records: whatever commits in between shows up in both,
    // and applying a version twice changes nothing.
    const floor = Math.max(0, (await this.source.maxHistoryId()) - this.startupGapSpan);
    const idsAboveFloor = await this.source.historyIdsAbove(floor);
    const entries = new Map<string, RegisterFacts>();
    for (const { environment, facts } of await this.source.loadCurrent()) {
      entries.set(registerKeyString(environment, facts.programme, facts.aeoIdNormalized), facts);
    }
    const dataTimes = new Map<string, number>();
    for (const t of await this.source.partnerDataTimes())
      dataTimes.set(`${t.environment}\u0000${t.partner}`, t.storedAt);
    this.entries = entries;
    this.dataTimes = dataTimes;
    this.watermark.start(floor, idsAboveFloor, now);
    this.started = true;
  }

  private async check(now: number): Promise<void> {
    this.nextCheckAt = now + this.intervalMs;
    const dirty = [...this.dirty.values()];
    this.dirty.clear();
    try {
      const reload = new Map<string, RegisterKey>(
        dirty.map((k) => [registerKeyString(k.environment, k.programme, k.aeoIdNormalized), k]),
      );
      this.absorb(await this.source.historyInRanges(this.watermark.pendingRanges(now)), reload, now);
      for (;;) {
        const page = await this.source.historyAfter(this.watermark.high, this.pageSize);
        this.absorb(page, reload, now);
        if (page.length < this.pageSize) break;
      }
      if (reload.size > 0) await this.reload([...reload.values()]);
    } catch (error) {
      this.invalidate(dirty);
      throw error;
    }
  }

  private absorb(changes: readonly HistoryChange[], reload: Map<string, RegisterKey>, now: number): void {
    for (const change of changes) {
      const timeKey = `${change.environment}\u0000${change.source}`;
      if (change.storedAt > (this.dataTimes.get(timeKey) ?? -Infinity))
        this.dataTimes.set(timeKey, change.storedAt);
      const key = registerKeyString(change.environment, change.programme, change.aeoIdNormalized);
      if (change.facts) {
        // Versions only move forward (as in the store): a gap row read late never puts an older one back.
        const held = this.entries.get(key);
        if (!held || change.facts.recordVersion > held.recordVersion) this.entries.set(key, change.facts);
      } else {
        // Not a version (e.g. a reconciliation mark): the current table says what it did.
        reload.set(key, {
          environment: change.environment,
          programme: change.programme,
          aeoIdNormalized: change.aeoIdNormalized,
        });
      }
    }
    this.watermark.observe(
      changes.map((c) => c.id),
      now,
    );
  }

  private async reload(keys: readonly RegisterKey[]): Promise<void> {
    const found = await this.source.currentOf(keys);
    for (const key of keys)
      this.entries.delete(registerKeyString(key.environment, key.programme, key.aeoIdNormalized));
    for (const { environment, facts } of found)
      this.entries.set(registerKeyString(environment, facts.programme, facts.aeoIdNormalized), facts);
  }
}
