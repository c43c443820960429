import type { AeoRecord, Environment, RecordResult } from '@aeo/domain';
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

export function keyOf(programme: string, aeoIdNormalized: string): string {
  return `${programme}\u0000${aeoIdNormalized}`;
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

  /** Apply records whose version is newer than what is stored; one result per record, in order. */
  async apply(manager: EntityManager, input: ApplyInput): Promise<RecordResult[]> {
    const existing = await this.currentRows(manager, input.environment, input.records);
    const newest = new Map<string, AeoRecord>();
    const results: RecordResult[] = input.records.map((record) => {
      const key = keyOf(record.programme, record.aeoIdNormalized);
      const stored = newest.get(key)?.recordVersion ?? existing.get(key)?.recordVersion ?? 0;
      if (record.recordVersion <= stored) return { aeoId: record.aeoId, outcome: 'IGNORED_OLDER_VERSION' };
      newest.set(key, record);
      return { aeoId: record.aeoId, outcome: 'APPLIED' };
    });
    const applied = [...newest.values()];
    if (applied.length > 0) {
      const rows = applied.map((record) => toRow(record, input));
      await this.upsertNewer(manager, rows);
      await this.appendHistory(manager, rows.map((row) => ({ ...row, change: 'APPLIED' })));
    }
    return results;
  }

  /**
   * Insert or update, but never move a row back to an older version: the version check is
   * in the statement itself, so two gateway instances applying updates of the same AEO
   * concurrently cannot leave the older one in place (the read above only decides what to
   * report). `excluded` is the proposed row in both SQLite (3.24+) and PostgreSQL.
   */
  private async upsertNewer(manager: EntityManager, rows: readonly AeoRow[]): Promise<void> {
    const table = manager.connection.getMetadata(this.current).tableName;
    const postgres = manager.connection.options.type === 'postgres';
    const columns = ['environment', 'programme', 'aeo_id_normalized', 'record_version', 'status', 'authorisation_type', 'record_json', 'last_changed_at', 'stored_at', 'source', 'source_message_id'];
    const updated = columns.slice(3).map((c) => `"${c}" = excluded."${c}"`).join(', ');
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      const params: unknown[] = [];
      const tuples = chunk.map((row) => {
        const values = [row.environment, row.programme, row.aeoIdNormalized, row.recordVersion, row.status, row.authorisationType, row.recordJson, row.lastChangedAt, row.storedAt, row.source, row.sourceMessageId];
        const placeholders = values.map((value) => {
          params.push(value);
          return postgres ? `$${params.length}` : '?';
        });
        return `(${placeholders.join(', ')})`;
      });
      await manager.query(
        `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')} ` +
          `ON CONFLICT ("environment", "programme", "aeo_id_normalized") DO UPDATE SET ${updated} ` +
          `WHERE "${table}"."record_version" < excluded."record_version"`,
        params,
      );
    }
  }

  async appendHistory(manager: EntityManager, rows: readonly AeoHistoryRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) {
      await manager.createQueryBuilder().insert().into(this.history).values(rows.slice(i, i + 200)).execute();
    }
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
