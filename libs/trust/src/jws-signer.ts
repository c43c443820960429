import { CompactSign, type CryptoKey } from 'jose';
import type { SignatureAlgorithm } from './algorithms.js';
import { jsonToBase64url, toBase64url } from './base64url.js';
import { sealInThread } from './crypto-backend.js';
import { keyObjectOf } from './key-objects.js';
import type { SigningKey } from './own-key.js';
import { buildJwsHeader, type SigningParameters } from './signing-profile.js';

/**
 * Sign the exact bytes given (the partner-format message) as a compact JWS. The signing
 * input is base64url(header) "." base64url(payload): a verifier with any JOSE library gets
 * back the very bytes we signed, with no canonicalisation step in between.
 */
export function signMessage(
  payload: Uint8Array,
  params: SigningParameters,
  key: SigningKey,
): Promise<string> {
  return signJws(payload, buildJwsHeader(params, key.alg, key.kid), key.privateKey);
}

/**
 * A compact JWS over `payload` with `header` as its protected header, on node:crypto: the
 * per-message path. The header is serialised exactly as jose serialises it (JSON.stringify
 * of the object, in its member order), so tokens are the same bytes as before (Ed25519 is
 * deterministic: byte for byte; ES256 and PS256 up to their random signatures).
 */
export async function signJws(
  payload: Uint8Array,
  header: { readonly alg: SignatureAlgorithm },
  privateKey: CryptoKey,
): Promise<string> {
  // The sealer's own signing step, so what is tested here is what signs our messages.
  return sealInThread({ signingInput: jwsSigningInput(payload, header), alg: header.alg, privateKey: keyObjectOf(privateKey) });
}

/** base64url(header) "." base64url(payload): what a compact JWS signs. */
export function jwsSigningInput(payload: Uint8Array, header: object): string {
  return `${jsonToBase64url(header)}.${toBase64url(payload)}`;
}

/**
 * The bare jose operation, for any header and any algorithm jose knows (RS256, b64, crit
 * extensions...): what the RFC vectors and the hostile-input tests build tokens with. The
 * gateway's own messages go through signJws.
 */
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
