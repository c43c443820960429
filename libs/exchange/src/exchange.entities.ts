import { SnapshotChunkEntity } from './snapshot-reconciliation.js';
import { JobLeaseEntity } from './job-lease.js';
import { EntitySchema } from 'typeorm';
import type { OutboundState } from '@aeo/domain';

const millis = { to: (v: number | null) => v, from: (v: string | number | null) => (v === null ? null : Number(v)) };

/** A message we send, from the moment it is committed with the change that caused it (the outbox). */
export interface OutboundMessageRow {
  messageId: string;
  environment: string;
  partner: string;
  messageType: string;
  routingKey: string;
  correlationId: string | null;
  /** The exact bytes published: a compact JWS, or a compact JWE around it (ASCII, so stored as text). */
  body: string;
  /** SHA-256 of `body`, hex; the partner's receipt must echo it. */
  bodySha256: string;
  state: OutboundState;
  attempts: number;
  createdAt: number;
  updatedAt: number;
  nextAttemptAt: number;
  /** Another instance's relay holds the row until then (multi-instance safety). */
  leaseUntil: number;
  /** Receipts we send are not themselves acknowledged, so they never expire. */
  expectsReceipt: boolean;
  sentAt: number | null;
  receiptDueAt: number | null;
  settledAt: number | null;
  receiptMessageId: string | null;
  reasonCode: string | null;
  aeoIds: string | null;
}

export const OutboundMessageEntity = new EntitySchema<OutboundMessageRow>({
  name: 'OutboundMessage',
  tableName: 'outbound_message',
  columns: {
    messageId: { name: 'message_id', type: String, length: 36, primary: true },
    environment: { type: String, length: 16 },
    partner: { type: String, length: 16 },
    messageType: { name: 'message_type', type: String, length: 32 },
    routingKey: { name: 'routing_key', type: String, length: 64 },
    correlationId: { name: 'correlation_id', type: String, length: 36, nullable: true },
    body: { type: 'text' },
    bodySha256: { name: 'body_sha256', type: String, length: 64 },
    state: { type: String, length: 16 },
    attempts: { type: 'integer' },
    createdAt: { name: 'created_at', type: 'bigint', transformer: millis },
    updatedAt: { name: 'updated_at', type: 'bigint', transformer: millis },
    nextAttemptAt: { name: 'next_attempt_at', type: 'bigint', transformer: millis },
    leaseUntil: { name: 'lease_until', type: 'bigint', transformer: millis },
    expectsReceipt: { name: 'expects_receipt', type: Boolean },
    sentAt: { name: 'sent_at', type: 'bigint', nullable: true, transformer: millis },
    receiptDueAt: { name: 'receipt_due_at', type: 'bigint', nullable: true, transformer: millis },
    settledAt: { name: 'settled_at', type: 'bigint', nullable: true, transformer: millis },
    receiptMessageId: { name: 'receipt_message_id', type: String, length: 36, nullable: true },
    reasonCode: { name: 'reason_code', type: String, length: 64, nullable: true },
    aeoIds: { name: 'aeo_ids', type: 'text', nullable: true },
  },
  indices: [
    { name: 'ix_outbound_due', columns: ['state', 'nextAttemptAt'] },
    { name: 'ix_outbound_partner_state', columns: ['partner', 'state'] },
  ],
});

/** A partner message we accepted: the idempotency key (partner, message id) and our receipt. */
export interface InboundMessageRow {
  partner: string;
  messageId: string;
  environment: string;
  messageType: string;
  receivedAt: number;
  bodySha256: string;
  outcome: string;
  receiptMessageId: string | null;
}

export const InboundMessageEntity = new EntitySchema<InboundMessageRow>({
  name: 'InboundMessage',
  tableName: 'inbound_message',
  columns: {
    partner: { type: String, length: 16, primary: true },
    messageId: { name: 'message_id', type: String, length: 36, primary: true },
    environment: { type: String, length: 16 },
    messageType: { name: 'message_type', type: String, length: 32 },
    receivedAt: { name: 'received_at', type: 'bigint', transformer: millis },
    bodySha256: { name: 'body_sha256', type: String, length: 64 },
    outcome: { type: String, length: 24 },
    receiptMessageId: { name: 'receipt_message_id', type: String, length: 36, nullable: true },
  },
});

export const EXCHANGE_ENTITIES = [OutboundMessageEntity, InboundMessageEntity, JobLeaseEntity, SnapshotChunkEntity];
