import { calculateJwkThumbprint, importJWK, type CryptoKey, type JWK } from 'jose';
import type { KeyAlgorithm, PublicJwk } from './algorithms.js';

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** The public members of a JWK; everything else (private parts, our metadata, kid) is dropped. */
export function publicPartOf(jwk: Record<string, unknown>): PublicJwk {
  const out: Record<string, unknown> = {};
  for (const member of PUBLIC_MEMBERS) if (typeof jwk[member] === 'string') out[member] = jwk[member];
  return out as unknown as PublicJwk;
}

export function hasPrivateMembers(jwk: Record<string, unknown>): boolean {
  return PRIVATE_MEMBERS.some((member) => jwk[member] !== undefined);
}

/** RFC 7638 thumbprint (SHA-256, base64url): the key's identity whatever its kid says. */
export function jwkThumbprint(jwk: Record<string, unknown>): Promise<string> {
  return calculateJwkThumbprint(publicPartOf(jwk), 'sha256');
}

/**
 * A WebCrypto key for `alg`. Only the key material goes to WebCrypto (our metadata members
 * never reach it), and private keys are imported non-extractable: once imported, the
 * private key cannot be exported again from this process's key objects.
 */
export async function importKey(
  jwk: Record<string, unknown>,
  alg: KeyAlgorithm,
  kind: 'public' | 'private',
): Promise<CryptoKey> {
  const material: Record<string, unknown> = { ...publicPartOf(jwk) };
  if (kind === 'private')
    for (const member of PRIVATE_MEMBERS) if (jwk[member] !== undefined) material[member] = jwk[member];
  const key = await importJWK({ ...(material as JWK), ext: kind === 'public' }, alg, {
    extractable: kind === 'public',
  });
  if (key instanceof Uint8Array) throw new TypeError('symmetric keys are not part of the MRA JOSE profile');
  return key;
}
