/**
 * When a key may be used. All three bounds are optional: a partner key without dates is
 * valid from the beginning of time until it is revoked or replaced.
 *
 * - activatesAt: the key may sign (or be encrypted to) from this instant on;
 * - retiresAt: messages issued at or after this instant must not use it;
 * - revokedAt: from this instant on the key is refused outright, whatever a message's `iat`
 *   says (a compromised key can forge any `iat`).
 */
export interface KeyValidity {
  readonly activatesAt?: Date;
  readonly retiresAt?: Date;
  readonly revokedAt?: Date;
}

export type KeyState = 'pending' | 'active' | 'retired' | 'revoked';

export function isRevoked(validity: KeyValidity, now: Date): boolean {
  return validity.revokedAt !== undefined && validity.revokedAt.getTime() <= now.getTime();
}

/** Whether a message issued at `issuedAt` may carry this key (revocation is checked apart). */
export function isValidAt(validity: KeyValidity, issuedAt: Date): boolean {
  const t = issuedAt.getTime();
  if (validity.activatesAt && t < validity.activatesAt.getTime()) return false;
  if (validity.retiresAt && t >= validity.retiresAt.getTime()) return false;
  return true;
}

export function keyState(validity: KeyValidity, now: Date): KeyState {
  if (isRevoked(validity, now)) return 'revoked';
  if (validity.activatesAt && now.getTime() < validity.activatesAt.getTime()) return 'pending';
  if (validity.retiresAt && now.getTime() >= validity.retiresAt.getTime()) return 'retired';
  return 'active';
}
