import { createHash, hash } from 'node:crypto';
import { GatewayError } from '@aeo/domain';
import { canonicalJson, hasLoneSurrogate, type JsonObject } from './canonical-json.js';

export const AUDIT_DIRECTIONS = ['IN', 'OUT', 'INTERNAL'] as const;
export type AuditDirection = (typeof AUDIT_DIRECTIONS)[number];

/**
 * Entry types the gateway writes. The column takes any upper-case code (a later feature may
 * add its own), these are the ones the rest of the code agrees on.
 */
export const AUDIT_ENTRY_TYPES = [
  'MESSAGE_RECEIVED',
  'MESSAGE_SENT',
  'VERIFICATION',
  'RECEIPT_SENT',
  'RECEIPT_RECEIVED',
  'STATE_CHANGE',
  'RECOGNITION_DECISION',
  'OPERATOR_ACTION',
  'CHECKPOINT',
] as const;
export type KnownAuditEntryType = (typeof AUDIT_ENTRY_TYPES)[number];
export type AuditEntryType = KnownAuditEntryType | (string & { readonly __extension?: never });

/** The previous-hash of entry 1. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a caller hands to the appender; the log adds seq, recordedAt, prevHash and hash. */
export interface AuditEntryInput {
  readonly direction: AuditDirection;
  readonly type: AuditEntryType;
  /** Outcome code: a reason code from @aeo/domain, or ACCEPTED, SENT, SIGNED, VALID, ... */
  readonly outcome: string;
  readonly partner?: string | null;
  readonly messageId?: string | null;
  readonly correlationId?: string | null;
  readonly aeoId?: string | null;
  /** Who did it: `system`, a service name, or the operator's user id for OPERATOR_ACTION. */
  readonly actor?: string | null;
  /** Key id of the signature that was verified or made. */
  readonly keyId?: string | null;
  /** The exact bytes that crossed the gateway; stored (encrypted if configured) under their SHA-256. */
  readonly payload?: Uint8Array | null;
  /** SHA-256 (hex) of bytes kept elsewhere or not kept at all (metadata-only logging). */
  readonly payloadSha256?: string | null;
  /** Any JSON object; checked and stored as canonical JSON (a Date or NaN inside is refused). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** One stored entry, as the chain sees it. */
export interface AuditEntry {
  readonly seq: number;
  /** UTC milliseconds since the epoch; never decreases along the chain. */
  readonly recordedAt: number;
  readonly direction: AuditDirection;
  readonly partner: string | null;
  readonly messageId: string | null;
  readonly correlationId: string | null;
  readonly aeoId: string | null;
  readonly type: AuditEntryType;
  readonly outcome: string;
  readonly actor: string | null;
  readonly keyId: string | null;
  readonly payloadSha256: string | null;
  readonly details: JsonObject;
  readonly prevHash: string;
  readonly hash: string;
}

/**
 * The fields of an entry as stored: `details` is kept as its canonical JSON text, because
 * that text (not a re-serialisation of it) is what the hash covers.
 */
export interface AuditEntryRecord {
  seq: number;
  recordedAt: number;
  direction: string;
  partner: string | null;
  messageId: string | null;
  correlationId: string | null;
  aeoId: string | null;
  type: string;
  outcome: string;
  actor: string | null;
  keyId: string | null;
  payloadSha256: string | null;
  details: string;
  prevHash: string;
}

/** Column limits, checked before the database sees a value (SQLite would not enforce them). */
export const AUDIT_FIELD_LIMITS = {
  partner: 16,
  messageId: 200,
  correlationId: 200,
  aeoId: 100,
  type: 40,
  outcome: 64,
  actor: 200,
  keyId: 200,
} as const;

const SHA256_HEX = /^[0-9a-f]{64}$/;
const CODE = /^[A-Z][A-Z0-9_]*$/;

/**
 * The canonical encoding an entry's hash covers: RFC 8785-style JSON of every field except
 * `hash`, keys in code-unit order, nulls written out. Spelled out as a template (rather than
 * calling canonicalJson) because the verifier runs it for every entry; canonical-json.spec
 * proves both produce the same bytes. `details` is already canonical text.
 */
export function canonicalEntry(entry: AuditEntryRecord): string {
  return (
    `{"actor":${str(entry.actor)},"aeoId":${str(entry.aeoId)},"correlationId":${str(entry.correlationId)},` +
    `"details":${entry.details},"direction":${JSON.stringify(entry.direction)},"keyId":${str(entry.keyId)},` +
    `"messageId":${str(entry.messageId)},"outcome":${JSON.stringify(entry.outcome)},"partner":${str(entry.partner)},` +
    `"payloadSha256":${str(entry.payloadSha256)},"prevHash":${JSON.stringify(entry.prevHash)},` +
    `"recordedAt":${entry.recordedAt},"seq":${entry.seq},"type":${JSON.stringify(entry.type)}}`
  );
}

function str(value: string | null): string {
  return value === null ? 'null' : JSON.stringify(value);
}

/**
 * hash = lowercase hex SHA-256 of (prevHash as 64 ASCII hex characters || canonical UTF-8).
 * One-shot crypto.hash over one string: several times faster than createHash().update()
 * chains for inputs this small, and the verifier runs it for every entry.
 */
export function entryHash(entry: AuditEntryRecord): string {
  return chainHash(entry.prevHash, canonicalEntry(entry));
}

/** The same hash over a canonical encoding already at hand (the verifier's path). */
export function chainHash(prevHash: string, canonical: string): string {
  return hash('sha256', prevHash + canonical, 'hex');
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

/**
 * Check one input and bring it to stored form (without seq, time and hashes). Every problem
 * is a GatewayError INVALID_VALUE naming the field, so a caller's bug surfaces as a clear
 * error before anything is written.
 */
export function normaliseInput(
  input: AuditEntryInput,
  index: number,
): Omit<AuditEntryRecord, 'seq' | 'recordedAt' | 'prevHash'> {
  const path = (field: string) => `/${index}/${field}`;
  if (!(AUDIT_DIRECTIONS as readonly string[]).includes(input.direction)) {
    throw new GatewayError(
      'INVALID_VALUE',
      `direction must be one of ${AUDIT_DIRECTIONS.join(', ')}`,
      path('direction'),
    );
  }
  const code = (field: 'type' | 'outcome', value: string) => {
    if (typeof value !== 'string' || !CODE.test(value) || value.length > AUDIT_FIELD_LIMITS[field]) {
      throw new GatewayError(
        'INVALID_VALUE',
        `${field} must be an upper-case code (A-Z, 0-9, _) of at most ${AUDIT_FIELD_LIMITS[field]} characters`,
        path(field),
      );
    }
    return value;
  };
  const optional = (field: Exclude<keyof typeof AUDIT_FIELD_LIMITS, 'type' | 'outcome'>): string | null => {
    const value = input[field];
    if (value === undefined || value === null) return null;
    if (
      typeof value !== 'string' ||
      value.length === 0 ||
      value.length > AUDIT_FIELD_LIMITS[field] ||
      hasLoneSurrogate(value)
    ) {
      // Empty strings are refused so that null and '' cannot be confused (CSV exports have no null).
      throw new GatewayError(
        'INVALID_VALUE',
        `${field} must be null or a non-empty, well-formed string of at most ${AUDIT_FIELD_LIMITS[field]} characters`,
        path(field),
      );
    }
    return value;
  };
  let payloadSha256 = input.payloadSha256 ?? null;
  if (payloadSha256 !== null && !isSha256Hex(payloadSha256)) {
    throw new GatewayError(
      'INVALID_VALUE',
      'payloadSha256 must be 64 lowercase hex digits',
      path('payloadSha256'),
    );
  }
  if (input.payload !== undefined && input.payload !== null) {
    const digest = sha256Hex(input.payload);
    if (payloadSha256 !== null && payloadSha256 !== digest) {
      throw new GatewayError(
        'INVALID_VALUE',
        'payloadSha256 does not match the payload bytes',
        path('payloadSha256'),
      );
    }
    payloadSha256 = digest;
  }
  const details = input.details ?? {};
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    throw new GatewayError('INVALID_VALUE', 'details must be a JSON object', path('details'));
  }
  let detailsText: string;
  try {
    detailsText = canonicalJson(details);
  } catch (error) {
    if (error instanceof GatewayError) {
      throw new GatewayError(
        'INVALID_VALUE',
        error.message,
        `${path('details')}${error.path === '/' ? '' : error.path}`,
      );
    }
    throw error;
  }
  return {
    direction: input.direction,
    partner: optional('partner'),
    messageId: optional('messageId'),
    correlationId: optional('correlationId'),
    aeoId: optional('aeoId'),
    type: code('type', input.type),
    outcome: code('outcome', input.outcome),
    actor: optional('actor'),
    keyId: optional('keyId'),
    payloadSha256,
    details: detailsText,
  };
}

/** A stored record plus its hash, as the public AuditEntry (details parsed). */
export function toAuditEntry(record: AuditEntryRecord, hash: string): AuditEntry {
  return {
    seq: record.seq,
    recordedAt: record.recordedAt,
    direction: record.direction as AuditDirection,
    partner: record.partner,
    messageId: record.messageId,
    correlationId: record.correlationId,
    aeoId: record.aeoId,
    type: record.type,
    outcome: record.outcome,
    actor: record.actor,
    keyId: record.keyId,
    payloadSha256: record.payloadSha256,
    details: JSON.parse(record.details) as JsonObject,
    prevHash: record.prevHash,
    hash,
  };
}
