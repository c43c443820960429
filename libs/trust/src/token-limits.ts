/**
 * Size limits for tokens, derived from the payload limit so that they are checked before any
 * parsing: base64url grows the payload by 4/3, the header and signature add at most a few
 * kilobytes, and a JWE wraps the whole JWS once more.
 */
export const DEFAULT_MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;
const HEADER_AND_SIGNATURE_ALLOWANCE = 16 * 1024;

export interface TokenLimits {
  readonly maxPayloadBytes: number;
  readonly maxJwsChars: number;
  readonly maxJweChars: number;
}

function base64urlLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

export function tokenLimitsFor(maxPayloadBytes: number = DEFAULT_MAX_PAYLOAD_BYTES): TokenLimits {
  const maxJwsChars = base64urlLength(maxPayloadBytes) + HEADER_AND_SIGNATURE_ALLOWANCE;
  return {
    maxPayloadBytes,
    maxJwsChars,
    maxJweChars: base64urlLength(maxJwsChars) + HEADER_AND_SIGNATURE_ALLOWANCE,
  };
}
