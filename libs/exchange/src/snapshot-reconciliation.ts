import { EntitySchema, type EntityManager } from 'typeorm';
import type { AeoRecord, Environment, SnapshotBody } from '@aeo/domain';
import { ForeignAeoEntity, foreignRegister, keyOf, type AeoHistoryRow, type AeoRow } from '@aeo/registry';

const millis = { to: (v: number) => v, from: (v: string | number) => Number(v) };

/** One received chunk of a partner's full snapshot, with the AEOs it listed. */
export interface SnapshotChunkRow {
  partner: string;
  snapshotId: string;
  chunkIndex: number;
  chunkCount: number;
  environment: string;
  /** JSON array of [programme, aeoIdNormalized]. */
  recordKeys: string;
  receivedAt: number;
}

export const SnapshotChunkEntity = new EntitySchema<SnapshotChunkRow>({
  name: 'SnapshotChunk',
  tableName: 'inbound_snapshot_chunk',
  columns: {
    partner: { type: String, length: 16, primary: true },
    snapshotId: { name: 'snapshot_id', type: String, length: 36, primary: true },
    chunkIndex: { name: 'chunk_index', type: 'integer', primary: true },
    chunkCount: { name: 'chunk_count', type: 'integer' },
    environment: { type: String, length: 16 },
    recordKeys: { name: 'record_keys', type: 'text' },
    receivedAt: { name: 'received_at', type: 'bigint', transformer: millis },
  },
});

export type MissingRecordRule = 'mark-expired' | 'keep-and-report';

export interface ReconciliationResult {
  readonly snapshotId: string;
  readonly listed: number;
  readonly missing: readonly string[];
  readonly rule: MissingRecordRule;
}

/**
 * A partner's full snapshot reconciles drift once its last chunk has arrived: AEOs we hold
 * from that partner that the snapshot no longer lists are handled by the MRA's rule and
 * reported, never deleted. `mark-expired` stores them as EXPIRED from the snapshot date
 * (a later update with a higher version from the partner still wins); `keep-and-report`
 * changes nothing but the history and the audit log. Runs in the inbound transaction.
 */
export async function recordSnapshotChunk(
  manager: EntityManager,
  input: { partner: string; environment: Environment; body: SnapshotBody; receivedAt: number; programmes: readonly string[]; rule: MissingRecordRule },
): Promise<ReconciliationResult | undefined> {
  const { partner, environment, body } = input;
  await manager
    .createQueryBuilder()
    .insert()
    .into(SnapshotChunkEntity)
    .values({
      partner,
      snapshotId: body.snapshotId,
      chunkIndex: body.chunkIndex,
      chunkCount: body.chunkCount,
      environment,
      recordKeys: JSON.stringify(body.records.map((r) => [r.programme, r.aeoIdNormalized])),
      receivedAt: input.receivedAt,
    })
    .orIgnore()
    .execute();
  const chunks = await manager.getRepository(SnapshotChunkEntity).findBy({ partner, snapshotId: body.snapshotId });
  if (chunks.length < body.chunkCount) return undefined;
  const listed = new Set(chunks.flatMap((c) => (JSON.parse(c.recordKeys) as [string, string][]).map(([p, id]) => keyOf(p, id))));
  // Keys first (a full register's worth of rows is small that way), whole rows only for what is missing.
  const heldKeys = await manager
    .getRepository(ForeignAeoEntity)
    .createQueryBuilder('a')
    .select(['a.programme', 'a.aeoIdNormalized'])
    .where('a.environment = :environment AND a.source = :source AND a.programme IN (:...programmes)', { environment, source: partner, programmes: [...input.programmes] })
    .getRawMany<{ a_programme: string; a_aeo_id_normalized: string }>();
  const missingKeys = heldKeys.filter((row) => !listed.has(keyOf(row.a_programme, row.a_aeo_id_normalized)));
  const missing: AeoRow[] = [];
  for (let i = 0; i < missingKeys.length; i += 500) {
    const slice = missingKeys.slice(i, i + 500);
    const rows = await manager.getRepository(ForeignAeoEntity).findBy(slice.map((k) => ({ environment, programme: k.a_programme, aeoIdNormalized: k.a_aeo_id_normalized })));
    missing.push(...rows);
  }
  missing.sort((x, y) => keyOf(x.programme, x.aeoIdNormalized).localeCompare(keyOf(y.programme, y.aeoIdNormalized)));
  const snapshotDate = body.asOf.slice(0, 10);
  const history: AeoHistoryRow[] = [];
  for (const row of missing) {
    const record = JSON.parse(row.recordJson) as AeoRecord;
    const kept = input.rule === 'mark-expired' && record.status !== 'EXPIRED' ? { ...record, status: 'EXPIRED' as const, statusEffectiveFrom: snapshotDate < record.validFrom ? record.validFrom : snapshotDate } : record;
    const stored = { ...row, status: kept.status, recordJson: JSON.stringify(kept), storedAt: input.receivedAt, sourceMessageId: row.sourceMessageId };
    if (kept !== record) await manager.getRepository(ForeignAeoEntity).update({ environment, programme: row.programme, aeoIdNormalized: row.aeoIdNormalized }, { status: kept.status, recordJson: stored.recordJson, storedAt: stored.storedAt });
    history.push({ ...stored, change: 'MISSING_FROM_SNAPSHOT' });
  }
  await foreignRegister.appendHistory(manager, history);
  return { snapshotId: body.snapshotId, listed: listed.size, missing: missing.map((r) => r.aeoIdNormalized), rule: input.rule };
}
