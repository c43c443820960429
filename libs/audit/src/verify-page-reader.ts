import type { DataSource } from 'typeorm';
import { canonicalEntry, type AuditEntryRecord } from './audit-entry.js';
import { readEntryPage, sqlOf } from './audit-sql.js';

/**
 * The verifier's view of an entry, as the row array the driver returns (no object per row:
 * the verifier reads every row of the log): the canonical encoding its hash covers,
 * rendered by the database from every stored column, and the few fields checked on their own.
 * seq and recordedAt arrive as strings from PostgreSQL (bigint).
 */
export type VerifyRow = readonly [
  seq: number | string,
  recordedAt: number | string,
  prevHash: string,
  /** canonicalEntry() of the stored row, byte for byte: all 14 hashed columns take part. */
  canonical: string,
  hash: string,
  /** `details` of an INTERNAL CHECKPOINT entry (it names a checkpoint row); null otherwise. */
  checkpointDetails: string | null,
  /** Read only when payloads are checked. */
  payloadSha256?: string | null,
];

/**
 * Pages of the chain for the verifier: the entries with fromSeq <= seq <= toSeq, in seq
 * order. Ranges, not `seq >= ? LIMIT n`: the verifier can ask for the next range before this
 * one has arrived, and PostgreSQL plans a primary-key range scan even on a table it has not
 * analysed yet (with `seq >= ?` alone it estimated a third of the table, chose a full scan and
 * a sort of every row for every page, and verify ran several times slower).
 */
export interface VerifyPageReader {
  /** How many ranges the verifier should keep requested ahead. */
  readonly pagesInFlight: number;
  read(fromSeq: number, toSeq: number): Promise<VerifyRow[]>;
  close(): Promise<void>;
}

/** The canonical members in the order canonicalEntry writes them (keys sorted). */
const CANONICAL_MEMBERS: ReadonlyArray<
  readonly [key: keyof AuditEntryRecord, column: string, kind: 'string' | 'json' | 'integer']
> = [
  ['actor', 'actor', 'string'],
  ['aeoId', 'aeo_id', 'string'],
  ['correlationId', 'correlation_id', 'string'],
  ['details', 'details', 'json'],
  ['direction', 'direction', 'string'],
  ['keyId', 'key_id', 'string'],
  ['messageId', 'message_id', 'string'],
  ['outcome', 'outcome', 'string'],
  ['partner', 'partner', 'string'],
  ['payloadSha256', 'payload_sha256', 'string'],
  ['prevHash', 'prev_hash', 'string'],
  ['recordedAt', 'recorded_at', 'integer'],
  ['seq', 'seq', 'integer'],
  ['type', 'type', 'string'],
];

/**
 * SQL rendering an entry's canonical encoding from its columns, equal to canonicalEntry()
 * for every row the appender writes (test/audit/audit-verify-sql.spec.ts proves it, string
 * escaping included, on both databases).
 *
 * Why in SQL: verifying is bound by the verifier's own CPU, not the database's (measured on
 * PostgreSQL: ~7 µs of client CPU per entry against ~0.8 µs of server CPU). Turning 15
 * columns into 15 JavaScript strings and then into the canonical text was most of it; one
 * string per entry, built in C — on PostgreSQL in another process, on the other core —
 * halves it. Every hashed column still takes part, so an edit to any of them changes the
 * text and fails its hash exactly as before.
 *
 * String values are quoted by the database's own JSON quoting, which escapes exactly what
 * ECMAScript's JSON.stringify escapes (`"`, `\`, \b \f \n \r \t, other controls as \u00xx
 * lowercase; everything else as itself). On PostgreSQL every function and operator is
 * schema-qualified, so a function or operator planted earlier on the search_path cannot
 * take their place.
 */
export function canonicalEntrySql(postgres: boolean): string {
  const text = postgres ? '::pg_catalog.text' : '';
  const quote = (column: string) =>
    postgres ? `pg_catalog.to_json("${column}")::pg_catalog.text` : `json_quote("${column}")`;
  const parts: string[] = [];
  CANONICAL_MEMBERS.forEach(([key, column, kind], index) => {
    parts.push(`'${index === 0 ? '{' : ','}"${key}":'`);
    const value =
      kind === 'string' ? quote(column) : kind === 'integer' ? `"${column}"${text}` : `"${column}"`;
    parts.push(`COALESCE(${value}, 'null')`);
  });
  parts.push(`'}'`);
  // Measured: on SQLite concat() builds one string where || builds one per operator (~10% less
  // CPU); on PostgreSQL || is the cheaper of the two (concat() looks up each argument's type).
  return postgres ? parts.join(' OPERATOR(pg_catalog.||) ') : `concat(${parts.join(', ')})`;
}

function verifyPageSql(postgres: boolean, withPayloads: boolean): string {
  const equals = postgres ? 'OPERATOR(pg_catalog.=)' : '=';
  return (
    `SELECT "seq", "recorded_at", "prev_hash", ${canonicalEntrySql(postgres)} AS "canonical", "hash", ` +
    `CASE WHEN "type" ${equals} 'CHECKPOINT' AND "direction" ${equals} 'INTERNAL' THEN "details" END AS "checkpoint_details"` +
    (withPayloads ? `, "payload_sha256"` : '') +
    ` FROM "audit_entry" WHERE "seq" >= ? AND "seq" <= ? ORDER BY "seq"`
  );
}

/** The few better-sqlite3 calls used here (the package ships no types in this setup). */
interface BetterSqliteConnection {
  prepare(sql: string): { raw(toggle: boolean): { all(...params: unknown[]): VerifyRow[] } };
}

/** The node-postgres client call used here. */
interface PgClient {
  query(config: {
    name: string;
    text: string;
    values: unknown[];
    rowMode: 'array';
  }): Promise<{ rows: VerifyRow[] }>;
}

/**
 * Rows come as arrays, not keyed objects (less to build and collect per row).
 * - SQLite: a statement prepared on the driver's one connection, in `raw` mode. The driver is
 *   synchronous, so one range ahead is all there is.
 * - PostgreSQL: two pooled connections of its own for the whole run, used in turn, each with
 *   a named (prepared) statement: two backends render ranges while this thread hashes.
 *   Rendering (~3 µs of server CPU per entry) and hashing (~3 µs here) then overlap.
 * - Any other driver: the portable path, canonical text computed here.
 */
export async function openVerifyPageReader(
  dataSource: DataSource,
  options: { readonly withPayloads: boolean },
): Promise<VerifyPageReader> {
  if (dataSource.options.type === 'better-sqlite3') {
    const connection = (dataSource.driver as unknown as { databaseConnection: BetterSqliteConnection })
      .databaseConnection;
    const page = connection.prepare(verifyPageSql(false, options.withPayloads)).raw(true);
    return {
      pagesInFlight: 1,
      read: async (fromSeq, toSeq) => page.all(fromSeq, toSeq),
      close: async () => undefined,
    };
  }
  if (dataSource.options.type === 'postgres') {
    let n = 0;
    const text = verifyPageSql(true, options.withPayloads).replace(/\?/g, () => `$${++n}`);
    // Connections held for the whole run, leaving two in the pool for everything else (the
    // verifier's own checkpoint, payload and diagnosis reads among them): a pool of 2 or less
    // has none to spare, and the pages then go through the pool query by query.
    const poolSize = (dataSource.options as { poolSize?: number }).poolSize ?? 10;
    const dedicated = Math.min(2, poolSize - 2);
    if (dedicated < 1) {
      return {
        pagesInFlight: 1,
        read: async (fromSeq, toSeq) =>
          (await dataSource.query<Array<Record<string, unknown>>>(text, [fromSeq, toSeq])).map(
            (row) => Object.values(row) as unknown as VerifyRow,
          ),
        close: async () => undefined,
      };
    }
    const driver = dataSource.driver as unknown as {
      obtainMasterConnection(): Promise<[PgClient, (error?: unknown) => void]>;
    };
    const connections: Array<[PgClient, (error?: unknown) => void]> = [];
    try {
      while (connections.length < dedicated) connections.push(await driver.obtainMasterConnection());
    } catch (error) {
      for (const [, release] of connections) release();
      throw error;
    }
    const name = options.withPayloads ? 'mra_audit_verify_range_payloads' : 'mra_audit_verify_range';
    let turn = 0;
    return {
      pagesInFlight: connections.length,
      read: async (fromSeq, toSeq) => {
        const [client] = connections[turn++ % connections.length];
        return (await client.query({ name, text, values: [fromSeq, toSeq], rowMode: 'array' })).rows;
      },
      close: async () => {
        for (const [, release] of connections) release();
      },
    };
  }
  const sql = sqlOf(dataSource.manager);
  return {
    pagesInFlight: 1,
    read: async (fromSeq, toSeq) =>
      (await readEntryPage(sql, fromSeq, toSeq, toSeq - fromSeq + 1)).map((row): VerifyRow => [
        row.seq,
        row.recordedAt,
        row.prevHash,
        canonicalEntry(row),
        row.hash,
        row.type === 'CHECKPOINT' && row.direction === 'INTERNAL' ? row.details : null,
        row.payloadSha256,
      ]),
    close: async () => undefined,
  };
}
