import type { DataSource, EntityManager } from 'typeorm';
import type { AuditEntryRecord } from './audit-entry.js';

/**
 * Plain SQL over a TypeORM manager, written once with `?` placeholders and rewritten to `$n`
 * for PostgreSQL. The audit log's hot paths (append, verify, search) use this instead of the
 * ORM: no entity hydration, one round trip per batch or page.
 */
export interface Sql {
  readonly postgres: boolean;
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

export function sqlOf(manager: EntityManager): Sql {
  const postgres = manager.connection.options.type === 'postgres';
  return {
    postgres,
    async query<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
      let n = 0;
      const statement = postgres ? text.replace(/\?/g, () => `$${++n}`) : text;
      return manager.query<T[]>(statement, [...params]);
    },
  };
}

export function isPostgresSource(dataSource: DataSource): boolean {
  return dataSource.options.type === 'postgres';
}

/** Every column of audit_entry, aliased to the record's field names. */
export const ENTRY_COLUMNS =
  `"seq", "recorded_at" AS "recordedAt", "direction", "partner", "message_id" AS "messageId", ` +
  `"correlation_id" AS "correlationId", "aeo_id" AS "aeoId", "type", "outcome", "actor", "key_id" AS "keyId", ` +
  `"payload_sha256" AS "payloadSha256", "details", "prev_hash" AS "prevHash", "hash"`;

export const ENTRY_INSERT_COLUMNS =
  `"seq", "recorded_at", "direction", "partner", "message_id", "correlation_id", "aeo_id", "type", "outcome", ` +
  `"actor", "key_id", "payload_sha256", "details", "prev_hash", "hash"`;

export type StoredEntryRow = AuditEntryRecord & { hash: string };

/**
 * A raw row as a record with numbers. The aliases already carry the record's field names,
 * so only PostgreSQL's bigint strings need converting, in place: the verifier reads every
 * row of the log through here, and a copy per row would cost more than the conversion.
 */
export function toStoredRow(row: Record<string, unknown>): StoredEntryRow {
  if (typeof row.seq !== 'number') row.seq = Number(row.seq);
  if (typeof row.recordedAt !== 'number') row.recordedAt = Number(row.recordedAt);
  return row as unknown as StoredEntryRow;
}

/** Keyset paging over the chain: entries with from <= seq <= to, in seq order. */
export async function readEntryPage(
  sql: Sql,
  fromSeq: number,
  toSeq: number | undefined,
  limit: number,
): Promise<StoredEntryRow[]> {
  const rows =
    toSeq === undefined
      ? await sql.query(
          `SELECT ${ENTRY_COLUMNS} FROM "audit_entry" WHERE "seq" >= ? ORDER BY "seq" LIMIT ?`,
          [fromSeq, limit],
        )
      : await sql.query(
          `SELECT ${ENTRY_COLUMNS} FROM "audit_entry" WHERE "seq" >= ? AND "seq" <= ? ORDER BY "seq" LIMIT ?`,
          [fromSeq, toSeq, limit],
        );
  return rows.map(toStoredRow);
}

export type EntryPageReader = (
  fromSeq: number,
  toSeq: number | undefined,
  limit: number,
) => Promise<StoredEntryRow[]>;

/** The few better-sqlite3 calls the fast path uses (the package ships no types here). */
interface BetterSqliteConnection {
  prepare(sql: string): { raw(toggle: boolean): { all(...params: unknown[]): unknown[][] } };
}

/**
 * Pages of the chain for the verifier. On SQLite it prepares its statements on the driver's
 * connection and reads rows as arrays: better-sqlite3 builds plain arrays about twice as fast
 * as keyed objects, and reading is half the cost of verifying. PostgreSQL goes through
 * readEntryPage (row arrays did not help there; the text protocol is the cost).
 */
export function entryPageReader(dataSource: DataSource): EntryPageReader {
  if (dataSource.options.type === 'better-sqlite3') {
    const connection = (dataSource.driver as unknown as { databaseConnection: BetterSqliteConnection })
      .databaseConnection;
    const open = connection
      .prepare(`SELECT ${ENTRY_COLUMNS} FROM "audit_entry" WHERE "seq" >= ? ORDER BY "seq" LIMIT ?`)
      .raw(true);
    const bounded = connection
      .prepare(
        `SELECT ${ENTRY_COLUMNS} FROM "audit_entry" WHERE "seq" >= ? AND "seq" <= ? ORDER BY "seq" LIMIT ?`,
      )
      .raw(true);
    return async (fromSeq, toSeq, limit) =>
      (toSeq === undefined ? open.all(fromSeq, limit) : bounded.all(fromSeq, toSeq, limit)).map(fromColumns);
  }
  const sql = sqlOf(dataSource.manager);
  return (fromSeq, toSeq, limit) => readEntryPage(sql, fromSeq, toSeq, limit);
}

/** A row in ENTRY_COLUMNS order. */
function fromColumns(row: unknown[]): StoredEntryRow {
  return {
    seq: Number(row[0]),
    recordedAt: Number(row[1]),
    direction: row[2] as string,
    partner: row[3] as string | null,
    messageId: row[4] as string | null,
    correlationId: row[5] as string | null,
    aeoId: row[6] as string | null,
    type: row[7] as string,
    outcome: row[8] as string,
    actor: row[9] as string | null,
    keyId: row[10] as string | null,
    payloadSha256: row[11] as string | null,
    details: row[12] as string,
    prevHash: row[13] as string,
    hash: row[14] as string,
  };
}
