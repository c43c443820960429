import { createHash, randomInt } from 'node:crypto';
import { GatewayError, assertTransition, type OutboundState, type ReceiptBody } from '@aeo/domain';
import { In, LessThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import { OutboundMessageEntity, type OutboundMessageRow } from './exchange.entities.js';
import { auditAeoId, type AuditEvent, type AuditSink, type Clock, type ExchangeObserver } from './ports.js';

export interface NewOutboundMessage {
  readonly messageId: string;
  readonly environment: string;
  readonly partner: string;
  readonly messageType: string;
  readonly routingKey: string;
  readonly correlationId?: string;
  /** The sealed token (compact JWS or JWE). */
  readonly body: string;
  readonly aeoIds?: readonly string[];
  /** Receipts are not themselves acknowledged, so they never expire. */
  readonly expectsReceipt: boolean;
}

export interface OutboxPolicy {
  /** How long a partner has to send its receipt before the message is EXPIRED. */
  receiptSlaMs(partner: string): number;
  /** Failed publishes before a message is DEAD_LETTERED. */
  readonly maxPublishAttempts: number;
  /** Backoff before publish attempt n+1 (n ≥ 1), before jitter. */
  readonly publishBackoffMs: (attempt: number) => number;
}

export const DEFAULT_OUTBOX_POLICY: OutboxPolicy = {
  receiptSlaMs: () => 15 * 60_000,
  maxPublishAttempts: 50,
  publishBackoffMs: (attempt) => Math.min(1_000 * 2 ** (attempt - 1), 300_000),
};

const DUE_STATES: OutboundState[] = ['QUEUED', 'RETRYING'];

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The outbox: messages committed with the change that caused them, then moved through their
 * states by the relay, receipts and the expiry job. Every state change is a conditional
 * UPDATE on the state the change was decided from, so two instances (or a late receipt
 * racing the expiry job) cannot both win; every one is audited in the same transaction.
 */
export class OutboxStore {
  constructor(
    private readonly audit: AuditSink,
    private readonly clock: Clock,
    private readonly policy: OutboxPolicy = DEFAULT_OUTBOX_POLICY,
    private readonly observer: ExchangeObserver = {},
  ) {}

  async enqueue(manager: EntityManager, messages: readonly NewOutboundMessage[], actor: string): Promise<void> {
    if (messages.length === 0) return;
    const now = this.clock.now();
    const rows: OutboundMessageRow[] = messages.map((m) => ({
      messageId: m.messageId,
      environment: m.environment,
      partner: m.partner,
      messageType: m.messageType,
      routingKey: m.routingKey,
      correlationId: m.correlationId ?? null,
      body: m.body,
      bodySha256: sha256Hex(m.body),
      state: 'QUEUED',
      attempts: 0,
      createdAt: now,
      updatedAt: now,
      nextAttemptAt: now,
      leaseUntil: 0,
      expectsReceipt: m.expectsReceipt,
      sentAt: null,
      receiptDueAt: null,
      settledAt: null,
      receiptMessageId: null,
      reasonCode: null,
      aeoIds: m.aeoIds && m.aeoIds.length > 0 ? m.aeoIds.join(',') : null,
    }));
    for (let i = 0; i < rows.length; i += 200) {
      await manager.createQueryBuilder().insert().into(OutboundMessageEntity).values(rows.slice(i, i + 200)).execute();
    }
    await this.audit.append(
      manager,
      rows.map((row) => ({
        type: 'MESSAGE_QUEUED',
        direction: 'OUT',
        partner: row.partner,
        messageId: row.messageId,
        correlationId: row.correlationId,
        aeoId: auditAeoId(row.aeoIds?.split(',') ?? []),
        outcome: 'QUEUED',
        actor,
        payload: Buffer.from(row.body, 'ascii'),
        details: { messageType: row.messageType, routingKey: row.routingKey, environment: row.environment, aeoIds: row.aeoIds?.split(',').slice(0, 50) ?? [] },
      })),
    );
  }

  /**
   * Take up to `limit` due messages for this relay and lease them for `leaseMs`, so other
   * instances skip them. PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite has one writer anyway.
   */
  async claimDue(dataSource: DataSource, limit: number, leaseMs: number): Promise<OutboundMessageRow[]> {
    return dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      let query = manager
        .getRepository(OutboundMessageEntity)
        .createQueryBuilder('o')
        .where('o.state IN (:...states)', { states: DUE_STATES })
        .andWhere('o.nextAttemptAt <= :now', { now })
        .andWhere('o.leaseUntil <= :now', { now })
        .orderBy('o.createdAt', 'ASC')
        .limit(limit);
      if (dataSource.options.type === 'postgres') query = query.setLock('pessimistic_write').setOnLocked('skip_locked');
      const rows = await query.getMany();
      if (rows.length === 0) return [];
      await manager.update(OutboundMessageEntity, { messageId: In(rows.map((r) => r.messageId)) }, { leaseUntil: now + leaseMs });
      return rows;
    });
  }

  /** After a publish round: SENT on confirm, RETRYING (or DEAD_LETTERED) otherwise. */
  async recordPublishOutcomes(dataSource: DataSource, results: readonly { row: OutboundMessageRow; ok: boolean; error?: string }[]): Promise<void> {
    if (results.length === 0) return;
    await dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const events: AuditEvent[] = [];
      for (const { row, ok, error } of results) {
        const attempts = row.attempts + 1;
        // A receipt may have settled the message while it was being published: then there is nothing to record.
        const current = await manager.getRepository(OutboundMessageEntity).findOneBy({ messageId: row.messageId });
        if (!current || current.state !== row.state) continue;
        if (ok) {
          const due = row.expectsReceipt ? now + this.policy.receiptSlaMs(row.partner) : null;
          await this.move(manager, row, 'SENT', { attempts, sentAt: now, receiptDueAt: due, leaseUntil: 0 });
          events.push(this.stateEvent(row, 'SENT', 'relay'));
        } else if (attempts >= this.policy.maxPublishAttempts && row.state === 'RETRYING') {
          await this.move(manager, row, 'DEAD_LETTERED', { attempts, leaseUntil: 0, reasonCode: 'PUBLISH_FAILED' });
          events.push(this.stateEvent(row, 'DEAD_LETTERED', 'relay', { error }));
        } else {
          const backoff = this.policy.publishBackoffMs(attempts);
          const jitter = randomInt(Math.max(1, Math.floor(backoff / 5)));
          await this.move(manager, row, 'RETRYING', { attempts, nextAttemptAt: now + backoff + jitter, leaseUntil: 0, reasonCode: 'PUBLISH_FAILED' });
          events.push(this.stateEvent(row, 'RETRYING', 'relay', { error, attempts }));
        }
      }
      await this.audit.append(manager, events);
    });
    for (const { row, ok } of results) this.observer.messageOut?.(row.partner, row.messageType, ok ? 'SENT' : 'PUBLISH_FAILED');
  }

  /** A partner's receipt for one of our messages: bind it by id and by the hash of what we sent. */
  async applyReceipt(manager: EntityManager, partner: string, receipt: ReceiptBody, receiptMessageId: string): Promise<OutboundState> {
    const row = await manager.getRepository(OutboundMessageEntity).findOneBy({ messageId: receipt.receivedMessageId, partner });
    if (!row) {
      throw new GatewayError('UNKNOWN_MESSAGE_REFERENCE', `no message ${receipt.receivedMessageId} was sent to ${partner}`, '/body/receivedMessageId');
    }
    if (row.bodySha256 !== receipt.receivedSha256) {
      throw new GatewayError('RECEIPT_HASH_MISMATCH', 'the receipt names a hash other than that of the bytes we sent', '/body/receivedSha256');
    }
    const target: OutboundState = receipt.outcome === 'REJECTED' ? 'REJECTED' : 'ACKNOWLEDGED';
    if (row.state === target && row.receiptMessageId === receiptMessageId) return target;
    // Already settled by another receipt: the first one stands, this one is only recorded.
    if (row.state === 'ACKNOWLEDGED' || (row.state === 'REJECTED' && target === 'REJECTED')) {
      await this.audit.append(manager, [this.stateEvent(row, row.state, partner, { receiptMessageId, ignored: 'already settled' })]);
      return row.state;
    }
    await this.move(manager, row, target, { settledAt: this.clock.now(), receiptMessageId, reasonCode: receipt.reasonCode ?? null, leaseUntil: 0 });
    await this.audit.append(manager, [this.stateEvent(row, target, partner, { receiptMessageId, reasonCode: receipt.reasonCode })]);
    if (row.sentAt !== null) this.observer.receiptSettled?.(partner, target, this.clock.now() - row.sentAt);
    return target;
  }

  /** SENT messages whose receipt is overdue become EXPIRED (a late receipt still settles them). */
  async expireOverdue(dataSource: DataSource): Promise<number> {
    return dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const overdue = await manager.getRepository(OutboundMessageEntity).find({
        where: { state: 'SENT', receiptDueAt: LessThanOrEqual(now) },
        take: 1_000,
      });
      const expiring = overdue.filter((row) => row.expectsReceipt);
      for (const row of expiring) await this.move(manager, row, 'EXPIRED', { reasonCode: 'RECEIPT_SLA_EXCEEDED' });
      await this.audit.append(manager, expiring.map((row) => this.stateEvent(row, 'EXPIRED', 'expiry-job')));
      return expiring.length;
    });
  }

  /** Send a message again (operator replay, or a partner asking again for our receipt). */
  async requeue(manager: EntityManager, messageId: string, actor: string, reason: string): Promise<void> {
    const row = await manager.getRepository(OutboundMessageEntity).findOneBy({ messageId });
    if (!row) throw new GatewayError('UNKNOWN_MESSAGE_REFERENCE', `no outbound message ${messageId}`);
    // Already on its way: nothing to do.
    if (row.state === 'QUEUED' || row.state === 'RETRYING') return;
    await this.move(manager, row, 'QUEUED', { nextAttemptAt: this.clock.now(), leaseUntil: 0, reasonCode: null });
    await this.audit.append(manager, [this.stateEvent(row, 'QUEUED', actor, { reason })]);
  }

  private async move(manager: EntityManager, row: OutboundMessageRow, to: OutboundState, patch: Partial<OutboundMessageRow>): Promise<void> {
    assertTransition(row.state, to);
    const result = await manager
      .createQueryBuilder()
      .update(OutboundMessageEntity)
      .set({ ...patch, state: to, updatedAt: this.clock.now() })
      .where('message_id = :id AND state = :from', { id: row.messageId, from: row.state })
      .execute();
    if (result.affected !== 1) {
      throw new GatewayError('ILLEGAL_STATE_TRANSITION', `message ${row.messageId} left state ${row.state} before this change to ${to}`);
    }
  }

  private stateEvent(row: OutboundMessageRow, to: OutboundState, actor: string, details: Record<string, unknown> = {}): AuditEvent {
    return {
      type: 'STATE_CHANGE',
      direction: 'OUT',
      partner: row.partner,
      messageId: row.messageId,
      correlationId: row.correlationId,
      aeoId: auditAeoId(row.aeoIds?.split(',') ?? []),
      outcome: to,
      actor,
      details: { from: row.state, to, messageType: row.messageType, ...details },
    };
  }
}
