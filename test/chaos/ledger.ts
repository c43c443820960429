/**
 * The gateway's end of the count: read-only queries on its database while it runs and is
 * killed. Each read uses a connection of its own and closes it, because a fault may
 * terminate any connection at any time (pg_terminate_backend), and a long-lived SQLite
 * reader would hold back the gateway's WAL checkpoints.
 */
import pg from 'pg';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '@aeo/persistence';

type Row = Record<string, unknown>;

export interface RecordVersion {
  readonly status: string;
  readonly recordVersion: number;
}

export interface InboundLedger {
  /** Inbox rows: partner messages accepted, each (partner, message id) at most once by key. */
  readonly inbox: number;
  /** Distinct receipts those rows name (one each, so a redelivery was answered with the original). */
  readonly receipts: number;
  /** Audit entries saying a message was accepted (one per accepted message). */
  readonly acceptedAudited: number;
  /** Records those messages applied, and those ignored because a newer version was already stored. */
  readonly appliedRecords: number;
  readonly ignoredOlder: number;
  /** History rows the partner's messages wrote, and how many distinct messages wrote them. */
  readonly historyRows: number;
  readonly historyMessages: number;
  /** History rows whose message has no inbox row (applied without being accepted). */
  readonly historyWithoutInbox: number;
}

export class GatewayLedger {
  private readonly target: ReturnType<typeof parseDatabaseUrl>;

  constructor(url: string) {
    this.target = parseDatabaseUrl(url);
  }

  /** Statements are written with `?`; PostgreSQL gets `$1…`. */
  async query(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    if (this.target.kind === 'sqlite') {
      const reader = new DataSource({ type: 'better-sqlite3', database: this.target.file, readonly: true, fileMustExist: true, timeout: 5_000 });
      await reader.initialize();
      try {
        return await reader.query<Row[]>(sql, [...params]);
      } finally {
        await reader.destroy();
      }
    }
    let index = 0;
    const client = new pg.Client({ connectionString: this.target.url });
    // A terminated backend is reported as an error event too; the query's rejection is what we act on.
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query(sql.replace(/\?/g, () => `$${++index}`), [...params])).rows as Row[];
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Stream messages the gateway has applied: the clock the fault plan runs on. */
  async applied(partner: string): Promise<number> {
    const [row] = await this.query(`SELECT COUNT(*) AS n FROM inbound_message WHERE partner = ? AND message_type = 'AEO_STATUS_DELTA'`, [partner]);
    return Number(row.n);
  }

  async inbound(partner: string): Promise<InboundLedger> {
    const [inbox] = await this.query(`SELECT COUNT(*) AS n, COUNT(DISTINCT receipt_message_id) AS receipts FROM inbound_message WHERE partner = ? AND message_type = 'AEO_STATUS_DELTA'`, [
      partner,
    ]);
    const [history] = await this.query(`SELECT COUNT(*) AS n, COUNT(DISTINCT source_message_id) AS messages FROM foreign_aeo_history WHERE source = ?`, [partner]);
    const [orphans] = await this.query(
      `SELECT COUNT(*) AS n FROM foreign_aeo_history h WHERE h.source = ? AND NOT EXISTS (SELECT 1 FROM inbound_message i WHERE i.partner = h.source AND i.message_id = h.source_message_id)`,
      [partner],
    );
    let acceptedAudited = 0;
    let appliedRecords = 0;
    let ignoredOlder = 0;
    for (const row of await this.query(`SELECT details FROM audit_entry WHERE type = 'MESSAGE_ACCEPTED' AND partner = ?`, [partner])) {
      const details = JSON.parse(String(row.details)) as { messageType?: string; applied?: number; ignoredOlder?: number };
      if (details.messageType !== 'AEO_STATUS_DELTA') continue;
      acceptedAudited += 1;
      appliedRecords += details.applied ?? 0;
      ignoredOlder += details.ignoredOlder ?? 0;
    }
    return {
      inbox: Number(inbox.n),
      receipts: Number(inbox.receipts),
      acceptedAudited,
      appliedRecords,
      ignoredOlder,
      historyRows: Number(history.n),
      historyMessages: Number(history.messages),
      historyWithoutInbox: Number(orphans.n),
    };
  }

  /** The current version of every record a partner sent us (foreign register) or of ours (home register). */
  async currentVersions(register: 'foreign' | 'home', source?: string): Promise<Record<string, RecordVersion>> {
    const rows =
      register === 'foreign'
        ? await this.query(`SELECT aeo_id_normalized, status, record_version FROM foreign_aeo WHERE environment = 'production' AND source = ?`, [source])
        : await this.query(`SELECT aeo_id_normalized, status, record_version FROM home_aeo WHERE environment = 'production'`);
    return Object.fromEntries(rows.map((row) => [String(row.aeo_id_normalized), { status: String(row.status), recordVersion: Number(row.record_version) }]));
  }

  /** Every version of our records that was stored, as `aeoId@version`. */
  async homeHistory(): Promise<Set<string>> {
    const rows = await this.query(`SELECT aeo_id_normalized, record_version FROM home_aeo_history WHERE environment = 'production'`);
    return new Set(rows.map((row) => `${String(row.aeo_id_normalized)}@${Number(row.record_version)}`));
  }

  /** Outbox rows by partner, message type and state. */
  async outboxStates(): Promise<Record<string, number>> {
    const rows = await this.query(`SELECT partner, message_type, state, COUNT(*) AS n FROM outbound_message GROUP BY partner, message_type, state`);
    return Object.fromEntries(rows.map((row) => [`${String(row.partner)}/${String(row.message_type)}/${String(row.state)}`, Number(row.n)]));
  }

  /** Our deltas to one partner: message id → state, and the records each carried. */
  async deltasTo(partner: string): Promise<Map<string, { state: string; aeoIds: string[] }>> {
    const rows = await this.query(`SELECT message_id, state, aeo_ids FROM outbound_message WHERE partner = ? AND message_type = 'AEO_STATUS_DELTA'`, [partner]);
    return new Map(rows.map((row) => [String(row.message_id), { state: String(row.state), aeoIds: typeof row.aeo_ids === 'string' ? row.aeo_ids.split(',') : [] }]));
  }

  /** Partner messages the gateway refused, by partner and reason code, with one reason text each (to diagnose a stuck run). */
  async rejections(): Promise<Record<string, { count: number; example: string }>> {
    const found: Record<string, { count: number; example: string }> = {};
    for (const row of await this.query(`SELECT partner, outcome, details FROM audit_entry WHERE type = 'MESSAGE_REJECTED'`)) {
      const key = `${String(row.partner)}/${String(row.outcome)}`;
      const { reason } = JSON.parse(String(row.details)) as { reason?: string };
      found[key] = { count: (found[key]?.count ?? 0) + 1, example: found[key]?.example ?? (reason ?? '').slice(0, 300) };
    }
    return found;
  }

  /** Receipts we queued to one partner: one per message of theirs we accepted, one per message we refused. */
  async receiptsTo(partner: string): Promise<number> {
    const [row] = await this.query(`SELECT COUNT(*) AS n FROM outbound_message WHERE partner = ? AND message_type = 'RECEIPT'`, [partner]);
    return Number(row.n);
  }

  /** Outbox rows that still have work to do: not yet published, or published and waiting for a receipt. */
  async unsettled(): Promise<number> {
    const [row] = await this.query(`SELECT COUNT(*) AS n FROM outbound_message WHERE state IN ('QUEUED', 'RETRYING') OR (state IN ('SENT', 'EXPIRED') AND expects_receipt = ?)`, [
      this.target.kind === 'sqlite' ? 1 : true,
    ]);
    return Number(row.n);
  }
}
