import { isMessageType, type MessageType, type Programme } from '@aeo/domain';
import type { SignatureAlgorithm } from './algorithms.js';
import { numericDate } from './clock.js';

/**
 * The MRA JOSE signing profile, version 1: what every JWS we send carries in its protected
 * header and what every JWS we accept must carry. The payload is the exact partner-format
 * bytes that travel (XML or JSON), never a re-serialisation.
 *
 *   alg          EdDSA | ES256 | PS256, from the partner's allow-list
 *   kid          the signer's key id, resolved in that partner's JWKS only
 *   typ          "mra+jws" (explicit typing, RFC 8725 §3.11)
 *   cty          the media type of the payload (the partner's wire format)
 *   iss, aud     sender and recipient programme, e.g. "KZ-SRC" → "CN-GACC"
 *   iat          NumericDate of signing
 *   jti          the message id (the envelope's messageId), unique per sender
 *   mra_type     the message type (AEO_STATUS_DELTA, RECEIPT, ...)
 *   mra_profile  "1", the version of this profile
 *   crit         ["iss","aud","iat","jti","mra_type","mra_profile"]: a verifier that does not
 *                check audience, freshness and replay must refuse the message (RFC 7515 §4.1.11)
 */
export const MRA_JWS_TYP = 'mra+jws';
/** `typ` of the JWE around a JWS, and the `cty` that says what the JWE carries. */
export const MRA_JWE_TYP = 'mra+jwe';
export const SIGNING_PROFILE_VERSION = '1';
export const CRITICAL_MEMBERS = ['iss', 'aud', 'iat', 'jti', 'mra_type', 'mra_profile'] as const;

/** jose's `crit` option: the extension members we understand (jose refuses any other). */
export const JOSE_CRIT_OPTION: Readonly<Record<string, boolean>> = Object.fromEntries(
  CRITICAL_MEMBERS.map((m) => [m, true]),
);

/** A message id usable as `jti`: a UUID in practice; at most 128 characters of a safe alphabet. */
export const JTI_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export interface MraJwsHeader {
  readonly alg: SignatureAlgorithm;
  readonly kid: string;
  readonly typ: typeof MRA_JWS_TYP;
  readonly cty: string;
  readonly iss: Programme;
  readonly aud: Programme;
  readonly iat: number;
  readonly jti: string;
  readonly mra_type: MessageType;
  readonly mra_profile: typeof SIGNING_PROFILE_VERSION;
  readonly crit: readonly string[];
}

/** What the caller says about a message; the key decides alg and kid. */
export interface SigningParameters {
  readonly contentType: string;
  readonly messageId: string;
  readonly messageType: MessageType;
  readonly issuer: Programme;
  readonly audience: Programme;
  readonly issuedAt: Date;
}

export function buildJwsHeader(
  params: SigningParameters,
  alg: SignatureAlgorithm,
  kid: string,
): MraJwsHeader {
  if (!JTI_PATTERN.test(params.messageId))
    throw new TypeError(`message id '${params.messageId}' cannot be a jti`);
  if (!isMessageType(params.messageType))
    throw new TypeError(`'${String(params.messageType)}' is not a message type`);
  return {
    alg,
    kid,
    typ: MRA_JWS_TYP,
    cty: params.contentType,
    iss: params.issuer,
    aud: params.audience,
    iat: numericDate(params.issuedAt),
    jti: params.messageId,
    mra_type: params.messageType,
    mra_profile: SIGNING_PROFILE_VERSION,
    crit: [...CRITICAL_MEMBERS],
  };
}
