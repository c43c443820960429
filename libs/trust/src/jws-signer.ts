import { CompactSign, type CryptoKey } from 'jose';
import type { SigningKey } from './own-key.js';
import { buildJwsHeader, JOSE_CRIT_OPTION, type SigningParameters } from './signing-profile.js';

/**
 * Sign the exact bytes given (the partner-format message) as a compact JWS. The signing
 * input is base64url(header) "." base64url(payload): a verifier with any JOSE library gets
 * back the very bytes we signed, with no canonicalisation step in between.
 */
export async function signMessage(
  payload: Uint8Array,
  params: SigningParameters,
  key: SigningKey,
): Promise<string> {
  const header = buildJwsHeader(params, key.alg, key.kid);
  return signCompactJws(
    payload,
    header as unknown as Record<string, unknown>,
    key.privateKey,
    JOSE_CRIT_OPTION,
  );
}

/** The bare jose operation, for any header; used by signMessage and by the RFC test vectors. */
export function signCompactJws(
  payload: Uint8Array,
  header: Record<string, unknown>,
  key: CryptoKey,
  crit?: Readonly<Record<string, boolean>>,
): Promise<string> {
  return new CompactSign(payload)
    .setProtectedHeader(header as { alg: string })
    .sign(key, crit ? { crit: { ...crit } } : undefined);
}
