import type { Environment } from '@aeo/domain';
import type { IdRange } from './history-watermark.js';
import type { RegisterFacts, RegisterKey } from './register-facts.js';

/** One row of foreign_aeo_history as the index reads it. */
export interface HistoryChange {
  readonly id: number;
  readonly environment: Environment;
  readonly programme: string;
  readonly aeoIdNormalized: string;
  /** APPLIED, or a reconciliation outcome such as MISSING_FROM_SNAPSHOT. */
  readonly change: string;
  readonly storedAt: number;
  /** The partner the row came from. */
  readonly source: string;
  /** The version an APPLIED row wrote (identical to what went into foreign_aeo). */
  readonly facts?: RegisterFacts;
}

export interface CurrentFacts {
  readonly environment: Environment;
  readonly facts: RegisterFacts;
}

/** When a partner's data last reached us: the newest stored_at among its history rows. */
export interface PartnerDataTime {
  readonly environment: Environment;
  readonly partner: string;
  readonly storedAt: number;
}

/**
 * What the recognition index reads from the foreign register. One implementation talks to
 * the database (typeorm-recognition-source.ts); unit tests use an in-memory one.
 */
export interface RecognitionSource {
  maxHistoryId(): Promise<number>;
  /** Ids of history rows above `floor`, ascending. */
  historyIdsAbove(floor: number): Promise<number[]>;
  /** Every current foreign record, both environments. */
  loadCurrent(): Promise<CurrentFacts[]>;
  currentOf(keys: readonly RegisterKey[]): Promise<CurrentFacts[]>;
  /** History rows with id > afterId, ascending, at most `limit`. */
  historyAfter(afterId: number, limit: number): Promise<HistoryChange[]>;
  /** History rows whose id falls in one of the ranges (gaps being waited for). */
  historyInRanges(ranges: readonly IdRange[]): Promise<HistoryChange[]>;
  /** APPLIED versions of one AEO stored at or before `atMillis`, newest version first. */
  versionsAsOf(key: RegisterKey, atMillis: number): Promise<RegisterFacts[]>;
  partnerDataTimes(): Promise<PartnerDataTime[]>;
  partnerDataTimeAsOf(
    environment: Environment,
    partner: string,
    atMillis: number,
  ): Promise<number | undefined>;
}
