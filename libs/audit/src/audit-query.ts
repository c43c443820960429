import { GatewayError } from '@aeo/domain';
import type { DataSource } from 'typeorm';
import { AUDIT_DIRECTIONS, toAuditEntry, type AuditDirection, type AuditEntry } from './audit-entry.js';
import { ENTRY_COLUMNS, readEntryPage, sqlOf, toStoredRow } from './audit-sql.js';

export const AUDIT_PAGE_DEFAULT = 100;
export const AUDIT_PAGE_MAX = 500;

/** Search filters; every one given must match. Times are recordedAt, `from` inclusive, `to` exclusive. */
export interface AuditQuery {
  readonly partner?: string;
  readonly aeoId?: string;
  readonly messageId?: string;
  readonly correlationId?: string;
  readonly type?: string;
  readonly outcome?: string;
  readonly direction?: AuditDirection;
  readonly from?: Date | number;
  readonly to?: Date | number;
  /** The `nextCursor` of the previous page (a seq, exclusive). */
  readonly cursor?: number;
  /** 1..500, default 100. */
  readonly limit?: number;
  /** `desc` (newest first, the default) or `asc`. */
  readonly order?: 'asc' | 'desc';
}

export interface AuditPage {
  readonly entries: AuditEntry[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: number | null;
}

const FILTER_COLUMNS = {
  partner: 'partner',
  aeoId: 'aeo_id',
  messageId: 'message_id',
  correlationId: 'correlation_id',
  type: 'type',
  outcome: 'outcome',
  direction: 'direction',
} as const;

/** Search the log (GET /v1/audit). Paginated by seq, so pages stay stable while the log grows. */
export async function searchAudit(dataSource: DataSource, query: AuditQuery = {}): Promise<AuditPage> {
  const limit = query.limit ?? AUDIT_PAGE_DEFAULT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > AUDIT_PAGE_MAX) {
    throw new GatewayError('INVALID_VALUE', `limit must be an integer from 1 to ${AUDIT_PAGE_MAX}`, '/limit');
  }
  const order = query.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc')
    throw new GatewayError('INVALID_VALUE', "order must be 'asc' or 'desc'", '/order');
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [field, column] of Object.entries(FILTER_COLUMNS) as Array<
    [keyof typeof FILTER_COLUMNS, string]
  >) {
    const value = query[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') {
      throw new GatewayError('INVALID_VALUE', `${field} must be a non-empty string`, `/${field}`);
    }
    where.push(`"${column}" = ?`);
    params.push(value);
  }
  if (query.from !== undefined) {
    where.push(`"recorded_at" >= ?`);
    params.push(timeOf(query.from, 'from'));
  }
  if (query.to !== undefined) {
    where.push(`"recorded_at" < ?`);
    params.push(timeOf(query.to, 'to'));
  }
  if (query.cursor !== undefined) {
    if (!Number.isSafeInteger(query.cursor) || query.cursor < 0) {
      throw new GatewayError('INVALID_VALUE', 'cursor must be a seq returned as nextCursor', '/cursor');
    }
    where.push(order === 'asc' ? `"seq" > ?` : `"seq" < ?`);
    params.push(query.cursor);
  }
  params.push(limit + 1);
  const rows = await sqlOf(dataSource.manager).query<Record<string, unknown>>(
    `SELECT ${ENTRY_COLUMNS} FROM "audit_entry"${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ` +
      `ORDER BY "seq" ${order === 'asc' ? 'ASC' : 'DESC'} LIMIT ?`,
    params,
  );
  const entries = rows.slice(0, limit).map((raw) => {
    const row = toStoredRow(raw);
    return toAuditEntry(row, row.hash);
  });
  return { entries, nextCursor: rows.length > limit ? entries[entries.length - 1].seq : null };
}

/** One entry by seq (GET /v1/audit/{seq}); null when there is none. */
export async function getAuditEntry(dataSource: DataSource, seq: number): Promise<AuditEntry | null> {
  if (!Number.isSafeInteger(seq) || seq < 1)
    throw new GatewayError('INVALID_VALUE', 'seq must be an integer >= 1', '/seq');
  const [row] = await readEntryPage(sqlOf(dataSource.manager), seq, seq, 1);
  return row ? toAuditEntry(row, row.hash) : null;
}

/**
 * Turn HTTP query parameters (all strings) into an AuditQuery, with a GatewayError naming
 * the parameter for anything malformed. Times are ISO-8601 or epoch milliseconds.
 */
export function parseAuditQuery(params: Readonly<Record<string, string | undefined>>): AuditQuery {
  const known = new Set([...Object.keys(FILTER_COLUMNS), 'from', 'to', 'cursor', 'limit', 'order']);
  for (const key of Object.keys(params)) {
    if (!known.has(key))
      throw new GatewayError('INVALID_VALUE', `unknown query parameter '${key}'`, `/${key}`);
  }
  const integer = (name: string): number | undefined => {
    const value = params[name];
    if (value === undefined) return undefined;
    if (!/^\d{1,15}$/.test(value))
      throw new GatewayError('INVALID_VALUE', `${name} must be a non-negative integer`, `/${name}`);
    return Number(value);
  };
  const direction = params.direction;
  if (direction !== undefined && !(AUDIT_DIRECTIONS as readonly string[]).includes(direction)) {
    throw new GatewayError(
      'INVALID_VALUE',
      `direction must be one of ${AUDIT_DIRECTIONS.join(', ')}`,
      '/direction',
    );
  }
  const order = params.order;
  if (order !== undefined && order !== 'asc' && order !== 'desc') {
    throw new GatewayError('INVALID_VALUE', "order must be 'asc' or 'desc'", '/order');
  }
  const strings = Object.fromEntries(
    (['partner', 'aeoId', 'messageId', 'correlationId', 'type', 'outcome'] as const)
      .filter((name) => params[name] !== undefined)
      .map((name) => [name, params[name]]),
  );
  const query: AuditQuery = {
    ...strings,
    ...(direction !== undefined ? { direction: direction as AuditDirection } : {}),
    ...(params.from !== undefined ? { from: parseTime(params.from, 'from') } : {}),
    ...(params.to !== undefined ? { to: parseTime(params.to, 'to') } : {}),
    ...(params.cursor !== undefined ? { cursor: integer('cursor')! } : {}),
    ...(params.limit !== undefined ? { limit: integer('limit')! } : {}),
    ...(order !== undefined ? { order } : {}),
  };
  return query;
}

/** ISO-8601 (a date alone means its UTC midnight) or epoch milliseconds, to epoch milliseconds. */
export function parseTime(value: string, name: string): number {
  if (/^\d{1,15}$/.test(value)) return Number(value);
  if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value)) {
    const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
    if (Number.isFinite(ms)) return ms;
  }
  throw new GatewayError(
    'INVALID_VALUE',
    `${name} must be an ISO-8601 date or date-time with zone (2026-01-31, 2026-01-31T12:00:00Z) or epoch milliseconds`,
    `/${name}`,
  );
}

function timeOf(value: Date | number, name: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (!Number.isFinite(ms))
    throw new GatewayError('INVALID_VALUE', `${name} is not a valid time`, `/${name}`);
  return ms;
}
