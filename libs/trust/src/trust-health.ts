import type { SignatureAlgorithm } from './algorithms.js';
import { ownKeyExpiry, partnerKeyExpiry, type KeyExpiry } from './key-expiry.js';
import { keyState } from './key-validity.js';
import type { OwnKeyRecord } from './own-key.js';
import type { PartnerKeyRegistry } from './partner-key-registry.js';

export interface TrustHealth {
  /** down: we cannot sign for some partner; warn: a key retires soon with no successor. */
  readonly status: 'ok' | 'warn' | 'down';
  readonly problems: readonly string[];
  readonly keys: readonly KeyExpiry[];
}

/**
 * The trust part of the gateway's health output. `signatureAlgorithms` are the outbound
 * algorithms of the partners in service; each needs an active signing key of ours.
 */
export function trustHealth(
  ownKeys: readonly OwnKeyRecord[],
  partnerKeys: PartnerKeyRegistry,
  signatureAlgorithms: readonly SignatureAlgorithm[],
  now: Date,
): TrustHealth {
  const problems: string[] = [];
  let status: TrustHealth['status'] = 'ok';
  for (const alg of new Set(signatureAlgorithms)) {
    if (!ownKeys.some((k) => k.use === 'sig' && k.alg === alg && keyState(k, now) === 'active')) {
      problems.push(`no active ${alg} signing key`);
      status = 'down';
    }
  }
  const keys = [...ownKeyExpiry(ownKeys, now), ...partnerKeyExpiry(partnerKeys, now)];
  for (const key of keys.filter((k) => k.warning !== null)) {
    problems.push(`${key.owner} key ${key.kid} retires in ${key.daysToExpiry} day(s) and has no successor`);
    if (status === 'ok') status = 'warn';
  }
  return { status, problems, keys };
}
