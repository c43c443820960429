import { GatewayError, type ReasonCode } from '@aeo/domain';
import { errors } from 'jose';

/**
 * The one place where jose's error codes become our reason codes. The gateway's per-message
 * path (signing, verifying, encrypting, decrypting) runs on node:crypto and raises its own
 * GatewayErrors with the same codes (jws-crypto.ts, jwe-crypto.ts); jose is left with key
 * import (a partner's JWKS) and with whatever callers still verify or decrypt through it,
 * for which this mapping gives the codes jose's failures always had.
 *
 * `stage` is what jose was doing: verifying a JWS, decrypting a JWE, or importing a key.
 */
export type JoseStage = 'jws' | 'jwe' | 'key';

const BY_STAGE: Record<JoseStage, Readonly<Record<string, ReasonCode>>> = {
  jws: {
    [errors.JWSSignatureVerificationFailed.code]: 'SIGNATURE_INVALID',
    [errors.JWSInvalid.code]: 'JWS_MALFORMED',
    [errors.JOSEAlgNotAllowed.code]: 'ALG_NOT_ALLOWED',
    [errors.JOSENotSupported.code]: 'ALG_NOT_ALLOWED',
  },
  jwe: {
    [errors.JWEDecryptionFailed.code]: 'JWE_DECRYPTION_FAILED',
    [errors.JWEInvalid.code]: 'JWE_MALFORMED',
    [errors.JOSEAlgNotAllowed.code]: 'JWE_ALG_NOT_ALLOWED',
    [errors.JOSENotSupported.code]: 'JWE_ALG_NOT_ALLOWED',
  },
  key: {
    [errors.JWKInvalid.code]: 'PARTNER_KEYS_INVALID',
    [errors.JWKSInvalid.code]: 'PARTNER_KEYS_INVALID',
    [errors.JOSENotSupported.code]: 'PARTNER_KEYS_INVALID',
  },
};

/** jose reports an unknown `crit` member as "not supported"; that is our CRIT_UNSUPPORTED. */
const CRIT_MESSAGE = /Extension Header Parameter/;

/**
 * jose throws plain TypeErrors when a key does not fit the operation (an Ed25519 key named by
 * an ES256 header, a public key where a private one is needed), and passes on WebCrypto's
 * DOMExceptions when key data is unusable (a point off the curve, in a JWK or a JWE's `epk`).
 */
const TYPE_ERROR_CODE: Record<JoseStage, ReasonCode> = {
  jws: 'KEY_ALG_MISMATCH',
  jwe: 'JWE_MALFORMED',
  key: 'PARTNER_KEYS_INVALID',
};

export function reasonCodeOfJoseError(error: unknown, stage: JoseStage): ReasonCode | undefined {
  if (error instanceof errors.JOSEError) {
    if (error.code === errors.JOSENotSupported.code && stage !== 'key' && CRIT_MESSAGE.test(error.message))
      return 'CRIT_UNSUPPORTED';
    return BY_STAGE[stage][error.code];
  }
  if (error instanceof TypeError || isWebCryptoDataError(error)) return TYPE_ERROR_CODE[stage];
  return undefined;
}

const WEBCRYPTO_INPUT_ERRORS = new Set(['DataError', 'InvalidAccessError', 'NotSupportedError']);

function isWebCryptoDataError(error: unknown): boolean {
  return error instanceof DOMException && WEBCRYPTO_INPUT_ERRORS.has(error.name);
}

/**
 * A GatewayError for a jose failure. Errors that are neither jose's nor a key misfit are
 * faults of ours and are rethrown as they are, never disguised as a partner's mistake.
 */
export function fromJoseError(error: unknown, stage: JoseStage, path?: string): GatewayError {
  if (error instanceof GatewayError) return error;
  const code = reasonCodeOfJoseError(error, stage);
  if (code === undefined) throw error;
  const detail = error instanceof Error ? error.message : String(error);
  return new GatewayError(code, `${stage.toUpperCase()}: ${detail}`, path, { cause: error });
}
