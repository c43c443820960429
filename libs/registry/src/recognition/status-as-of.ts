import type { AeoStatus } from '@aeo/domain';
import type { RegisterFacts } from './register-facts.js';

/**
 * How the status in effect at an arrival is found.
 *
 * Two clocks are involved. The KNOWLEDGE clock is when this gateway stored a version
 * (`storedAt`): a decision about an arrival uses only versions stored at or before the
 * arrival instant, so re-asking about a past arrival gives the answer we could have given
 * then (a decision must be reproducible for the audit). The EFFECT clock is the record's own
 * `statusEffectiveFrom`/`statusEffectiveTo` (calendar dates, both inclusive), compared with
 * the arrival's UTC calendar date:
 *
 * 1. Among the versions stored at or before arrival, take the newest (highest recordVersion).
 * 2. If its status takes effect only after the arrival date (a suspension announced for next
 *    week), it does not apply yet: step back to the previous stored version and repeat. If no
 *    earlier version exists, no status was in effect at arrival (NOT_YET_VALID).
 * 3. If its status ended before the arrival date (statusEffectiveTo < arrival date):
 *    a SUSPENDED status has lapsed, so the authorisation is ACTIVE again; an ACTIVE status
 *    with an end date has run out, so it is EXPIRED. Final statuses (revoked, surrendered,
 *    annulled, expired, excluded, consent withdrawn) do not lapse back into benefits: only a
 *    new version from the partner can change them.
 *
 * UTC dates: the records carry bare calendar dates without a zone, the domain compares dates
 * in UTC everywhere (dateOf), and a single convention keeps two gateways in agreement.
 */
export type StatusAsOf =
  | { readonly kind: 'none' }
  | { readonly kind: 'not-yet-effective'; readonly version: RegisterFacts }
  | {
      readonly kind: 'effective';
      readonly version: RegisterFacts;
      readonly status: AeoStatus;
      readonly basis: StatusBasis;
    };

export type StatusBasis =
  'AS_STORED' | 'SUSPENSION_ENDED' | 'ACTIVE_PERIOD_ENDED' | 'LATER_STATUS_NOT_YET_EFFECTIVE';

/** `versions`: stored at or before arrival, in any order. `arrivalDate`: YYYY-MM-DD (UTC). */
export function statusAsOf(versions: readonly RegisterFacts[], arrivalDate: string): StatusAsOf {
  if (versions.length === 0) return { kind: 'none' };
  const newestFirst =
    versions.length === 1 ? versions : [...versions].sort((a, b) => b.recordVersion - a.recordVersion);
  const index = newestFirst.findIndex((v) => v.statusEffectiveFrom <= arrivalDate);
  if (index < 0) return { kind: 'not-yet-effective', version: newestFirst[0] };
  const version = newestFirst[index];
  const ended = version.statusEffectiveTo !== undefined && version.statusEffectiveTo < arrivalDate;
  if (ended && version.status === 'SUSPENDED')
    return { kind: 'effective', version, status: 'ACTIVE', basis: 'SUSPENSION_ENDED' };
  if (ended && version.status === 'ACTIVE')
    return { kind: 'effective', version, status: 'EXPIRED', basis: 'ACTIVE_PERIOD_ENDED' };
  return {
    kind: 'effective',
    version,
    status: version.status,
    basis: index === 0 ? 'AS_STORED' : 'LATER_STATUS_NOT_YET_EFFECTIVE',
  };
}

/** True when the version alone settles the question (the in-memory fast path needs no history). */
export function settledByItself(version: RegisterFacts, arrivalDate: string): boolean {
  return version.statusEffectiveFrom <= arrivalDate;
}
