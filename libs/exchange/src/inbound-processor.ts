import {
  GatewayError,
  recordsOf,
  type AeoRecord,
  type CanonicalMessage,
  type LookupRequestBody,
  type LookupResponseBody,
  type Programme,
  type ReceiptBody,
  type RecordResult,
  type SnapshotBody,
} from '@aeo/domain';
import type { Delivery, DeliveryDecision } from '@aeo/messaging';
import type { PartnerAdapter } from '@aeo/partners';
import { foreignRegister, homeRegister } from '@aeo/registry';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { InboundMessageEntity, type InboundMessageRow } from './exchange.entities.js';
import { claimedMessageId } from './claimed-message-id.js';
import { recordSnapshotChunk, type MissingRecordRule } from './snapshot-reconciliation.js';
import type { OutboundComposer } from './outbound-composer.js';
import { sha256Hex, type NewOutboundMessage, type OutboxStore } from './outbox-store.js';
import { auditAeoId, type AuditEvent, type AuditSink, type Clock, type ExchangeObserver, type MessageOpener, type VerifiedMessage } from './ports.js';

export type CanonicalLookupListener = (partner: string, response: CanonicalMessage) => void;

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
}

type Prepared =
  | { readonly kind: 'accepted'; readonly delivery: Delivery; readonly sha256: string; readonly verified: VerifiedMessage; readonly message: CanonicalMessage }
  | { readonly kind: 'rejected'; readonly delivery: Delivery; readonly sha256: string; readonly error: GatewayError };

/**
 * The inbound pipeline for one partner's queue: decrypt → verify → decode → validate, then,
 * for the whole batch in ONE transaction, apply → audit → queue receipts → commit, and only
 * then acknowledge. A permanent failure (signature, schema, business rule) is answered with
 * a signed negative receipt, audited with the raw bytes and parked on the dead-letter queue;
 * it changes no register. A transient failure (database down) throws, and the consumer puts
 * the batch round the backoff.
 */
export class InboundProcessor {
  constructor(private readonly deps: InboundDependencies) {}

  async handle(partner: string, batch: readonly Delivery[]): Promise<DeliveryDecision[]> {
    const adapter = this.deps.adapters.get(partner);
    if (!adapter) throw new Error(`no adapter for partner ${partner}`);
    const prepared = await this.prepareAll(adapter, batch);
    const lookupResponses: CanonicalMessage[] = [];
    const decisions = await this.deps.dataSource.transaction(async (manager) => {
      const known = await this.knownMessages(manager, partner, prepared);
      const outcomes: DeliveryDecision[] = [];
      const inboundRows: InboundMessageRow[] = [];
      const acceptedInThisBatch = new Set<string>();
      const outbound: NewOutboundMessage[] = [];
      const events: AuditEvent[] = [];
      for (const item of prepared) {
        let current = item;
        if (current.kind === 'accepted') {
          const previous = known.get(current.message.envelope.messageId);
          if (previous && previous.bodySha256 === current.sha256) {
            const resendReceipt = !acceptedInThisBatch.has(previous.messageId);
            outcomes.push(await this.duplicate(manager, adapter, current, previous, resendReceipt, events));
            continue;
          }
          if (previous) {
            current = { kind: 'rejected', delivery: current.delivery, sha256: current.sha256, error: new GatewayError('REPLAYED_MESSAGE', 'message id reused with different content') };
          }
        }
        if (current.kind === 'rejected') {
          outcomes.push(await this.reject(adapter, current, outbound, events));
          continue;
        }
        try {
          const row = await this.apply(manager, adapter, current, outbound, events, lookupResponses);
          inboundRows.push(row);
          known.set(row.messageId, row);
          acceptedInThisBatch.add(row.messageId);
          outcomes.push({ action: 'ack' });
        } catch (error) {
          if (!(error instanceof GatewayError)) throw error;
          outcomes.push(await this.reject(adapter, { kind: 'rejected', delivery: current.delivery, sha256: current.sha256, error }, outbound, events));
        }
      }
      if (inboundRows.length > 0) await manager.createQueryBuilder().insert().into(InboundMessageEntity).values(inboundRows).execute();
      await this.deps.audit.append(manager, events);
      await this.deps.outbox.enqueue(manager, outbound, 'exchange');
      return outcomes;
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
  private async prepareAll(adapter: PartnerAdapter, batch: readonly Delivery[]): Promise<Prepared[]> {
    const limit = this.deps.concurrency ?? 32;
    const results = new Array<Prepared>(batch.length);
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const index = next++;
        results[index] = await this.prepare(adapter, batch[index]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, batch.length) }, worker));
    return results;
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
      if (error instanceof GatewayError) return { kind: 'rejected', delivery, sha256, error };
      throw error;
    }
  }

  private async knownMessages(manager: EntityManager, partner: string, prepared: readonly Prepared[]): Promise<Map<string, InboundMessageRow>> {
    const ids = prepared.flatMap((p) => (p.kind === 'accepted' ? [p.message.envelope.messageId] : []));
    if (ids.length === 0) return new Map();
    const rows = await manager.getRepository(InboundMessageEntity).findBy({ partner, messageId: In(ids) });
    return new Map(rows.map((row) => [row.messageId, row]));
  }

  private async apply(
    manager: EntityManager,
    adapter: PartnerAdapter,
    item: Extract<Prepared, { kind: 'accepted' }>,
    outbound: NewOutboundMessage[],
    events: AuditEvent[],
    lookupResponses: CanonicalMessage[],
  ): Promise<InboundMessageRow> {
    const { message, verified } = item;
    const { envelope } = message;
    const partner = adapter.profile.partner;
    const now = this.deps.clock.now();
    let results: RecordResult[] = [];
    switch (envelope.messageType) {
      case 'AEO_SNAPSHOT': {
        results = await foreignRegister.apply(manager, {
          environment: envelope.environment,
          records: recordsOf(message),
          source: partner,
          sourceMessageId: envelope.messageId,
          storedAt: now,
        });
        const reconciled = await recordSnapshotChunk(manager, {
          partner,
          environment: envelope.environment,
          body: message.body as SnapshotBody,
          receivedAt: now,
          programmes: adapter.profile.recordProgrammes,
          rule: this.deps.missingRecordRule?.(partner) ?? 'keep-and-report',
        });
        if (reconciled) {
          events.push({
            type: 'SNAPSHOT_RECONCILED',
            direction: 'INTERNAL',
            partner,
            messageId: envelope.messageId,
            outcome: reconciled.missing.length === 0 ? 'IN_SYNC' : 'MISSING_RECORDS',
            actor: 'exchange',
            details: { snapshotId: reconciled.snapshotId, listed: reconciled.listed, rule: reconciled.rule, missing: reconciled.missing.slice(0, 500), missingCount: reconciled.missing.length },
          });
        }
        break;
      }
      case 'AEO_STATUS_DELTA':
        results = await foreignRegister.apply(manager, {
          environment: envelope.environment,
          records: recordsOf(message),
          source: partner,
          sourceMessageId: envelope.messageId,
          storedAt: now,
        });
        break;
      case 'AEO_LOOKUP_RESPONSE': {
        const record = (message.body as LookupResponseBody).record;
        if (record) {
          results = await foreignRegister.apply(manager, { environment: envelope.environment, records: [record], source: partner, sourceMessageId: envelope.messageId, storedAt: now });
        }
        lookupResponses.push(message);
        break;
      }
      case 'RECEIPT':
        await this.deps.outbox.applyReceipt(manager, partner, message.body as ReceiptBody, envelope.messageId);
        break;
      case 'AEO_LOOKUP_REQUEST':
        outbound.push(await this.answerLookup(manager, adapter, message));
        break;
      case 'IRREGULARITY_NOTICE':
        break;
    }
    const records = recordsOf(message);
    events.push({
      type: 'MESSAGE_ACCEPTED',
      direction: 'IN',
      partner,
      messageId: envelope.messageId,
      correlationId: envelope.correlationId ?? null,
      aeoId: aeoIdsOf(records, message),
      outcome: 'ACCEPTED',
      actor: partner,
      keyId: verified.keyId,
      payload: item.delivery.body,
      details: {
        messageType: envelope.messageType,
        environment: envelope.environment,
        algorithm: verified.algorithm,
        encrypted: verified.encrypted,
        sha256: item.sha256,
        aeoIds: records.slice(0, 50).map((r) => r.aeoIdNormalized),
        applied: results.filter((r) => r.outcome === 'APPLIED').length,
        ignoredOlder: results.filter((r) => r.outcome === 'IGNORED_OLDER_VERSION').length,
        ...(envelope.messageType === 'IRREGULARITY_NOTICE' ? { notice: message.body } : {}),
      },
    });
    let receiptMessageId: string | null = null;
    if (envelope.messageType !== 'RECEIPT') {
      const receipt = await this.receipt(adapter, message, item.sha256, { outcome: 'ACCEPTED', recordResults: results });
      outbound.push(receipt);
      receiptMessageId = receipt.messageId;
    }
    return {
      partner,
      messageId: envelope.messageId,
      environment: envelope.environment,
      messageType: envelope.messageType,
      receivedAt: now,
      bodySha256: item.sha256,
      outcome: 'ACCEPTED',
      receiptMessageId,
    };
  }

  /** The same message again (a redelivery, or a partner that did not get our receipt): answer with the original receipt. */
  private async duplicate(
    manager: EntityManager,
    adapter: PartnerAdapter,
    item: Extract<Prepared, { kind: 'accepted' }>,
    previous: InboundMessageRow,
    resendReceipt: boolean,
    events: AuditEvent[],
  ): Promise<DeliveryDecision> {
    // A receipt queued in this very batch is already on its way; an older one is sent again.
    if (previous.receiptMessageId && resendReceipt) {
      await this.deps.outbox.requeue(manager, previous.receiptMessageId, 'exchange', 'DUPLICATE_MESSAGE');
    }
    events.push({
      type: 'MESSAGE_DUPLICATE',
      direction: 'IN',
      partner: adapter.profile.partner,
      messageId: item.message.envelope.messageId,
      outcome: 'DUPLICATE_MESSAGE',
      actor: adapter.profile.partner,
      keyId: item.verified.keyId,
      details: { sha256: item.sha256, originalReceipt: previous.receiptMessageId },
    });
    return { action: 'ack' };
  }

  private async reject(adapter: PartnerAdapter, item: Extract<Prepared, { kind: 'rejected' }>, outbound: NewOutboundMessage[], events: AuditEvent[]): Promise<DeliveryDecision> {
    const partner = adapter.profile.partner;
    const claimedId = claimedMessageId(item.delivery);
    const negative = await this.receipt(adapter, undefined, item.sha256, {
      outcome: 'REJECTED',
      reasonCode: item.error.code,
      reasonText: item.error.message.slice(0, 1000),
      recordResults: [],
      receivedMessageId: claimedId,
    });
    outbound.push(negative);
    events.push({
      type: 'MESSAGE_REJECTED',
      direction: 'IN',
      partner,
      messageId: claimedId,
      outcome: item.error.code,
      actor: partner,
      payload: item.delivery.body,
      details: { reason: item.error.message, path: item.error.path ?? null, sha256: item.sha256, negativeReceipt: negative.messageId },
    });
    return { action: 'dead-letter', reason: item.error.code, detail: item.error.message.slice(0, 200) };
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
    const candidates = await homeRegister.list(manager, environment);
    const wanted = body.aeoId.trim().toUpperCase();
    const hit = candidates.find(({ record }) => record.consent.granted && (record.aeoIdNormalized.toUpperCase() === wanted || record.aeoId.toUpperCase() === wanted));
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

function aeoIdsOf(records: readonly AeoRecord[], message: CanonicalMessage): string | null {
  if (records.length > 0) return auditAeoId(records.map((r) => r.aeoIdNormalized));
  const body = message.body as { aeoId?: string };
  return typeof body.aeoId === 'string' ? body.aeoId.slice(0, 64) : null;
}
