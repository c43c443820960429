import { GatewayError, isUtcInstant } from '@aeo/domain';
import { isKeyAlgorithm, keyShapeProblem, useOf, type KeyAlgorithm, type KeyUse } from './algorithms.js';
import { hasPrivateMembers } from './jwk-keys.js';
import type { KeyValidity } from './key-validity.js';

/**
 * A partner's public keys as a JWKS document (RFC 7517 §5). Every key must carry `kid`,
 * `alg` and `use`; its validity is said by three members of our own, each an ISO-8601 UTC
 * instant (e.g. "2026-01-01T00:00:00Z"):
 *
 *   mra_activates_at  messages issued (iat) before this instant may not use the key
 *   mra_retires_at    messages issued at or after this instant may not use the key
 *   mra_revoked_at    from this instant on the key is refused whatever the message's iat
 *
 * JOSE libraries ignore members they do not know, so a partner can read the same document.
 */
export const VALIDITY_MEMBERS = {
  activatesAt: 'mra_activates_at',
  retiresAt: 'mra_retires_at',
  revokedAt: 'mra_revoked_at',
} as const;

export interface JwksDocument {
  readonly keys: readonly Record<string, unknown>[];
}

export interface PartnerJwk {
  readonly kid: string;
  readonly alg: KeyAlgorithm;
  readonly use: KeyUse;
  readonly validity: KeyValidity;
  /** The JWK exactly as the document has it (public members, kid, alg, use, validity). */
  readonly jwk: Readonly<Record<string, unknown>>;
}

function invalid(message: string, path: string): GatewayError {
  return new GatewayError('PARTNER_KEYS_INVALID', message, path);
}

/** Validate a partner's JWKS; `partner` only names it in errors. */
export function parsePartnerJwks(document: unknown, partner: string): PartnerJwk[] {
  if (typeof document !== 'object' || document === null || !Array.isArray((document as JwksDocument).keys)) {
    throw invalid(`JWKS of ${partner}: expected an object with a "keys" array`, '/keys');
  }
  const seen = new Set<string>();
  return (document as JwksDocument).keys.map((jwk, index) => {
    const key = parseJwk(jwk, `/keys/${index}`, partner);
    if (seen.has(key.kid))
      throw invalid(`JWKS of ${partner}: kid '${key.kid}' appears twice`, `/keys/${index}/kid`);
    seen.add(key.kid);
    return key;
  });
}

function parseJwk(jwk: unknown, path: string, partner: string): PartnerJwk {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk))
    throw invalid(`JWKS of ${partner}: a key is not an object`, path);
  const record = jwk as Record<string, unknown>;
  const { kid, alg, use } = record;
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > 128)
    throw invalid(`JWKS of ${partner}: every key needs a kid of 1-128 characters`, `${path}/kid`);
  if (!isKeyAlgorithm(alg))
    throw invalid(
      `JWKS of ${partner}: key '${kid}' has alg ${JSON.stringify(alg)}, not one of EdDSA, ES256, PS256, ECDH-ES+A256KW`,
      `${path}/alg`,
    );
  if (use !== useOf(alg))
    throw invalid(
      `JWKS of ${partner}: key '${kid}' with alg ${alg} must have use "${useOf(alg)}"`,
      `${path}/use`,
    );
  if (hasPrivateMembers(record))
    throw invalid(
      `JWKS of ${partner}: key '${kid}' contains private key material; send public keys only`,
      path,
    );
  const shape = keyShapeProblem(record, alg);
  if (shape) throw invalid(`JWKS of ${partner}: key '${kid}': ${shape}`, path);
  return {
    kid,
    alg,
    use: use as KeyUse,
    validity: parseValidity(record, `${path}`, `JWKS of ${partner}: key '${kid}'`),
    jwk: record,
  };
}

export function parseValidity(jwk: Record<string, unknown>, path: string, what: string): KeyValidity {
  const validity: { activatesAt?: Date; retiresAt?: Date; revokedAt?: Date } = {};
  for (const [field, member] of Object.entries(VALIDITY_MEMBERS) as [
    keyof typeof VALIDITY_MEMBERS,
    string,
  ][]) {
    const value = jwk[member];
    if (value === undefined) continue;
    if (!isUtcInstant(value))
      throw invalid(
        `${what}: ${member} must be an ISO-8601 UTC instant such as 2026-01-01T00:00:00Z`,
        `${path}/${member}`,
      );
    validity[field] = new Date(value);
  }
  if (validity.activatesAt && validity.retiresAt && validity.retiresAt <= validity.activatesAt) {
    throw invalid(
      `${what}: ${VALIDITY_MEMBERS.retiresAt} must be after ${VALIDITY_MEMBERS.activatesAt}`,
      `${path}/${VALIDITY_MEMBERS.retiresAt}`,
    );
  }
  return validity;
}
