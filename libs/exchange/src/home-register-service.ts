import { randomUUID } from 'node:crypto';
import { GatewayError, validateAeoRecord, type AeoRecord, type Environment } from '@aeo/domain';
import type { PartnerAdapter } from '@aeo/partners';
import { homeRegister, keyOf } from '@aeo/registry';
import type { DataSource, EntityManager } from 'typeorm';
import type { OutboundComposer } from './outbound-composer.js';
import type { NewOutboundMessage, OutboxStore } from './outbox-store.js';
import { auditAeoId, type AuditSink, type Clock } from './ports.js';

/** A change to one of our AEOs as the operator enters it; version and change time are ours to set. */
export type HomeRecordChange = Omit<AeoRecord, 'recordVersion' | 'lastChangedAt'>;

/** Which partners receive which of our records (MRA state, scope per direction, consent). */
export interface DistributionPolicy {
  recipients(environment: Environment): readonly PartnerAdapter[];
  /** Whether this partner may receive this record at all. */
  shares(adapter: PartnerAdapter, record: AeoRecord, environment: Environment): boolean;
}

export interface ChangeResult {
  readonly records: readonly AeoRecord[];
  readonly queued: readonly { partner: string; messageId: string; records: number }[];
  readonly notSent: readonly { partner: string; reasonCode: string; detail: string }[];
}

/**
 * Changes to the home register: stored with a new version, and in the same transaction one
 * signed delta per partner that shares the records goes into the outbox, with audit entries.
 * If a partner's format cannot carry a record, that partner's delta is not sent and the
 * result (and the audit log) says so; the change itself and the other partners' deltas stand.
 */
export class HomeRegisterService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly composer: OutboundComposer,
    private readonly outbox: OutboxStore,
    private readonly audit: AuditSink,
    private readonly clock: Clock,
    private readonly distribution: DistributionPolicy,
    private readonly onQueued: () => void = () => undefined,
  ) {}

  async change(changes: readonly HomeRecordChange[], actor: string, environment: Environment = 'production'): Promise<ChangeResult> {
    const result = await this.dataSource.transaction((manager) => this.changeIn(manager, changes, actor, environment));
    this.onQueued();
    return result;
  }

  /**
   * A full list of our records that this partner shares, in numbered chunks, queued in one
   * transaction (all chunks or none). On demand (HTTP, CLI) and on the MRA's schedule.
   */
  async snapshot(adapter: PartnerAdapter, environment: Environment, chunkSize: number, actor: string): Promise<ChangeResult> {
    const result = await this.dataSource.transaction(async (manager) => {
      const all = (await homeRegister.list(manager, environment)).map((s) => s.record);
      const notSent: { partner: string; reasonCode: string; detail: string }[] = [];
      let shared: readonly AeoRecord[] = all.filter((record) => this.distribution.shares(adapter, record, environment));
      // First find what the format can carry, so chunk numbering is final before anything is queued.
      shared = shared.filter((record) => {
        try {
          this.probe(adapter, environment, record);
          return true;
        } catch (error) {
          if (!(error instanceof GatewayError)) throw error;
          notSent.push({ partner: adapter.profile.partner, reasonCode: error.code, detail: `${record.aeoIdNormalized}: ${error.message}` });
          return false;
        }
      });
      const snapshotId = randomUUID();
      const asOf = new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const chunkCount = Math.max(1, Math.ceil(shared.length / chunkSize));
      const outbound: NewOutboundMessage[] = [];
      const queued: { partner: string; messageId: string; records: number }[] = [];
      for (let i = 0; i < chunkCount; i++) {
        const records = shared.slice(i * chunkSize, (i + 1) * chunkSize);
        const composed = await this.composer.compose(
          adapter,
          'AEO_SNAPSHOT',
          { snapshotId, programme: 'KZ-SRC', asOf, chunkIndex: i + 1, chunkCount, records },
          { environment, ...(records.length === 1 ? { aeoIds: [records[0].aeoIdNormalized] } : {}) },
        );
        outbound.push(composed.outbound);
        queued.push({ partner: adapter.profile.partner, messageId: composed.outbound.messageId, records: records.length });
      }
      await this.audit.append(manager, [
        {
          type: 'SNAPSHOT_QUEUED',
          direction: 'OUT',
          partner: adapter.profile.partner,
          messageId: null,
          outcome: 'QUEUED',
          actor,
          details: { environment, snapshotId, chunkCount, records: shared.length, notSent },
        },
      ]);
      await this.outbox.enqueue(manager, outbound, actor);
      return { records: shared, queued, notSent };
    });
    this.onQueued();
    return result;
  }

  /** Encode one record alone in the partner's format (no signing): throws if the format cannot carry it. */
  private probe(adapter: PartnerAdapter, environment: Environment, record: AeoRecord): void {
    adapter.encode({ envelope: this.composer.envelope(adapter, 'AEO_STATUS_DELTA', environment), body: { programme: 'KZ-SRC', records: [record] } });
  }

  async changeIn(manager: EntityManager, changes: readonly HomeRecordChange[], actor: string, environment: Environment): Promise<ChangeResult> {
    if (changes.length === 0) return { records: [], queued: [], notSent: [] };
    const now = this.clock.now();
    const lastChangedAt = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const current = await homeRegister.currentRows(manager, environment, changes);
    const seen = new Set<string>();
    const records: AeoRecord[] = changes.map((change, i) => {
      if (change.programme !== 'KZ-SRC') {
        throw new GatewayError('UNKNOWN_PROGRAMME', `the home register holds KZ-SRC records, not ${change.programme}`, `/${i}/programme`);
      }
      const key = keyOf(change.programme, change.aeoIdNormalized);
      if (seen.has(key)) throw new GatewayError('BUSINESS_RULE_VIOLATION', `${change.aeoIdNormalized} appears twice in one change`, `/${i}`);
      seen.add(key);
      const record: AeoRecord = { ...change, recordVersion: (current.get(key)?.recordVersion ?? 0) + 1, lastChangedAt };
      validateAeoRecord(record, `/${i}`);
      return record;
    });
    await homeRegister.apply(manager, { environment, records, source: actor, sourceMessageId: null, storedAt: now });

    const queued: { partner: string; messageId: string; records: number }[] = [];
    const notSent: { partner: string; reasonCode: string; detail: string }[] = [];
    const outbound: NewOutboundMessage[] = [];
    for (const adapter of this.distribution.recipients(environment)) {
      const shared = records.filter((record) => this.distribution.shares(adapter, record, environment));
      if (shared.length === 0) continue;
      const composed = await composeCarriable(
        shared,
        notSent,
        adapter,
        (carriable) => this.composer.compose(adapter, 'AEO_STATUS_DELTA', { programme: 'KZ-SRC', records: carriable }, { environment, aeoIds: carriable.map((r) => r.aeoIdNormalized) }),
        (record) => this.probe(adapter, environment, record),
      );
      if (!composed) continue;
      outbound.push(composed.message.outbound);
      queued.push({ partner: adapter.profile.partner, messageId: composed.message.outbound.messageId, records: composed.records.length });
    }
    await this.audit.append(manager, [
      {
        type: 'REGISTER_CHANGE',
        direction: 'INTERNAL',
        partner: null,
        messageId: null,
        aeoId: auditAeoId(records.map((r) => r.aeoIdNormalized)),
        outcome: 'APPLIED',
        actor,
        details: {
          environment,
          changes: records.map((r) => ({ aeoId: r.aeoIdNormalized, status: r.status, recordVersion: r.recordVersion })),
          queued,
          notSent,
        },
      },
    ]);
    await this.outbox.enqueue(manager, outbound, actor);
    return { records, queued, notSent };
  }
}

/**
 * Compose a message from records, leaving out each record the partner's format cannot carry
 * (CANNOT_ENCODE, e.g. no YFKS number for Türkiye) and reporting it in `notSent`; the rest
 * still goes. On the first refusal every record is tried once on its own (encoding only, no
 * signing), so a large delta with many uncarriable records costs two encodes, not one per
 * refusal. Undefined when no record is left.
 */
async function composeCarriable<T>(
  records: readonly AeoRecord[],
  notSent: { partner: string; reasonCode: string; detail: string }[],
  adapter: PartnerAdapter,
  compose: (carriable: readonly AeoRecord[]) => Promise<T>,
  probe: (record: AeoRecord) => void,
): Promise<{ message: T; records: readonly AeoRecord[] } | undefined> {
  try {
    return records.length === 0 ? undefined : { message: await compose(records), records };
  } catch (error) {
    if (!(error instanceof GatewayError) || error.code !== 'CANNOT_ENCODE') throw error;
  }
  const carriable = records.filter((record) => {
    try {
      probe(record);
      return true;
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      notSent.push({ partner: adapter.profile.partner, reasonCode: error.code, detail: `${record.aeoIdNormalized}: ${error.message}` });
      return false;
    }
  });
  return carriable.length === 0 ? undefined : { message: await compose(carriable), records: carriable };
}
