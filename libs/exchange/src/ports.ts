import type { Envelope } from '@aeo/domain';
import type { PartnerProfile } from '@aeo/partners';
import type { EntityManager } from 'typeorm';

/** Signs (and, where the partner's profile asks, encrypts) the exact partner-format bytes. */
export interface MessageSealer {
  seal(input: { profile: PartnerProfile; payload: Uint8Array; envelope: Envelope }): Promise<string>;
}

/** What verification established about a message, for the audit log and the receipt. */
export interface VerifiedMessage {
  readonly payload: Uint8Array;
  readonly keyId: string;
  readonly algorithm: string;
  readonly messageId: string;
  readonly messageType: string;
  readonly encrypted: boolean;
}

/** Decrypts and verifies a partner's token; throws GatewayError with the reason code on any failure. */
export interface MessageOpener {
  open(input: { profile: PartnerProfile; token: Uint8Array }): Promise<VerifiedMessage>;
}

/** One audit event; the audit library chains and stores it. */
export interface AuditEvent {
  readonly type: string;
  readonly direction: 'IN' | 'OUT' | 'INTERNAL';
  readonly partner: string | null;
  readonly messageId: string | null;
  readonly correlationId?: string | null;
  readonly aeoId?: string | null;
  readonly outcome: string;
  readonly actor: string;
  readonly keyId?: string | null;
  /** Exact bytes to keep (message in or out); stored once by SHA-256. */
  readonly payload?: Uint8Array | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Appends audit events inside the caller's transaction, so they commit with the change they record. */
export interface AuditSink {
  append(manager: EntityManager, events: readonly AuditEvent[]): Promise<void>;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * The audit entry's searchable AEO id: the id when a message concerns exactly one AEO. A
 * message about many lists them in its details instead (the column holds one id).
 */
export function auditAeoId(aeoIds: readonly string[]): string | null {
  return aeoIds.length === 1 ? aeoIds[0] : null;
}

/** Which of our messages an outbound observation concerns (for logs), and how long it waited in the outbox. */
export interface OutboundMessageDetail {
  readonly messageId: string;
  readonly correlationId: string | null;
  readonly sinceQueuedMs: number;
}

/** Told what happened, after it committed: the seam for metrics. Every method is optional. */
export interface ExchangeObserver {
  messageIn?(partner: string, messageType: string, outcome: string): void;
  /** `detail.sinceQueuedMs`: from the commit that queued the message (e.g. a register change) to this publish outcome. */
  messageOut?(partner: string, messageType: string, outcome: string, detail?: OutboundMessageDetail): void;
  /** A receipt settled one of our messages, `latencyMs` after we published it. */
  receiptSettled?(partner: string, outcome: string, latencyMs: number): void;
  /** A partner's message was applied `latencyMs` after the partner created it (clock skew included). */
  endToEnd?(partner: string, messageType: string, latencyMs: number): void;
}
