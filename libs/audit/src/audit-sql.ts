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

/** The highest seq in the log, or null when it is empty. */
export async function readLastSeq(sql: Sql): Promise<number | null> {
  const [row] = await sql.query<{ seq: number | string | null }>(
    `SELECT MAX("seq") AS "seq" FROM "audit_entry"`,
  );
  return row?.seq === null || row?.seq === undefined ? null : Number(row.seq);
}
