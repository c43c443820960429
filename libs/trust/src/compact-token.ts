import { GatewayError, type ReasonCode } from '@aeo/domain';
import type { TokenLimits } from './token-limits.js';

/**
 * Reading a compact JWS or JWE before any cryptography: size, shape, base64url, and a
 * protected header that is a JSON object. Nothing here trusts the token; it only refuses
 * what is not even well-formed, each refusal with its own reason code.
 */
export interface CompactJws {
  readonly kind: 'jws';
  readonly text: string;
  readonly header: Record<string, unknown>;
  /** Length in bytes of the decoded payload, known without decoding it. */
  readonly payloadBytes: number;
}

export interface CompactJwe {
  readonly kind: 'jwe';
  readonly text: string;
  readonly header: Record<string, unknown>;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The token as text, refused when it is larger than a JWE of the largest payload could be. */
export function tokenText(token: Uint8Array | string, limits: TokenLimits): string {
  const size = typeof token === 'string' ? token.length : token.byteLength;
  if (size > limits.maxJweChars) {
    throw new GatewayError(
      'PAYLOAD_TOO_LARGE',
      `token of ${size} bytes exceeds the limit of ${limits.maxJweChars}`,
    );
  }
  if (size === 0) throw new GatewayError('JWS_MALFORMED', 'empty token');
  return typeof token === 'string'
    ? token
    : Buffer.from(token.buffer, token.byteOffset, token.byteLength).toString('latin1');
}

/** A compact JWS (3 segments) or JWE (5 segments); anything else is not a JOSE token of ours. */
export function parseCompact(text: string, limits: TokenLimits): CompactJws | CompactJwe {
  const parts = text.split('.');
  if (parts.length === 5) return parseJwe(text, parts);
  if (parts.length !== 3)
    throw new GatewayError(
      'JWS_MALFORMED',
      `a compact JWS has 3 segments and a JWE 5; this token has ${parts.length}`,
    );
  return parseJws(text, limits);
}

export function parseJws(text: string, limits: TokenLimits): CompactJws {
  if (text.length > limits.maxJwsChars) {
    throw new GatewayError(
      'PAYLOAD_TOO_LARGE',
      `JWS of ${text.length} characters exceeds the limit of ${limits.maxJwsChars}`,
    );
  }
  const parts = text.split('.');
  if (parts.length !== 3)
    throw new GatewayError('JWS_MALFORMED', `a compact JWS has 3 segments; this one has ${parts.length}`);
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  checkSegment(headerPart, 'header', 'JWS_MALFORMED');
  checkSegment(payloadPart, 'payload', 'JWS_MALFORMED');
  checkSegment(signaturePart, 'signature', 'JWS_MALFORMED', true);
  const payloadBytes = Math.floor((payloadPart.length * 3) / 4);
  if (payloadBytes > limits.maxPayloadBytes) {
    throw new GatewayError(
      'PAYLOAD_TOO_LARGE',
      `payload of ${payloadBytes} bytes exceeds the limit of ${limits.maxPayloadBytes}`,
    );
  }
  return { kind: 'jws', text, header: decodeHeader(headerPart, 'JWS_MALFORMED'), payloadBytes };
}

function parseJwe(text: string, parts: string[]): CompactJwe {
  const names = ['header', 'encrypted key', 'iv', 'ciphertext', 'tag'];
  parts.forEach((part, i) => checkSegment(part, names[i], 'JWE_MALFORMED', i === 1));
  return { kind: 'jwe', text, header: decodeHeader(parts[0], 'JWE_MALFORMED') };
}

function checkSegment(segment: string, name: string, code: ReasonCode, mayBeEmpty = false): void {
  if (segment.length === 0 && !mayBeEmpty)
    throw new GatewayError(code, `the ${name} segment is empty`, `/${name.replace(' ', '_')}`);
  if (!BASE64URL.test(segment) || segment.length % 4 === 1) {
    throw new GatewayError(code, `the ${name} segment is not base64url`, `/${name.replace(' ', '_')}`);
  }
}

function decodeHeader(segment: string, code: ReasonCode): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(Buffer.from(segment, 'base64url')));
  } catch {
    throw new GatewayError(code, 'the protected header is not UTF-8 JSON', '/header');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GatewayError(code, 'the protected header is not a JSON object', '/header');
  }
  return value as Record<string, unknown>;
}
