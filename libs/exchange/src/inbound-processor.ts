import {
  GatewayError,
  aeoIdRuleFor,
  recordsOf,
  type AeoRecord,
  type CanonicalMessage,
  type Environment,
  type LookupRequestBody,
  type LookupResponseBody,
  type Programme,
  type ReceiptBody,
  type SnapshotBody,
} from '@aeo/domain';
import type { Delivery, DeliveryDecision } from '@aeo/messaging';
import type { PartnerAdapter } from '@aeo/partners';
import { foreignRegister, homeRegister, type ApplyInput, type ApplyPlan, type VersionIndex } from '@aeo/registry';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { InboundMessageEntity, type InboundMessageRow } from './exchange.entities.js';
import { claimedMessageId } from './claimed-message-id.js';
import { recordSnapshotChunk, type MissingRecordRule } from './snapshot-reconciliation.js';
import type { OutboundComposer } from './outbound-composer.js';
import { sha256Hex, type NewOutboundMessage, type OutboxStore } from './outbox-store.js';
import { auditAeoId, type AuditEvent, type AuditSink, type Clock, type ExchangeObserver, type MessageOpener, type VerifiedMessage } from './ports.js';

export type CanonicalLookupListener = (partner: string, response: CanonicalMessage) => void;

/** What a partner's MRA lets it ask about our AEOs (config/mra/<p>.yaml `lookups`, scope, consent). */
export interface LookupPolicy {
  /** Whether lookups are part of the MRA with this partner at all. */
  answers(partner: string): boolean;
  /** Whether this partner may see this record of ours (the same rule that decides what it is sent). */
  discloses(partner: string, record: AeoRecord, environment: Environment): boolean;
}

/** Without an MRA policy (tests, tools): every partner may ask, and sees consenting holders only. */
const CONSENT_ONLY: LookupPolicy = { answers: () => true, discloses: (_partner, record) => record.consent.granted };

export interface InboundDependencies {
  readonly dataSource: DataSource;
  readonly adapters: ReadonlyMap<string, PartnerAdapter>;
  readonly opener: MessageOpener;
  readonly composer: OutboundComposer;
  readonly outbox: OutboxStore;
  readonly audit: AuditSink;
  readonly clock: Clock;
  readonly home: Programme;
  /** Crypto work in flight at once: jose keeps up with ~32 (tech-notes §2a). */
  readonly concurrency?: number;
  /** Called after commit for each lookup response, so a waiting recognition can answer. */
  readonly onLookupResponse?: CanonicalLookupListener;
  readonly observer?: ExchangeObserver;
  /** What a partner's full snapshot does to records it no longer lists (its MRA's rule). */
  readonly missingRecordRule?: (partner: string) => MissingRecordRule;
  readonly lookupPolicy?: LookupPolicy;
}

type Prepared = Accepted | Rejected;
type Accepted = { readonly kind: 'accepted'; readonly delivery: Delivery; readonly sha256: string; readonly verified: VerifiedMessage; readonly message: CanonicalMessage };
type Rejected = { readonly kind: 'rejected'; readonly delivery: Delivery; readonly sha256: string; readonly error: GatewayError };

/** What the batch transaction decided for one delivery; kept in delivery order. */
type Step =
  | { readonly kind: 'duplicate'; readonly item: Accepted; readonly originalReceipt: () => string | null }
  | { readonly kind: 'rejected'; readonly item: Rejected; receipt?: NewOutboundMessage }
  | { readonly kind: 'accepted'; readonly item: Accepted; readonly plan?: ApplyPlan; answer?: NewOutboundMessage; reconciled?: AuditEvent; receipt?: NewOutboundMessage };

/** Register writes in delivery order: a snapshot chunk's records are stored before its reconciliation reads the register. */
type RegisterWrite = { readonly plans: ApplyPlan[]; readonly snapshot?: Extract<Step, { kind: 'accepted' }> };

/**
 * The inbound pipeline for one partner's queue: decrypt → verify → decode → validate, then,
 * for the whole batch in ONE transaction, apply → audit → queue receipts → commit, and only
 * then acknowledge. A permanent failure (signature, schema, business rule) is answered with
 * a signed negative receipt, audited with the raw bytes and parked on the dead-letter queue;
 * it changes no register. A transient failure (database down) throws, and the consumer puts
 * the batch round the backoff.
 *
 * Inside the transaction the batch is handled as a set, with the outcome of handling its
 * messages one after another: one read of the inbox and of the stored record versions, the
 * decisions in memory, then every receipt sealed concurrently while the register is written
 * in bulk, and one insert each for inbox rows, audit entries and outbox rows.
 */
export class InboundProcessor {
  constructor(private readonly deps: InboundDependencies) {}

  async handle(partner: string, batch: readonly Delivery[]): Promise<DeliveryDecision[]> {
    const adapter = this.deps.adapters.get(partner);
    if (!adapter) throw new Error(`no adapter for partner ${partner}`);
    const prepared = await this.prepareAll(adapter, batch);
    const lookupResponses: CanonicalMessage[] = [];
    const decisions = await this.deps.dataSource.transaction(async (manager) => {
      const now = this.deps.clock.now();
      const known = await this.knownMessages(manager, partner, prepared);
      const versions = await foreignRegister.currentVersions(manager, prepared.flatMap((item) => (item.kind === 'accepted' ? [registerInput(item, partner, now)] : [])));
      const steps: Step[] = [];
      // Messages accepted earlier in this batch, as the inbox will hold them once committed.
      const acceptedHere = new Map<string, Extract<Step, { kind: 'accepted' }>>();
      const writes: RegisterWrite[] = [{ plans: [] }];
      // State changes of our outbox (receipts settling our messages, original receipts sent
      // again), audited at the end with the batch: row locks first, the audit chain lock last.
      const outboxEvents: AuditEvent[] = [];
      for (const item of prepared) {
        const step = await this.decide(manager, adapter, item, known, acceptedHere, versions, now, outboxEvents);
        steps.push(step);
        if (step.kind !== 'accepted') continue;
        acceptedHere.set(step.item.message.envelope.messageId, step);
        if (step.plan) writes[writes.length - 1].plans.push(step.plan);
        if (step.item.message.envelope.messageType === 'AEO_SNAPSHOT') writes.push({ plans: [], snapshot: step }, { plans: [] });
        if (step.item.message.envelope.messageType === 'AEO_LOOKUP_RESPONSE') lookupResponses.push(step.item.message);
      }
      // The receipts' crypto runs on the thread pool while the register is written.
      const sealing = this.sealReceipts(adapter, steps);
      // Observed now so a sealing failure during the writes is not an unhandled rejection; awaited below.
      sealing.catch(() => undefined);
      try {
        for (const write of writes) {
          if (write.snapshot) write.snapshot.reconciled = await this.reconcile(manager, adapter, write.snapshot.item.message, now);
          else await foreignRegister.write(manager, write.plans);
        }
      } finally {
        await sealing;
      }
      const inboundRows = steps.flatMap((step) => (step.kind === 'accepted' ? [inboundRow(step, partner, now)] : []));
      if (inboundRows.length > 0) await manager.createQueryBuilder().insert().into(InboundMessageEntity).values(inboundRows).execute();
      await this.deps.audit.append(manager, [...outboxEvents, ...steps.flatMap((step) => this.eventsOf(step, partner))]);
      await this.deps.outbox.enqueue(manager, steps.flatMap(outboundOf), 'exchange');
      return steps.map(decisionOf);
    });
    for (const response of lookupResponses) this.deps.onLookupResponse?.(partner, response);
    this.observe(partner, prepared, decisions);
    return decisions;
  }

  private observe(partner: string, prepared: readonly Prepared[], decisions: readonly DeliveryDecision[]): void {
    const observer = this.deps.observer;
    if (!observer) return;
    const now = this.deps.clock.now();
    prepared.forEach((item, i) => {
      const decision = decisions[i];
      const type = item.kind === 'accepted' ? item.message.envelope.messageType : (item.delivery.type ?? 'UNKNOWN');
      const outcome = decision.action === 'ack' ? 'ACCEPTED' : decision.action === 'dead-letter' ? decision.reason : 'RETRY';
      observer.messageIn?.(partner, type, outcome);
      if (item.kind === 'accepted' && decision.action === 'ack') observer.endToEnd?.(partner, type, now - Date.parse(item.message.envelope.createdAt));
    });
  }

  /** Crypto and decoding outside the transaction, several in flight. */
  private prepareAll(adapter: PartnerAdapter, batch: readonly Delivery[]): Promise<Prepared[]> {
    return mapConcurrently(batch, this.deps.concurrency ?? 32, (delivery) => this.prepare(adapter, delivery));
  }

  private async prepare(adapter: PartnerAdapter, delivery: Delivery): Promise<Prepared> {
    const sha256 = sha256Hex(delivery.body);
    try {
      const verified = await this.deps.opener.open({ profile: adapter.profile, token: delivery.body });
      const message = await adapter.decode(verified.payload);
      const e = message.envelope;
      if (e.sender !== adapter.profile.programme) throw new GatewayError('SENDER_MISMATCH', `sender ${e.sender} is not ${adapter.profile.programme}`, '/envelope/sender');
      if (e.recipient !== this.deps.home) throw new GatewayError('WRONG_RECIPIENT', `recipient ${e.recipient} is not ${this.deps.home}`, '/envelope/recipient');
      if (e.messageId !== verified.messageId) throw new GatewayError('MESSAGE_ID_MISMATCH', 'signed message id differs from the envelope', '/envelope/messageId');
      if (e.messageType !== verified.messageType) throw new GatewayError('MESSAGE_TYPE_MISMATCH', 'signed message type differs from the envelope', '/envelope/messageType');
      return { kind: 'accepted', delivery, sha256, verified, message };
    } catch (error) {
      // TRANSIENT_FAILURE is ours (a crypto worker that died, a key store that is not there),
      // never the partner's: the batch goes round the backoff instead of being answered REJECTED.
      if (error instanceof GatewayError && error.code !== 'TRANSIENT_FAILURE') return { kind: 'rejected', delivery, sha256, error };
      throw error;
    }
  }

  private async knownMessages(manager: EntityManager, partner: string, prepared: readonly Prepared[]): Promise<Map<string, InboundMessageRow>> {
    const ids = prepared.flatMap((p) => (p.kind === 'accepted' ? [p.message.envelope.messageId] : []));
    if (ids.length === 0) return new Map();
    const rows = await manager.getRepository(InboundMessageEntity).findBy({ partner, messageId: In(ids) });
    return new Map(rows.map((row) => [row.messageId, row]));
  }

  /**
   * One delivery, as if the batch's earlier ones were already applied: duplicate, replay,
   * rejection, or what accepting it does. Register changes are only planned here (against the
   * version index, moved forward); a partner's receipt for our message and a lookup are applied at once.
   */
  private async decide(
    manager: EntityManager,
    adapter: PartnerAdapter,
    item: Prepared,
    known: ReadonlyMap<string, InboundMessageRow>,
    acceptedHere: ReadonlyMap<string, Extract<Step, { kind: 'accepted' }>>,
    versions: VersionIndex,
    now: number,
    outboxEvents: AuditEvent[],
  ): Promise<Step> {
    if (item.kind === 'rejected') return { kind: 'rejected', item };
    const { envelope } = item.message;
    const earlier = acceptedHere.get(envelope.messageId);
    if (earlier) {
      if (earlier.item.sha256 !== item.sha256) return { kind: 'rejected', item: rejectedAs(item, new GatewayError('REPLAYED_MESSAGE', 'message id reused with different content')) };
      // Its receipt, queued in this very batch, is already on its way.
      return { kind: 'duplicate', item, originalReceipt: () => earlier.receipt?.messageId ?? null };
    }
    const previous = known.get(envelope.messageId);
    if (previous && previous.bodySha256 === item.sha256) {
      // A partner that did not get our receipt (or a redelivery): the original receipt is sent again.
      if (previous.receiptMessageId) await this.deps.outbox.requeue(manager, previous.receiptMessageId, 'exchange', 'DUPLICATE_MESSAGE', outboxEvents);
      return { kind: 'duplicate', item, originalReceipt: () => previous.receiptMessageId };
    }
    if (previous) return { kind: 'rejected', item: rejectedAs(item, new GatewayError('REPLAYED_MESSAGE', 'message id reused with different content')) };
    try {
      switch (envelope.messageType) {
        case 'RECEIPT':
          await this.deps.outbox.applyReceipt(manager, adapter.profile.partner, item.message.body as ReceiptBody, envelope.messageId, outboxEvents);
          return { kind: 'accepted', item };
        case 'AEO_LOOKUP_REQUEST':
          if (!(this.deps.lookupPolicy ?? CONSENT_ONLY).answers(adapter.profile.partner)) {
            throw new GatewayError('UNSUPPORTED_MESSAGE_TYPE', `lookups are not part of the MRA with ${adapter.profile.partner}`, '/envelope/messageType');
          }
          return { kind: 'accepted', item, answer: await this.answerLookup(manager, adapter, item.message) };
        case 'IRREGULARITY_NOTICE':
          return { kind: 'accepted', item };
        default: {
          const input = registerInput(item, adapter.profile.partner, now);
          return input.records.length > 0 ? { kind: 'accepted', item, plan: foreignRegister.plan(versions, input) } : { kind: 'accepted', item };
        }
      }
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      return { kind: 'rejected', item: rejectedAs(item, error) };
    }
  }

  /** A snapshot chunk's bookkeeping; once the last chunk is in, drift is reconciled and audited. */
  private async reconcile(manager: EntityManager, adapter: PartnerAdapter, message: CanonicalMessage, now: number): Promise<AuditEvent | undefined> {
    const partner = adapter.profile.partner;
    const { envelope } = message;
    const reconciled = await recordSnapshotChunk(manager, {
      partner,
      environment: envelope.environment,
      body: message.body as SnapshotBody,
      receivedAt: now,
      programmes: adapter.profile.recordProgrammes,
      rule: this.deps.missingRecordRule?.(partner) ?? 'keep-and-report',
    });
    if (!reconciled) return undefined;
    return {
      type: 'SNAPSHOT_RECONCILED',
      direction: 'INTERNAL',
      partner,
      messageId: envelope.messageId,
      outcome: reconciled.missing.length === 0 ? 'IN_SYNC' : 'MISSING_RECORDS',
      actor: 'exchange',
      details: { snapshotId: reconciled.snapshotId, listed: reconciled.listed, rule: reconciled.rule, missing: reconciled.missing.slice(0, 500), missingCount: reconciled.missing.length },
    };
  }

  /** Every positive and negative receipt of the batch, sealed with up to `concurrency` in flight. */
  private async sealReceipts(adapter: PartnerAdapter, steps: readonly Step[]): Promise<void> {
    // A duplicate's receipt was sent already; a partner's receipt is not answered with one.
    const owed = steps.filter((step): step is Exclude<Step, { kind: 'duplicate' }> => step.kind === 'rejected' || (step.kind === 'accepted' && step.item.message.envelope.messageType !== 'RECEIPT'));
    await mapConcurrently(owed, this.deps.concurrency ?? 32, async (step) => {
      step.receipt =
        step.kind === 'rejected'
          ? await this.receipt(adapter, undefined, step.item.sha256, {
              outcome: 'REJECTED',
              reasonCode: step.item.error.code,
              reasonText: step.item.error.message.slice(0, 1000),
              recordResults: [],
              receivedMessageId: claimedMessageId(step.item.delivery),
            })
          : await this.receipt(adapter, step.item.message, step.item.sha256, { outcome: 'ACCEPTED', recordResults: step.plan?.results ?? [] });
    });
  }

  private eventsOf(step: Step, partner: string): AuditEvent[] {
    switch (step.kind) {
      case 'duplicate':
        return [
          {
            type: 'MESSAGE_DUPLICATE',
            direction: 'IN',
            partner,
            messageId: step.item.message.envelope.messageId,
            outcome: 'DUPLICATE_MESSAGE',
            actor: partner,
            keyId: step.item.verified.keyId,
            details: { sha256: step.item.sha256, originalReceipt: step.originalReceipt() },
          },
        ];
      case 'rejected': {
        const { item } = step;
        return [
          {
            type: 'MESSAGE_REJECTED',
            direction: 'IN',
            partner,
            messageId: claimedMessageId(item.delivery),
            outcome: item.error.code,
            actor: partner,
            payload: item.delivery.body,
            details: { reason: item.error.message, path: item.error.path ?? null, sha256: item.sha256, negativeReceipt: step.receipt!.messageId },
          },
        ];
      }
      case 'accepted': {
        const { message, verified, delivery, sha256 } = step.item;
        const { envelope } = message;
        const records = recordsOf(message);
        const results = step.plan?.results ?? [];
        const accepted: AuditEvent = {
          type: 'MESSAGE_ACCEPTED',
          direction: 'IN',
          partner,
          messageId: envelope.messageId,
          correlationId: envelope.correlationId ?? null,
          aeoId: aeoIdsOf(records, message),
          outcome: 'ACCEPTED',
          actor: partner,
          keyId: verified.keyId,
          payload: delivery.body,
          details: {
            messageType: envelope.messageType,
            environment: envelope.environment,
            algorithm: verified.algorithm,
            encrypted: verified.encrypted,
            sha256,
            aeoIds: records.slice(0, 50).map((r) => r.aeoIdNormalized),
            applied: results.filter((r) => r.outcome === 'APPLIED').length,
            ignoredOlder: results.filter((r) => r.outcome === 'IGNORED_OLDER_VERSION').length,
            ...(envelope.messageType === 'IRREGULARITY_NOTICE' ? { notice: message.body } : {}),
          },
        };
        return step.reconciled ? [step.reconciled, accepted] : [accepted];
      }
    }
  }

  private async receipt(
    adapter: PartnerAdapter,
    received: CanonicalMessage | undefined,
    sha256: string,
    outcome: Omit<ReceiptBody, 'receivedMessageId' | 'receivedSha256'> & { receivedMessageId?: string },
  ): Promise<NewOutboundMessage> {
    const receivedMessageId = received?.envelope.messageId ?? outcome.receivedMessageId!;
    const body: ReceiptBody = {
      receivedMessageId,
      receivedSha256: sha256,
      outcome: outcome.outcome,
      ...(outcome.reasonCode ? { reasonCode: outcome.reasonCode } : {}),
      ...(outcome.reasonText ? { reasonText: outcome.reasonText } : {}),
      recordResults: outcome.recordResults,
    };
    const composed = await this.deps.composer.compose(adapter, 'RECEIPT', body, {
      environment: received?.envelope.environment ?? 'production',
      correlationId: receivedMessageId,
    });
    return composed.outbound;
  }

  private async answerLookup(manager: EntityManager, adapter: PartnerAdapter, request: CanonicalMessage): Promise<NewOutboundMessage> {
    const body = request.body as LookupRequestBody;
    const environment = request.envelope.environment;
    const partner = adapter.profile.partner;
    const policy = this.deps.lookupPolicy ?? CONSENT_ONLY;
    // One indexed read by normalised id. An id that is not even a well-formed id of ours is
    // simply not found; a record the MRA would not send this partner is "not found" as well,
    // so a lookup never discloses more than the deltas do.
    const wanted = normalisedHomeId(body.aeoId);
    const stored = wanted === undefined ? undefined : await homeRegister.find(manager, environment, this.deps.home, wanted);
    const hit = stored && policy.discloses(partner, stored.record, environment) ? stored : undefined;
    const response: LookupResponseBody = hit
      ? { requestMessageId: request.envelope.messageId, found: true, record: hit.record }
      : { requestMessageId: request.envelope.messageId, found: false };
    const composed = await this.deps.composer.compose(adapter, 'AEO_LOOKUP_RESPONSE', response, {
      environment,
      correlationId: request.envelope.messageId,
      ...(hit ? { aeoIds: [hit.record.aeoIdNormalized] } : {}),
    });
    return composed.outbound;
  }
}

function normalisedHomeId(raw: string): string | undefined {
  try {
    return aeoIdRuleFor('KZ-SRC').normalise(raw).normalised;
  } catch (error) {
    if (error instanceof GatewayError) return undefined;
    throw error;
  }
}

/** The register change a message carries: its records (a lookup response's one record), stored under its id. */
function registerInput(item: Accepted, partner: string, now: number): ApplyInput {
  const { envelope } = item.message;
  return { environment: envelope.environment, records: recordsOf(item.message), source: partner, sourceMessageId: envelope.messageId, storedAt: now };
}

function rejectedAs(item: Accepted, error: GatewayError): Rejected {
  return { kind: 'rejected', delivery: item.delivery, sha256: item.sha256, error };
}

function inboundRow(step: Extract<Step, { kind: 'accepted' }>, partner: string, now: number): InboundMessageRow {
  const { envelope } = step.item.message;
  return {
    partner,
    messageId: envelope.messageId,
    environment: envelope.environment,
    messageType: envelope.messageType,
    receivedAt: now,
    bodySha256: step.item.sha256,
    outcome: 'ACCEPTED',
    receiptMessageId: step.receipt?.messageId ?? null,
  };
}

/** What the batch queues for one delivery: a lookup's answer, then the receipt. */
function outboundOf(step: Step): NewOutboundMessage[] {
  if (step.kind === 'duplicate') return [];
  if (step.kind === 'rejected') return [step.receipt!];
  return [step.answer, step.receipt].filter((m): m is NewOutboundMessage => m !== undefined);
}

function decisionOf(step: Step): DeliveryDecision {
  if (step.kind !== 'rejected') return { action: 'ack' };
  const { error } = step.item;
  return { action: 'dead-letter', reason: error.code, detail: error.message.slice(0, 200) };
}

/** `fn` over `items` with at most `limit` calls in flight; results in the items' order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function aeoIdsOf(records: readonly AeoRecord[], message: CanonicalMessage): string | null {
  if (records.length > 0) return auditAeoId(records.map((r) => r.aeoIdNormalized));
  const body = message.body as { aeoId?: string };
  return typeof body.aeoId === 'string' ? body.aeoId.slice(0, 64) : null;
}
