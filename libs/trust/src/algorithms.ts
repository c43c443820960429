/**
 * The algorithms of our JOSE profile and the key shapes each one accepts. Everything else
 * (none, HMAC, RSA PKCS#1 v1.5, other curves) is refused wherever a key or a token names it.
 */
export const SIGNATURE_ALGORITHMS = ['EdDSA', 'ES256', 'PS256'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/** Key agreement for sign-then-encrypt: ephemeral-static ECDH, the CEK wrapped with AES-256 key wrap. */
export const KEY_MANAGEMENT_ALGORITHM = 'ECDH-ES+A256KW';
export type KeyManagementAlgorithm = typeof KEY_MANAGEMENT_ALGORITHM;
export const CONTENT_ENCRYPTION_ALGORITHM = 'A256GCM';

export type KeyAlgorithm = SignatureAlgorithm | KeyManagementAlgorithm;
export type KeyUse = 'sig' | 'enc';
export const ENCRYPTION_CURVES = ['P-256', 'X25519'] as const;
export type EncryptionCurve = (typeof ENCRYPTION_CURVES)[number];

/** RSA keys shorter than this are refused (jose itself only insists on 2048 for PS256). */
export const MIN_RSA_BITS = 2048;

export function isSignatureAlgorithm(value: unknown): value is SignatureAlgorithm {
  return typeof value === 'string' && (SIGNATURE_ALGORITHMS as readonly string[]).includes(value);
}

export function isKeyAlgorithm(value: unknown): value is KeyAlgorithm {
  return isSignatureAlgorithm(value) || value === KEY_MANAGEMENT_ALGORITHM;
}

export function useOf(alg: KeyAlgorithm): KeyUse {
  return alg === KEY_MANAGEMENT_ALGORITHM ? 'enc' : 'sig';
}

/** Public members of a JWK (RFC 7517/7518/8037), the only ones a key's identity depends on. */
export interface PublicJwk {
  readonly kty: 'EC' | 'OKP' | 'RSA';
  readonly crv?: string;
  readonly x?: string;
  readonly y?: string;
  readonly n?: string;
  readonly e?: string;
}

/**
 * Why a JWK cannot serve `alg`, or undefined when it can: EdDSA needs an Ed25519 key, ES256
 * a P-256 key, PS256 an RSA key of at least 2048 bits, ECDH-ES+A256KW a P-256 or X25519 key.
 */
export function keyShapeProblem(jwk: Record<string, unknown>, alg: KeyAlgorithm): string | undefined {
  const { kty, crv } = jwk;
  switch (alg) {
    case 'EdDSA':
      return kty === 'OKP' && crv === 'Ed25519' ? undefined : 'EdDSA needs an OKP key on Ed25519';
    case 'ES256':
      return kty === 'EC' && crv === 'P-256' ? undefined : 'ES256 needs an EC key on P-256';
    case 'PS256': {
      if (kty !== 'RSA' || typeof jwk.n !== 'string') return 'PS256 needs an RSA key';
      const bits = Buffer.from(jwk.n, 'base64url').length * 8;
      return bits >= MIN_RSA_BITS
        ? undefined
        : `PS256 needs an RSA key of at least ${MIN_RSA_BITS} bits (got ${bits})`;
    }
    case KEY_MANAGEMENT_ALGORITHM:
      return (kty === 'EC' && crv === 'P-256') || (kty === 'OKP' && crv === 'X25519')
        ? undefined
        : 'ECDH-ES+A256KW needs an EC key on P-256 or an OKP key on X25519';
  }
}
