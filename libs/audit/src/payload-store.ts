import { GatewayError } from '@aeo/domain';
import type { DataSource } from 'typeorm';
import { isSha256Hex, sha256Hex } from './audit-entry.js';
import { sqlOf, type Sql } from './audit-sql.js';
import type { PayloadCipher, PayloadCipherLookup } from './payload-cipher.js';

/**
 * The raw-bytes store: `audit_payload`, keyed by the SHA-256 of the plaintext, append-only
 * like the entries (triggers refuse UPDATE and DELETE). The same bytes are stored once
 * however many entries reference them.
 */

const INSERT_CHUNK = 200;

export async function storePayloads(
  sql: Sql,
  payloads: ReadonlyMap<string, Uint8Array>,
  cipher: PayloadCipher | undefined,
  storedAt: number,
): Promise<void> {
  const rows = [...payloads].map(([sha256, bytes]) => [
    sha256,
    bytes.length,
    cipher?.id ?? null,
    storedAt,
    Buffer.from(cipher ? cipher.seal(bytes, sha256) : bytes),
  ]);
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const chunk = rows.slice(start, start + INSERT_CHUNK);
    await sql.query(
      `INSERT INTO "audit_payload" ("sha256", "size", "cipher", "stored_at", "bytes") VALUES ` +
        chunk.map(() => '(?, ?, ?, ?, ?)').join(', ') +
        ` ON CONFLICT ("sha256") DO NOTHING`,
      chunk.flat(),
    );
  }
}

export type PayloadReadResult =
  | { readonly status: 'ok'; readonly bytes: Buffer }
  | { readonly status: 'missing' }
  /** Sealed with a cipher this process has no key for. */
  | { readonly status: 'sealed'; readonly cipher: string }
  /** Present, but its bytes do not hash to its key, or do not decrypt. */
  | { readonly status: 'altered'; readonly reason: string };

/** Read and check payloads: every returned `ok` payload hashes to its SHA-256. */
export async function readPayloads(
  sql: Sql,
  sha256s: readonly string[],
  ciphers: PayloadCipherLookup,
): Promise<Map<string, PayloadReadResult>> {
  const results = new Map<string, PayloadReadResult>();
  const wanted = [...new Set(sha256s)];
  for (let start = 0; start < wanted.length; start += INSERT_CHUNK) {
    const chunk = wanted.slice(start, start + INSERT_CHUNK);
    const rows = await sql.query<{ sha256: string; cipher: string | null; bytes: Uint8Array }>(
      `SELECT "sha256", "cipher", "bytes" FROM "audit_payload" WHERE "sha256" IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const row of rows) results.set(row.sha256, openPayload(row, ciphers));
  }
  for (const sha256 of wanted) if (!results.has(sha256)) results.set(sha256, { status: 'missing' });
  return results;
}

function openPayload(
  row: { sha256: string; cipher: string | null; bytes: Uint8Array },
  ciphers: PayloadCipherLookup,
): PayloadReadResult {
  let bytes = Buffer.from(row.bytes);
  if (row.cipher !== null) {
    const cipher = ciphers(row.cipher);
    if (!cipher) return { status: 'sealed', cipher: row.cipher };
    try {
      bytes = Buffer.from(cipher.open(bytes, row.sha256));
    } catch (error) {
      return { status: 'altered', reason: error instanceof Error ? error.message : String(error) };
    }
  }
  const actual = sha256Hex(bytes);
  if (actual !== row.sha256) return { status: 'altered', reason: `bytes hash to ${actual}` };
  return { status: 'ok', bytes };
}

/**
 * The stored bytes of one payload, checked against their hash (for GET /v1/audit/{seq} and
 * evidence packages). Null when the store does not hold them (metadata-only logging).
 */
export async function getAuditPayload(
  dataSource: DataSource,
  sha256: string,
  ciphers: PayloadCipherLookup,
): Promise<Buffer | null> {
  if (!isSha256Hex(sha256))
    throw new GatewayError('INVALID_VALUE', 'sha256 must be 64 lowercase hex digits', '/sha256');
  const result = (await readPayloads(sqlOf(dataSource.manager), [sha256], ciphers)).get(sha256);
  switch (result?.status) {
    case 'ok':
      return result.bytes;
    case 'sealed':
      throw new GatewayError(
        'PAYLOAD_UNREADABLE',
        `payload ${sha256} is sealed with cipher '${result.cipher}', whose key is not loaded`,
      );
    case 'altered':
      throw new GatewayError('PAYLOAD_ALTERED', `stored payload ${sha256} is altered: ${result.reason}`);
    default:
      return null;
  }
}
