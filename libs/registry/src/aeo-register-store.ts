import { GatewayError, type AeoRecord, type Environment, type RecordResult } from '@aeo/domain';
import type { EntityManager, EntitySchema } from 'typeorm';
import type { AeoHistoryRow, AeoRow } from './registry.entities.js';

export interface StoredAeo {
  readonly record: AeoRecord;
  readonly storedAt: number;
  readonly source: string;
  readonly sourceMessageId: string | null;
}

export interface ApplyInput {
  readonly environment: Environment;
  readonly records: readonly AeoRecord[];
  readonly source: string;
  readonly sourceMessageId: string | null;
  readonly storedAt: number;
}

/**
 * A version planned as newer was not stored because another gateway instance stored that AEO
 * meanwhile. Transient: the transaction is rolled back and retried from the stored versions.
 */
export class VersionOvertaken extends GatewayError {
  constructor(aeoIdNormalized: string) {
    super('TRANSIENT_FAILURE', `${aeoIdNormalized} was stored by another instance while this change was being written; retried`);
  }
}

export function keyOf(programme: string, aeoIdNormalized: string): string {
  return `${programme}\u0000${aeoIdNormalized}`;
}

/** Stored record versions by environment, programme and AEO id (see `versionKey`). */
export type VersionIndex = Map<string, number>;

/** What applying one input will store: the outcome per record and the rows that become current. */
export interface ApplyPlan {
  readonly results: RecordResult[];
  readonly rows: readonly AeoRow[];
}

function versionKey(environment: string, programme: string, aeoIdNormalized: string): string {
  return `${environment}\u0000${programme}\u0000${aeoIdNormalized}`;
}

const ROW_COLUMNS = ['environment', 'programme', 'aeo_id_normalized', 'record_version', 'status', 'authorisation_type', 'record_json', 'last_changed_at', 'stored_at', 'source', 'source_message_id'];

function rowValues(row: AeoRow): unknown[] {
  return [row.environment, row.programme, row.aeoIdNormalized, row.recordVersion, row.status, row.authorisationType, row.recordJson, row.lastChangedAt, row.storedAt, row.source, row.sourceMessageId];
}

/** Multi-row INSERTs of 200 rows each, in raw SQL (TypeORM's builder costs more than the statement). */
async function insertRows(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  finish: (sql: string) => string = (sql) => sql,
): Promise<unknown[]> {
  const returned: unknown[] = [];
  const postgres = manager.connection.options.type === 'postgres';
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    const params: unknown[] = [];
    const tuples = chunk.map((values) => {
      const placeholders = values.map((value) => {
        params.push(value);
        return postgres ? `$${params.length}` : '?';
      });
      return `(${placeholders.join(', ')})`;
    });
    const answer: unknown = await manager.query(finish(head + tuples.join(', ')), params);
    if (Array.isArray(answer)) returned.push(...(answer as unknown[]));
  }
  return returned;
}

function toRow(record: AeoRecord, input: ApplyInput): AeoRow {
  return {
    environment: input.environment,
    programme: record.programme,
    aeoIdNormalized: record.aeoIdNormalized,
    recordVersion: record.recordVersion,
    status: record.status,
    authorisationType: record.authorisationType,
    recordJson: JSON.stringify(record),
    lastChangedAt: record.lastChangedAt,
    storedAt: input.storedAt,
    source: input.source,
    sourceMessageId: input.sourceMessageId,
  };
}

/**
 * One register table plus its history, written inside the caller's transaction. Versions
 * only move forward: an update whose recordVersion is not newer than the stored one is
 * ignored and reported, so messages arriving out of order can never put an old status back.
 */
export class AeoRegisterStore {
  constructor(
    private readonly current: EntitySchema<AeoRow>,
    private readonly history: EntitySchema<AeoHistoryRow>,
  ) {}

  /** Current rows for a set of records, one query per programme present. */
  async currentRows(manager: EntityManager, environment: Environment, records: readonly Pick<AeoRecord, 'programme' | 'aeoIdNormalized'>[]): Promise<Map<string, AeoRow>> {
    const byProgramme = new Map<string, string[]>();
    for (const r of records) byProgramme.set(r.programme, [...(byProgramme.get(r.programme) ?? []), r.aeoIdNormalized]);
    const found = new Map<string, AeoRow>();
    for (const [programme, ids] of byProgramme) {
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await manager
          .getRepository(this.current)
          .createQueryBuilder('a')
          .where('a.environment = :environment AND a.programme = :programme AND a.aeoIdNormalized IN (:...ids)', {
            environment,
            programme,
            ids: ids.slice(i, i + 500),
          })
          .getMany();
        for (const row of rows) found.set(keyOf(row.programme, row.aeoIdNormalized), row);
      }
    }
    return found;
  }

  /**
   * The stored record version of each AEO the inputs name, one query per environment and
   * programme (ids in slices of 1,000), reading only the key and the version, not the record.
   */
  async currentVersions(manager: EntityManager, inputs: readonly Pick<ApplyInput, 'environment' | 'records'>[]): Promise<VersionIndex> {
    const wanted = new Map<string, { environment: string; programme: string; ids: Set<string> }>();
    for (const input of inputs) {
      for (const r of input.records) {
        const group = `${input.environment}\u0000${r.programme}`;
        let entry = wanted.get(group);
        if (!entry) wanted.set(group, (entry = { environment: input.environment, programme: r.programme, ids: new Set() }));
        entry.ids.add(r.aeoIdNormalized);
      }
    }
    const table = manager.connection.getMetadata(this.current).tableName;
    const postgres = manager.connection.options.type === 'postgres';
    const versions: VersionIndex = new Map();
    for (const { environment, programme, ids } of wanted.values()) {
      const all = [...ids].sort();
      for (let i = 0; i < all.length; i += 1_000) {
        const slice = all.slice(i, i + 1_000);
        const placeholders = slice.map((_, k) => (postgres ? `$${k + 3}` : '?')).join(', ');
        // FOR UPDATE on PostgreSQL: another instance applying a version of the same AEO right
        // now makes this read wait for its commit and see its version, so the plan (and the
        // APPLIED / IGNORED_OLDER_VERSION answer in the receipt, and the history row) matches
        // what is stored. The guarded upsert alone keeps the register right, not the answer.
        // Rows are locked in key order, so two batches over the same AEOs cannot deadlock.
        const rows = await manager.query<{ aeo_id_normalized: string; record_version: string | number }[]>(
          `SELECT "aeo_id_normalized", "record_version" FROM "${table}" WHERE "environment" = ${postgres ? '$1' : '?'} AND "programme" = ${postgres ? '$2' : '?'} AND "aeo_id_normalized" IN (${placeholders})${postgres ? ' ORDER BY "aeo_id_normalized" FOR UPDATE' : ''}`,
          [environment, programme, ...slice],
        );
        for (const row of rows) versions.set(versionKey(environment, programme, row.aeo_id_normalized), Number(row.record_version));
      }
    }
    return versions;
  }

  /**
   * Decide, in memory, which of an input's records are newer than what `versions` knows, and
   * move `versions` forward: planning several inputs in a row against one index gives exactly
   * the outcomes of applying them one after another. Within one input, an AEO listed twice is
   * stored once, at its newest version (both are reported APPLIED if each was newer when seen).
   */
  plan(versions: VersionIndex, input: ApplyInput): ApplyPlan {
    const newest = new Map<string, AeoRecord>();
    const results: RecordResult[] = input.records.map((record) => {
      const key = versionKey(input.environment, record.programme, record.aeoIdNormalized);
      const stored = newest.get(key)?.recordVersion ?? versions.get(key) ?? 0;
      if (record.recordVersion <= stored) return { aeoId: record.aeoId, outcome: 'IGNORED_OLDER_VERSION' };
      newest.set(key, record);
      return { aeoId: record.aeoId, outcome: 'APPLIED' };
    });
    for (const [key, record] of newest) versions.set(key, record.recordVersion);
    return { results, rows: [...newest.values()].map((record) => toRow(record, input)) };
  }

  /**
   * Store what plans decided, in their order: the current table gets each AEO's newest row
   * (one multi-row upsert per 200 AEOs), the history every applied row of every plan.
   */
  async write(manager: EntityManager, plans: readonly ApplyPlan[]): Promise<void> {
    const newest = new Map<string, AeoRow>();
    const history: AeoHistoryRow[] = [];
    for (const plan of plans) {
      for (const row of plan.rows) {
        newest.set(versionKey(row.environment, row.programme, row.aeoIdNormalized), row);
        history.push({ ...row, change: 'APPLIED' });
      }
    }
    if (newest.size === 0) return;
    const stored = await this.upsertNewer(manager, [...newest.values()]);
    // A row the guarded upsert did not store was overtaken: another instance committed a newer
    // (or the same) version of that AEO between our read and our write. On PostgreSQL the read
    // locks existing rows, so this is a brand-new AEO inserted by two instances at once. The
    // plan's answers (APPLIED, history) would be false: refuse, so the caller's transaction
    // rolls back and is tried again from the stored versions.
    const overtaken = [...newest.entries()].find(([key]) => !stored.has(key));
    if (overtaken) throw new VersionOvertaken(overtaken[1].aeoIdNormalized);
    await this.appendHistory(manager, history);
  }

  /**
   * Apply several inputs (e.g. a batch of partner messages) as if one after another, with one
   * read of the stored versions and bulk writes; one result list per input, records in order.
   */
  async applyMany(manager: EntityManager, inputs: readonly ApplyInput[]): Promise<RecordResult[][]> {
    const versions = await this.currentVersions(manager, inputs);
    const plans = inputs.map((input) => this.plan(versions, input));
    await this.write(manager, plans);
    return plans.map((p) => p.results);
  }

  /** Apply records whose version is newer than what is stored; one result per record, in order. */
  async apply(manager: EntityManager, input: ApplyInput): Promise<RecordResult[]> {
    const [results] = await this.applyMany(manager, [input]);
    return results;
  }

  /**
   * Insert or update, but never move a row back to an older version: the version check is
   * in the statement itself, so two gateway instances applying updates of the same AEO
   * concurrently cannot leave the older one in place (the read above only decides what to
   * report). `excluded` is the proposed row in both SQLite (3.24+) and PostgreSQL. One row per
   * key per statement: PostgreSQL refuses to update a row twice in one upsert.
   */
  /** The version keys of the rows this upsert actually stored (RETURNING: both databases). */
  private async upsertNewer(manager: EntityManager, rows: readonly AeoRow[]): Promise<Set<string>> {
    const table = manager.connection.getMetadata(this.current).tableName;
    const updated = ROW_COLUMNS.slice(3).map((c) => `"${c}" = excluded."${c}"`).join(', ');
    const stored = await insertRows(manager, table, ROW_COLUMNS, rows.map(rowValues), (sql) =>
      `${sql} ON CONFLICT ("environment", "programme", "aeo_id_normalized") DO UPDATE SET ${updated} WHERE "${table}"."record_version" < excluded."record_version" RETURNING "environment", "programme", "aeo_id_normalized"`,
    );
    return new Set(
      (stored as { environment: string; programme: string; aeo_id_normalized: string }[]).map((r) => versionKey(r.environment, r.programme, r.aeo_id_normalized)),
    );
  }

  async appendHistory(manager: EntityManager, rows: readonly AeoHistoryRow[]): Promise<void> {
    const table = manager.connection.getMetadata(this.history).tableName;
    await insertRows(manager, table, [...ROW_COLUMNS, 'change'], rows.map((row) => [...rowValues(row), row.change]));
  }

  async find(manager: EntityManager, environment: Environment, programme: string, aeoIdNormalized: string): Promise<StoredAeo | undefined> {
    const row = await manager.getRepository(this.current).findOneBy({ environment, programme, aeoIdNormalized });
    return row ? toStored(row) : undefined;
  }

  /** The newest version (highest recordVersion) stored at or before `atMillis`, from the history. */
  async findAsOf(manager: EntityManager, environment: Environment, programme: string, aeoIdNormalized: string, atMillis: number): Promise<StoredAeo | undefined> {
    const row = await manager
      .getRepository(this.history)
      .createQueryBuilder('h')
      .where('h.environment = :environment AND h.programme = :programme AND h.aeoIdNormalized = :aeoIdNormalized AND h.storedAt <= :at AND h.change = :change', {
        environment,
        programme,
        aeoIdNormalized,
        at: atMillis,
        change: 'APPLIED',
      })
      .orderBy('h.recordVersion', 'DESC')
      .addOrderBy('h.id', 'DESC')
      .getOne();
    return row ? toStored(row) : undefined;
  }

  async list(manager: EntityManager, environment: Environment, programme?: string): Promise<StoredAeo[]> {
    const rows = await manager.getRepository(this.current).find({
      where: programme ? { environment, programme } : { environment },
      order: { programme: 'ASC', aeoIdNormalized: 'ASC' },
    });
    return rows.map(toStored);
  }

  async count(manager: EntityManager, environment: Environment): Promise<number> {
    return manager.getRepository(this.current).countBy({ environment });
  }
}

function toStored(row: AeoRow): StoredAeo {
  return { record: JSON.parse(row.recordJson) as AeoRecord, storedAt: Number(row.storedAt), source: row.source, sourceMessageId: row.sourceMessageId };
}
