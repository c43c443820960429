import type { KeyAlgorithm, KeyUse } from './algorithms.js';
import { keyState, type KeyState, type KeyValidity } from './key-validity.js';
import type { OwnKeyRecord } from './own-key.js';
import type { PartnerKeyLookup } from './partner-key-registry.js';

/** Days before retirement at which health output starts warning, most urgent last. */
export const EXPIRY_WARNING_DAYS = [30, 14, 7, 1] as const;
export type ExpiryWarning = (typeof EXPIRY_WARNING_DAYS)[number];

export interface KeyExpiry {
  /** 'home' for our keys, else the partner code. */
  readonly owner: string;
  readonly kid: string;
  readonly alg: KeyAlgorithm;
  readonly use: KeyUse;
  readonly state: KeyState;
  readonly retiresAt: string | null;
  /** Whole days until retirement (negative once retired); null when the key has no end date. */
  readonly daysToExpiry: number | null;
  /** Whether a newer key of the same kind will carry on after this one retires. */
  readonly hasSuccessor: boolean;
  /** Set when the key retires within a warning threshold and nothing replaces it. */
  readonly warning: ExpiryWarning | null;
}

interface KeyLike extends KeyValidity {
  readonly kid: string;
  readonly alg: KeyAlgorithm;
  readonly use: KeyUse;
  /** Keys of the same kind replace each other (our key type; a partner's alg). */
  readonly kind: string;
}

/** Days-to-expiry of our keys, for health output. Revoked keys are left out. */
export function ownKeyExpiry(records: readonly OwnKeyRecord[], now: Date): KeyExpiry[] {
  return expiryOf(
    'home',
    records.map((r) => ({ ...r, kind: r.type })),
    now,
  );
}

/** Days-to-expiry of each partner's keys: a partner that forgets to rotate shows up here first. */
export function partnerKeyExpiry(registry: PartnerKeyLookup, now: Date): KeyExpiry[] {
  return registry.partners().flatMap((partner) =>
    expiryOf(
      partner,
      registry.keysOf(partner).map((k) => ({
        kid: k.kid,
        alg: k.alg,
        use: k.use,
        kind: `${k.alg}/${typeof k.jwk.crv === 'string' ? k.jwk.crv : ''}`,
        ...k.validity,
      })),
      now,
    ),
  );
}

function expiryOf(owner: string, keys: readonly KeyLike[], now: Date): KeyExpiry[] {
  return keys
    .filter((k) => keyState(k, now) !== 'revoked')
    .map((key) => {
      const state = keyState(key, now);
      const daysToExpiry = key.retiresAt
        ? Math.floor((key.retiresAt.getTime() - now.getTime()) / 86_400_000)
        : null;
      const hasSuccessor = keys.some(
        (other) =>
          other !== key &&
          other.kind === key.kind &&
          keyState(other, now) !== 'revoked' &&
          (other.retiresAt === undefined || (key.retiresAt !== undefined && other.retiresAt > key.retiresAt)),
      );
      const warning =
        state === 'active' && daysToExpiry !== null && !hasSuccessor ? warningFor(daysToExpiry) : null;
      return {
        owner,
        kid: key.kid,
        alg: key.alg,
        use: key.use,
        state,
        retiresAt: key.retiresAt?.toISOString() ?? null,
        daysToExpiry,
        hasSuccessor,
        warning,
      };
    });
}

function warningFor(days: number): ExpiryWarning | null {
  return [...EXPIRY_WARNING_DAYS].reverse().find((threshold) => days <= threshold) ?? null;
}
