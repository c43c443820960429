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

/**
 * `next_attempt_at` of a row that is in the outbox but must not go out yet: the chunks of a
 * snapshot being queued in several transactions, released together by `release` once the
 * last one is in. Never due, so the relay never claims it.
 */
export const HELD_UNTIL_RELEASED = Number.MAX_SAFE_INTEGER;

/** Rows per IN (…) list: far below both databases' parameter limits, and the relay's default round. */
const IN_LIST_SIZE = 500;

export interface EnqueueOptions {
  /** Audit events of the same change (REGISTER_CHANGE, …), appended before the MESSAGE_QUEUED entries in the same call. */
  readonly events?: readonly AuditEvent[];
  /** Store the rows held (see HELD_UNTIL_RELEASED) instead of due now. */
  readonly held?: boolean;
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

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

  /**
   * Insert messages and append their MESSAGE_QUEUED entries (after `options.events`) in ONE
   * audit append: on PostgreSQL each append takes the chain's advisory lock and reads its head,
   * so one call per transaction instead of two saves two round trips per change.
   */
  async enqueue(manager: EntityManager, messages: readonly NewOutboundMessage[], actor: string, options: EnqueueOptions = {}): Promise<void> {
    const leading = options.events ?? [];
    if (messages.length === 0) {
      if (leading.length > 0) await this.audit.append(manager, leading);
      return;
    }
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
      nextAttemptAt: options.held ? HELD_UNTIL_RELEASED : now,
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
    await this.audit.append(manager, [
      ...leading,
      ...rows.map((row): AuditEvent => ({
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
    ]);
  }

  /** Make held rows due now; returns how many were released (rows no longer held are left alone). */
  async release(manager: EntityManager, messageIds: readonly string[]): Promise<number> {
    const now = this.clock.now();
    let released = 0;
    for (const ids of chunked(messageIds, IN_LIST_SIZE)) {
      const result = await manager
        .createQueryBuilder()
        .update(OutboundMessageEntity)
        .set({ nextAttemptAt: now, updatedAt: now })
        .where('message_id IN (:...ids) AND state = :state AND next_attempt_at = :held', { ids, state: 'QUEUED', held: HELD_UNTIL_RELEASED })
        .execute();
      released += result.affected ?? 0;
    }
    return released;
  }

  /**
   * Held rows of one partner created before `createdBefore`: what a snapshot that died between
   * its chunk transactions left behind. They never went out; they are removed and the removal
   * audited, so the outbox does not show them as on their way.
   */
  async discardHeld(manager: EntityManager, partner: string, createdBefore: number, actor: string): Promise<string[]> {
    const rows = await manager
      .getRepository(OutboundMessageEntity)
      .createQueryBuilder('o')
      .select(['o.messageId', 'o.messageType'])
      .where('o.partner = :partner AND o.state = :state AND o.nextAttemptAt = :held AND o.createdAt < :before', {
        partner,
        state: 'QUEUED',
        held: HELD_UNTIL_RELEASED,
        before: createdBefore,
      })
      .getMany();
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.messageId);
    for (const chunk of chunked(ids, IN_LIST_SIZE)) {
      await manager
        .createQueryBuilder()
        .delete()
        .from(OutboundMessageEntity)
        .where('message_id IN (:...ids) AND state = :state AND next_attempt_at = :held', { ids: chunk, state: 'QUEUED', held: HELD_UNTIL_RELEASED })
        .execute();
    }
    await this.audit.append(manager, [
      { type: 'SNAPSHOT_ABANDONED', direction: 'OUT', partner, messageId: null, outcome: 'DISCARDED', actor, details: { messageIds: ids } },
    ]);
    return ids;
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

  /**
   * After a publish round: SENT on confirm, RETRYING (or DEAD_LETTERED) otherwise.
   * Confirmed rows move set-based: one conditional UPDATE … WHERE message_id IN (…) AND
   * state = <the state it was claimed in> RETURNING message_id per group of rows that get the
   * same values (claimed state × receipt deadline: a handful per round), instead of a SELECT
   * and an UPDATE per message. A row a receipt settled meanwhile is simply not returned, and
   * nothing is recorded for it, as before. Failed publishes (a broker outage, rare) keep one
   * conditional UPDATE per row, because each gets its own backoff jitter.
   */
  async recordPublishOutcomes(dataSource: DataSource, results: readonly { row: OutboundMessageRow; ok: boolean; error?: string }[]): Promise<void> {
    if (results.length === 0) return;
    await dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const events: AuditEvent[] = [];
      const confirmed = new Map<string, { from: OutboundState; due: number | null; rows: OutboundMessageRow[] }>();
      for (const { row, ok } of results) {
        if (!ok) continue;
        assertTransition(row.state, 'SENT');
        const due = row.expectsReceipt ? now + this.policy.receiptSlaMs(row.partner) : null;
        const key = `${row.state}:${due}`;
        const group = confirmed.get(key) ?? { from: row.state, due, rows: [] };
        group.rows.push(row);
        confirmed.set(key, group);
      }
      for (const { from, due, rows } of confirmed.values()) {
        const moved = await this.markSent(manager, from, due, now, rows.map((r) => r.messageId));
        for (const row of rows) if (moved.has(row.messageId)) events.push(this.stateEvent(row, 'SENT', 'relay'));
      }
      for (const { row, ok, error } of results) {
        if (ok) continue;
        const attempts = row.attempts + 1;
        // A receipt may have settled the message while it was being published: then there is nothing to record.
        const current = await manager.getRepository(OutboundMessageEntity).findOneBy({ messageId: row.messageId });
        if (!current || current.state !== row.state) continue;
        if (attempts >= this.policy.maxPublishAttempts && row.state === 'RETRYING') {
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
    const observedAt = this.clock.now();
    for (const { row, ok } of results) {
      this.observer.messageOut?.(row.partner, row.messageType, ok ? 'SENT' : 'PUBLISH_FAILED', { messageId: row.messageId, correlationId: row.correlationId, sinceQueuedMs: observedAt - row.createdAt });
    }
  }

  /**
   * A partner's receipt for one of our messages: bind it by id and by the hash of what we sent.
   * `deferred`: when given, the audit events are added to it instead of appended here, so an
   * inbound batch appends them with the rest of its entries at its end. Every transaction then
   * takes its row locks before the audit chain lock, as the relay does, and the two cannot
   * deadlock on PostgreSQL.
   */
  async applyReceipt(manager: EntityManager, partner: string, receipt: ReceiptBody, receiptMessageId: string, deferred?: AuditEvent[]): Promise<OutboundState> {
    // Lock the row (PostgreSQL): the relay may be committing this message's QUEUED→SENT right
    // now. Reading it unlocked would see QUEUED, then the guarded UPDATE below would find SENT
    // and refuse a valid receipt. FOR UPDATE waits for the relay and reads the state it left.
    // SQLite runs one transaction at a time (libs/persistence), so there is nothing to lock.
    const row = await manager.getRepository(OutboundMessageEntity).findOne({
      where: { messageId: receipt.receivedMessageId, partner },
      ...(manager.connection.options.type === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
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
      await this.audited(manager, [this.stateEvent(row, row.state, partner, { receiptMessageId, ignored: 'already settled' })], deferred);
      return row.state;
    }
    await this.move(manager, row, target, { settledAt: this.clock.now(), receiptMessageId, reasonCode: receipt.reasonCode ?? null, leaseUntil: 0 });
    await this.audited(manager, [this.stateEvent(row, target, partner, { receiptMessageId, reasonCode: receipt.reasonCode })], deferred);
    if (row.sentAt !== null) this.observer.receiptSettled?.(partner, target, this.clock.now() - row.sentAt);
    return target;
  }

  /** SENT messages whose receipt is overdue become EXPIRED (a late receipt still settles them). */
  async expireOverdue(dataSource: DataSource): Promise<number> {
    return dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      // On PostgreSQL, skip rows a receipt is settling right now (it wins; a late receipt would
      // settle an EXPIRED message anyway) instead of failing the whole round on them.
      const overdue = await manager.getRepository(OutboundMessageEntity).find({
        where: { state: 'SENT', receiptDueAt: LessThanOrEqual(now) },
        take: 1_000,
        ...(manager.connection.options.type === 'postgres' ? { lock: { mode: 'pessimistic_write' as const, onLocked: 'skip_locked' as const } } : {}),
      });
      const expiring = overdue.filter((row) => row.expectsReceipt);
      for (const row of expiring) await this.move(manager, row, 'EXPIRED', { reasonCode: 'RECEIPT_SLA_EXCEEDED' });
      await this.audit.append(manager, expiring.map((row) => this.stateEvent(row, 'EXPIRED', 'expiry-job')));
      return expiring.length;
    });
  }

  /** Send a message again (operator replay, or a partner asking again for our receipt). */
  async requeue(manager: EntityManager, messageId: string, actor: string, reason: string, deferred?: AuditEvent[]): Promise<void> {
    const row = await manager.getRepository(OutboundMessageEntity).findOneBy({ messageId });
    if (!row) throw new GatewayError('UNKNOWN_MESSAGE_REFERENCE', `no outbound message ${messageId}`);
    // Already on its way: nothing to do.
    if (row.state === 'QUEUED' || row.state === 'RETRYING') return;
    await this.move(manager, row, 'QUEUED', { nextAttemptAt: this.clock.now(), leaseUntil: 0, reasonCode: null });
    await this.audited(manager, [this.stateEvent(row, 'QUEUED', actor, { reason })], deferred);
  }

  /** Append now, or leave to the caller's batch (see applyReceipt). */
  private async audited(manager: EntityManager, events: readonly AuditEvent[], deferred: AuditEvent[] | undefined): Promise<void> {
    if (deferred) deferred.push(...events);
    else await this.audit.append(manager, events);
  }

  /**
   * QUEUED/RETRYING → SENT for many rows in one statement; the ids it actually moved. Both
   * databases return them (RETURNING: PostgreSQL, and SQLite ≥ 3.35 as bundled by
   * better-sqlite3); `attempts + 1` is the same as the claimed row's attempts + 1, because
   * only the relay holding the lease changes attempts, and only in this state.
   */
  private async markSent(manager: EntityManager, from: OutboundState, due: number | null, now: number, messageIds: readonly string[]): Promise<Set<string>> {
    const postgres = manager.connection.options.type === 'postgres';
    const table = manager.connection.getMetadata(OutboundMessageEntity).tableName;
    const moved = new Set<string>();
    for (const ids of chunked(messageIds, IN_LIST_SIZE)) {
      const params: unknown[] = ['SENT', now, due, now, from, ...ids];
      const p = (i: number) => (postgres ? `$${i}` : '?');
      const list = ids.map((_, i) => p(6 + i)).join(', ');
      const sql =
        `UPDATE "${table}" SET "state" = ${p(1)}, "attempts" = "attempts" + 1, "sent_at" = ${p(2)}, "receipt_due_at" = ${p(3)}, ` +
        `"lease_until" = 0, "updated_at" = ${p(4)} WHERE "state" = ${p(5)} AND "message_id" IN (${list}) RETURNING "message_id"`;
      const result = (await manager.query(sql, params)) as unknown;
      // TypeORM's PostgreSQL driver answers an UPDATE with [rows, rowCount]; better-sqlite3 with the rows.
      const rows = (postgres ? (result as [{ message_id: string }[], number])[0] : result) as { message_id: string }[];
      for (const row of rows) moved.add(row.message_id);
    }
    return moved;
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
