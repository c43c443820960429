import { randomUUID } from 'node:crypto';
import { assertValidCanonical } from '@aeo/codecs';
import { GatewayError, validateAeoRecord, type AeoRecord, type CanonicalMessage, type Environment } from '@aeo/domain';
import type { PartnerAdapter } from '@aeo/partners';
import { VersionOvertaken, homeRegister, keyOf } from '@aeo/registry';
import type { DataSource, EntityManager } from 'typeorm';
import { GroupedCommit } from './grouped-commit.js';
import { homeRecordVersions, homeRegisterPages } from './home-register-pages.js';
import type { ComposedMessage, OutboundComposer } from './outbound-composer.js';
import type { NewOutboundMessage, OutboxStore } from './outbox-store.js';
import { auditAeoId, type AuditEvent, type AuditSink, type Clock } from './ports.js';
import { planSnapshotChunks, type PlannedChunk, type SnapshotRecordSummary } from './snapshot-chunk-plan.js';

/** A change to one of our AEOs as the operator enters it; version and change time are ours to set. */
export type HomeRecordChange = Omit<AeoRecord, 'recordVersion' | 'lastChangedAt'>;

/** Which partners receive which of our records (MRA state, scope per direction, consent). */
export interface DistributionPolicy {
  recipients(environment: Environment): readonly PartnerAdapter[];
  /** Whether this partner may receive this record at all. */
  shares(adapter: PartnerAdapter, record: AeoRecord, environment: Environment): boolean;
}

type NotSent = { partner: string; reasonCode: string; detail: string };

export interface SnapshotResult {
  readonly snapshotId: string;
  /** Every record sent, summarised (a 100,000-record register is not returned whole). */
  readonly records: readonly SnapshotRecordSummary[];
  readonly queued: readonly { partner: string; messageId: string; records: number }[];
  readonly notSent: readonly NotSent[];
}

/** Tuning of the snapshot path: what is alive at once is a page of records and one or two chunks, never the register. */
export interface SnapshotOptions {
  /** Register rows parsed at a time. */
  readonly pageSize: number;
  /**
   * Chunks encoded and sealed together, then queued in one transaction. The next group is
   * sealed while that transaction writes, so at most two groups' tokens are alive.
   */
  readonly chunksPerTransaction: number;
  /** Held chunks older than this belong to a snapshot that died before releasing them. */
  readonly abandonedAfterMs: number;
}

export const DEFAULT_SNAPSHOT_OPTIONS: SnapshotOptions = { pageSize: 2_000, chunksPerTransaction: 1, abandonedAfterMs: 60 * 60_000 };

/** How a change whose records were changed by someone else between our read and our write is retried. */
const CHANGE_ATTEMPTS = 3;

/** Changes committed together at most (group commit, see GroupedCommit). */
const CHANGES_PER_COMMIT = 32;

/** The register moved past the version a change was prepared from: prepare it again. */
class StaleVersion extends Error {}

interface PreparedChange {
  readonly actor: string;
  readonly environment: Environment;
  readonly records: readonly AeoRecord[];
  readonly queued: readonly { partner: string; messageId: string; records: number }[];
  readonly notSent: readonly NotSent[];
  readonly outbound: readonly NewOutboundMessage[];
  readonly storedAt: number;
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
  private readonly commits = new GroupedCommit<PreparedChange, void>(
    (group) => this.dataSource.transaction((manager) => this.commitGroup(manager, group)),
    CHANGES_PER_COMMIT,
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly composer: OutboundComposer,
    private readonly outbox: OutboxStore,
    private readonly audit: AuditSink,
    private readonly clock: Clock,
    private readonly distribution: DistributionPolicy,
    private readonly onQueued: () => void = () => undefined,
    private readonly snapshotOptions: SnapshotOptions = DEFAULT_SNAPSHOT_OPTIONS,
  ) {}

  /**
   * Store the changes with new versions and queue each sharing partner's delta, in one
   * transaction. The deltas are composed BEFORE it, concurrently (encoding and sealing is
   * most of a change's time, and on SQLite the transaction holds the only connection): the
   * versions are read first, and the register's version-guarded write inside the transaction
   * tells whether someone changed one of these records meanwhile. Then nothing is written,
   * and the change is prepared again from the new versions (CHANGE_ATTEMPTS in all; after
   * that TRANSIENT_FAILURE, the caller may retry). A delta is therefore never queued with a
   * version other than the one stored. Changes prepared while another commits are committed
   * together (group commit), each still all-or-nothing and answered after its COMMIT.
   */
  async change(changes: readonly HomeRecordChange[], actor: string, environment: Environment = 'production'): Promise<ChangeResult> {
    if (changes.length === 0) return { records: [], queued: [], notSent: [] };
    for (let attempt = 1; ; attempt++) {
      const prepared = await this.prepare(changes, actor, environment);
      try {
        await this.commits.submit(prepared);
      } catch (error) {
        if (!(error instanceof StaleVersion)) throw error;
        if (attempt >= CHANGE_ATTEMPTS) {
          throw new GatewayError('TRANSIENT_FAILURE', `${error.message}, ${CHANGE_ATTEMPTS} times in a row; try again`);
        }
        continue;
      }
      this.onQueued();
      return { records: prepared.records, queued: prepared.queued, notSent: prepared.notSent };
    }
  }

  /** New versions from the stored ones, validated, and every partner's delta composed (outside any transaction). */
  private async prepare(changes: readonly HomeRecordChange[], actor: string, environment: Environment): Promise<PreparedChange> {
    const now = this.clock.now();
    const lastChangedAt = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const current = await homeRecordVersions(this.dataSource.manager, environment, changes);
    const seen = new Set<string>();
    const records: AeoRecord[] = changes.map((change, i) => {
      if (change.programme !== 'KZ-SRC') {
        throw new GatewayError('UNKNOWN_PROGRAMME', `the home register holds KZ-SRC records, not ${change.programme}`, `/${i}/programme`);
      }
      const key = keyOf(change.programme, change.aeoIdNormalized);
      if (seen.has(key)) throw new GatewayError('BUSINESS_RULE_VIOLATION', `${change.aeoIdNormalized} appears twice in one change`, `/${i}`);
      seen.add(key);
      const record: AeoRecord = { ...change, recordVersion: (current.get(key) ?? 0) + 1, lastChangedAt };
      validateAeoRecord(record, `/${i}`);
      return record;
    });
    const recipients = this.distribution
      .recipients(environment)
      .map((adapter) => ({ adapter, shared: records.filter((record) => this.distribution.shares(adapter, record, environment)) }))
      .filter(({ shared }) => shared.length > 0);
    if (recipients.length > 0) this.assertCanonical(recipients[0].adapter, environment, records);

    // One list per partner, joined in partner order below, so the result does not depend on which seal finished first.
    const notSentBy = recipients.map((): NotSent[] => []);
    const composed = await Promise.all(
      recipients.map(({ adapter, shared }, i) =>
        composeCarriable(
          shared,
          notSentBy[i],
          adapter,
          (carriable) =>
            this.composer.compose(adapter, 'AEO_STATUS_DELTA', { programme: 'KZ-SRC', records: carriable }, { environment, aeoIds: carriable.map((r) => r.aeoIdNormalized), checks: 'trusted' }),
          (record) => this.probe(adapter, environment, record),
        ),
      ),
    );
    const sent = composed.filter((c): c is { message: ComposedMessage; records: readonly AeoRecord[] } => c !== undefined);
    return {
      actor,
      environment,
      records,
      notSent: notSentBy.flat(),
      outbound: sent.map((c) => c.message.outbound),
      queued: sent.map((c) => ({ partner: c.message.outbound.partner, messageId: c.message.outbound.messageId, records: c.records.length })),
      storedAt: now,
    };
  }

  /**
   * The schema pass the partner encoders used to make once per partner, made once per change:
   * deltas are encoded as trusted input (see EncodeOptions), so this is what still refuses a
   * record the canonical schema does not allow, with the same reason code as before.
   */
  private assertCanonical(adapter: PartnerAdapter, environment: Environment, records: readonly AeoRecord[]): void {
    assertValidCanonical({ envelope: this.composer.envelope(adapter, 'AEO_STATUS_DELTA', environment), body: { programme: 'KZ-SRC', records } });
  }

  /**
   * One transaction for a group of prepared changes. A change is stale — not written, and
   * prepared again by its caller — if a record's stored version is no longer the one it was
   * prepared from, or an earlier change of the group writes the same record. The others are
   * applied and queued per (environment, actor): one register write and one audit append each.
   */
  private async commitGroup(manager: EntityManager, group: readonly PreparedChange[]): Promise<(undefined | Error)[]> {
    const stored = new Map<Environment, Map<string, number>>();
    for (const environment of new Set(group.map((c) => c.environment))) {
      const records = group.filter((c) => c.environment === environment).flatMap((c) => c.records);
      stored.set(environment, await homeRecordVersions(manager, environment, records));
    }
    const claimed = new Set<string>();
    const outcomes = group.map((change) => {
      const versions = stored.get(change.environment)!;
      const keys = change.records.map((r) => `${change.environment}\u0000${keyOf(r.programme, r.aeoIdNormalized)}`);
      const stale = change.records.findIndex((r, i) => claimed.has(keys[i]) || (versions.get(keyOf(r.programme, r.aeoIdNormalized)) ?? 0) !== r.recordVersion - 1);
      if (stale >= 0) return new StaleVersion(`${change.records[stale].aeoIdNormalized} changed while this change was being prepared`);
      for (const key of keys) claimed.add(key);
      return undefined;
    });
    const accepted = group.filter((_, i) => outcomes[i] === undefined);
    const batches = new Map<string, PreparedChange[]>();
    for (const change of accepted) {
      const key = `${change.environment}\u0000${change.actor}`;
      batches.set(key, [...(batches.get(key) ?? []), change]);
    }
    for (const batch of batches.values()) {
      const { environment, actor } = batch[0];
      const records = batch.flatMap((c) => c.records);
      const storedAt = Math.min(...batch.map((c) => c.storedAt));
      const results = await homeRegister.apply(manager, { environment, records, source: actor, sourceMessageId: null, storedAt }).catch((error: unknown) => {
        // Another instance stored one of these records between our read and our write.
        if (error instanceof VersionOvertaken) throw new StaleVersion(error.message);
        throw error;
      });
      // Checked above; only another gateway instance writing between that read and this write gets here. Roll back, prepare again.
      const lost = results.findIndex((result) => result.outcome !== 'APPLIED');
      if (lost >= 0) throw new StaleVersion(`${records[lost].aeoIdNormalized} changed while this change was being committed`);
      await this.outbox.enqueue(manager, batch.flatMap((c) => c.outbound), actor, { events: batch.map((c) => registerChangeEvent(c)) });
    }
    return outcomes;
  }

  /**
   * A full list of our records that this partner shares, in numbered chunks: on demand (HTTP,
   * CLI) and on the MRA's schedule. Memory stays bounded by a chunk, not the register:
   *  1. plan — page through the register once; keep the records the partner shares and its
   *     format can carry (record mapping only), and cut chunks by the MRA's count and the
   *     profile's byte limit, so numbering is final before anything is sealed;
   *  2. queue — read each chunk's records again (its key range), encode and seal them, and
   *     store a few chunks per transaction HELD: in the outbox, but never due;
   *  3. release — one transaction makes every chunk due and writes SNAPSHOT_QUEUED, the only
   *     mark of a complete snapshot.
   * All or nothing, as one transaction was: until 3 commits the relay publishes no chunk, so a
   * crash in between leaves the partner with nothing, not a partial snapshot; the next
   * snapshot to that partner removes chunks held longer than `abandonedAfterMs` and audits it
   * (SNAPSHOT_ABANDONED). A record changed between 1 and 2 goes out at its newer version.
   */
  async snapshot(
    adapter: PartnerAdapter,
    environment: Environment,
    chunkSize: number,
    actor: string,
    onProgress?: (chunksHeld: number, chunkCount: number) => void,
  ): Promise<SnapshotResult> {
    const partner = adapter.profile.partner;
    const options = this.snapshotOptions;
    const started = this.clock.now();
    await this.dataSource.transaction((manager) => this.outbox.discardHeld(manager, partner, started - options.abandonedAfterMs, actor));

    const snapshotId = randomUUID();
    const asOf = new Date(started).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const sizer = this.recordSizer(adapter, environment);
    const plan = await planSnapshotChunks(
      homeRegisterPages(this.dataSource.manager, environment, options.pageSize),
      partner,
      (record) => this.distribution.shares(adapter, record, environment),
      sizer.sizeOf,
      { maxRecords: chunkSize, maxBytes: adapter.profile.limits.maxBytes, overheadBytes: sizer.overheadBytes },
    );
    // An empty register still gets its one (empty) chunk, so the partner learns it holds nothing of ours.
    const chunks: readonly PlannedChunk[] = plan.chunks.length > 0 ? plan.chunks : [{ first: { programme: '', aeoIdNormalized: '' }, last: { programme: '', aeoIdNormalized: '' }, keys: [], bytes: 0 }];
    const noLongerShared: (NotSent & { aeoIdNormalized: string })[] = [];
    const queued = await this.sealAndHold(adapter, environment, actor, { snapshotId, asOf }, chunks, noLongerShared, onProgress);
    const dropped = new Set(noLongerShared.map((n) => n.aeoIdNormalized));
    const records = plan.records.filter((r) => !dropped.has(r.aeoIdNormalized));
    const notSent: NotSent[] = [...plan.notSent, ...noLongerShared.map(({ partner: p, reasonCode, detail }) => ({ partner: p, reasonCode, detail }))];
    await this.dataSource.transaction(async (manager) => {
      const released = await this.outbox.release(manager, queued.map((q) => q.messageId));
      if (released !== queued.length) {
        throw new GatewayError('TRANSIENT_FAILURE', `only ${released} of snapshot ${snapshotId}'s ${queued.length} chunks were still held; the snapshot is not sent`);
      }
      await this.audit.append(manager, [
        {
          type: 'SNAPSHOT_QUEUED',
          direction: 'OUT',
          partner,
          messageId: null,
          outcome: 'QUEUED',
          actor,
          details: { environment, snapshotId, chunkCount: chunks.length, records: records.length, notSent },
        },
      ]);
    });
    this.onQueued();
    return { snapshotId, records, queued, notSent };
  }

  /**
   * Encode and seal every planned chunk and store them HELD, `chunksPerTransaction` per
   * transaction; the next group is sealed while the previous one is written. On any failure
   * the write in flight is let finish before the error goes up, so the caller sees a settled
   * outbox (held chunks that will never be released, see `snapshot`).
   */
  private async sealAndHold(
    adapter: PartnerAdapter,
    environment: Environment,
    actor: string,
    snapshot: { snapshotId: string; asOf: string },
    chunks: readonly PlannedChunk[],
    noLongerShared: (NotSent & { aeoIdNormalized: string })[],
    onProgress?: (chunksHeld: number, chunkCount: number) => void,
  ): Promise<{ partner: string; messageId: string; records: number }[]> {
    const partner = adapter.profile.partner;
    const perTransaction = this.snapshotOptions.chunksPerTransaction;
    const queued: { partner: string; messageId: string; records: number }[] = [];
    let writing: Promise<void> = Promise.resolve();
    try {
      for (let i = 0; i < chunks.length; i += perTransaction) {
        const composed = await Promise.all(
          chunks.slice(i, i + perTransaction).map(async (chunk, k) => {
            const records = await this.chunkRecords(adapter, environment, chunk, noLongerShared);
            const message = await this.composer.compose(
              adapter,
              'AEO_SNAPSHOT',
              { ...snapshot, programme: 'KZ-SRC', chunkIndex: i + k + 1, chunkCount: chunks.length, records },
              { environment, checks: 'trusted', ...(records.length === 1 ? { aeoIds: [records[0].aeoIdNormalized] } : {}) },
            );
            if (message.payloadBytes > adapter.profile.limits.maxBytes) {
              throw new GatewayError('PAYLOAD_TOO_LARGE', `snapshot chunk ${i + k + 1} encodes to ${message.payloadBytes} bytes, above ${partner}'s limit of ${adapter.profile.limits.maxBytes}`);
            }
            return { outbound: message.outbound, records: records.length };
          }),
        );
        await writing;
        const heldAfterWrite = i + composed.length;
        writing = this.dataSource
          .transaction((manager) => this.outbox.enqueue(manager, composed.map((c) => c.outbound), actor, { held: true }))
          .then(() => onProgress?.(heldAfterWrite, chunks.length));
        // Handled for now (no unhandled rejection while the next group is sealed); the next `await writing` still throws.
        writing.catch(() => undefined);
        for (const c of composed) queued.push({ partner, messageId: c.outbound.messageId, records: c.records });
      }
      await writing;
    } catch (error) {
      await writing.catch(() => undefined);
      throw error;
    }
    return queued;
  }

  /**
   * The records of one planned chunk, read again from its register range at their current
   * versions. One changed since planning so that the MRA no longer shares it with this partner
   * (consent withdrawn, authorisation type out of scope) is left out and reported: a snapshot
   * never sends what a delta would not.
   */
  private async chunkRecords(
    adapter: PartnerAdapter,
    environment: Environment,
    chunk: PlannedChunk,
    noLongerShared: (NotSent & { aeoIdNormalized: string })[],
  ): Promise<AeoRecord[]> {
    if (chunk.keys.length === 0) return [];
    const wanted = new Set(chunk.keys);
    const found: AeoRecord[] = [];
    for await (const page of homeRegisterPages(this.dataSource.manager, environment, this.snapshotOptions.pageSize, { from: chunk.first, upTo: chunk.last })) {
      for (const record of page) if (wanted.has(keyOf(record.programme, record.aeoIdNormalized))) found.push(record);
    }
    if (found.length !== chunk.keys.length) {
      throw new GatewayError('TRANSIENT_FAILURE', `a snapshot chunk planned with ${chunk.keys.length} records found ${found.length}`);
    }
    const partner = adapter.profile.partner;
    return found.filter((record) => {
      if (this.distribution.shares(adapter, record, environment)) return true;
      noLongerShared.push({
        partner,
        aeoIdNormalized: record.aeoIdNormalized,
        reasonCode: 'BUSINESS_RULE_VIOLATION',
        detail: `${record.aeoIdNormalized}: no longer shared with ${partner} under the MRA (changed to version ${record.recordVersion} during the snapshot)`,
      });
      return false;
    });
  }

  /**
   * Bytes one record adds to a snapshot chunk in this partner's format: a one-record chunk
   * minus an empty one, encoded as trusted input (the record mapping and a short header; no
   * schema pass, no read-back, no signing). Throws CANNOT_ENCODE for what the format cannot
   * carry. One byte more per record covers JSON's separating comma.
   */
  private recordSizer(adapter: PartnerAdapter, environment: Environment): { sizeOf: (record: AeoRecord) => number; overheadBytes: number } {
    const envelope = this.composer.envelope(adapter, 'AEO_SNAPSHOT', environment);
    // The widest chunk numbers any snapshot will have, so the overhead is an upper bound.
    const encodedSize = (records: readonly AeoRecord[]) =>
      adapter.encode({ envelope, body: { snapshotId: randomUUID(), programme: 'KZ-SRC', asOf: envelope.createdAt, chunkIndex: 999_999, chunkCount: 999_999, records } } as unknown as CanonicalMessage, { checks: 'trusted' }).bytes.byteLength;
    const overheadBytes = encodedSize([]);
    return { overheadBytes, sizeOf: (record) => encodedSize([record]) - overheadBytes + 1 };
  }

  /** Encode one record alone in the partner's format (no signing, trusted input): throws if the format cannot carry it. */
  private probe(adapter: PartnerAdapter, environment: Environment, record: AeoRecord): void {
    adapter.encode({ envelope: this.composer.envelope(adapter, 'AEO_STATUS_DELTA', environment), body: { programme: 'KZ-SRC', records: [record] } }, { checks: 'trusted' });
  }
}

function registerChangeEvent(change: PreparedChange): AuditEvent {
  const { records, actor, environment } = change;
  return {
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
      queued: change.queued,
      notSent: change.notSent,
    },
  };
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
