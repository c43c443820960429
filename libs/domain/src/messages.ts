import type { AeoRecord } from './aeo-record.js';
import type { Programme } from './programme.js';
import type { SupplyChainRole } from './supply-chain-role.js';

export const MESSAGE_TYPES = [
  'AEO_SNAPSHOT',
  'AEO_STATUS_DELTA',
  'AEO_LOOKUP_REQUEST',
  'AEO_LOOKUP_RESPONSE',
  'RECEIPT',
  'IRREGULARITY_NOTICE',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const ENVIRONMENTS = ['production', 'pilot'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const SCHEMA_VERSION = '1.0';

/** Shared by every message. `messageId` is a UUID chosen by the sender and never reused. */
export interface Envelope<T extends MessageType = MessageType> {
  readonly messageId: string;
  readonly correlationId?: string;
  readonly sender: Programme;
  readonly recipient: Programme;
  readonly createdAt: string;
  readonly messageType: T;
  readonly schemaVersion: string;
  readonly environment: Environment;
}

/** A full list of one programme's AEOs, split into numbered chunks (1-based) of one snapshot. */
export interface SnapshotBody {
  readonly snapshotId: string;
  readonly programme: Programme;
  readonly asOf: string;
  readonly chunkIndex: number;
  readonly chunkCount: number;
  readonly records: readonly AeoRecord[];
}

/** Changes since the previous delta; each record carries its new recordVersion. */
export interface StatusDeltaBody {
  readonly programme: Programme;
  readonly records: readonly AeoRecord[];
}

export interface LookupRequestBody {
  readonly aeoId: string;
  readonly declarationRef?: string;
  readonly role?: SupplyChainRole;
}

export interface LookupResponseBody {
  readonly requestMessageId: string;
  readonly found: boolean;
  readonly record?: AeoRecord;
}

export const RECEIPT_OUTCOMES = ['ACCEPTED', 'PARTIALLY_ACCEPTED', 'REJECTED'] as const;
export type ReceiptOutcome = (typeof RECEIPT_OUTCOMES)[number];

export const RECORD_OUTCOMES = ['APPLIED', 'IGNORED_OLDER_VERSION', 'REJECTED'] as const;
export type RecordOutcome = (typeof RECORD_OUTCOMES)[number];

export interface RecordResult {
  readonly aeoId: string;
  readonly outcome: RecordOutcome;
  readonly reasonCode?: string;
}

/** Answers one received message; binds its id and the SHA-256 of the exact bytes received. */
export interface ReceiptBody {
  readonly receivedMessageId: string;
  readonly receivedSha256: string;
  readonly outcome: ReceiptOutcome;
  readonly reasonCode?: string;
  readonly reasonText?: string;
  readonly recordResults: readonly RecordResult[];
}

/** The "inform the other side of irregularities" duty of an MRA, about one of its AEOs. */
export interface IrregularityNoticeBody {
  readonly aeoId: string;
  readonly reference: string;
  readonly observedOn: string;
  readonly description: string;
}

export interface MessageBodies {
  AEO_SNAPSHOT: SnapshotBody;
  AEO_STATUS_DELTA: StatusDeltaBody;
  AEO_LOOKUP_REQUEST: LookupRequestBody;
  AEO_LOOKUP_RESPONSE: LookupResponseBody;
  RECEIPT: ReceiptBody;
  IRREGULARITY_NOTICE: IrregularityNoticeBody;
}

export type CanonicalMessageOf<T extends MessageType> = {
  readonly envelope: Envelope<T>;
  readonly body: MessageBodies[T];
};

export type CanonicalMessage = { [T in MessageType]: CanonicalMessageOf<T> }[MessageType];

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && (MESSAGE_TYPES as readonly string[]).includes(value);
}

/** The records a message carries, whatever its type (for validation and mapping reports). */
export function recordsOf(message: CanonicalMessage): readonly AeoRecord[] {
  switch (message.envelope.messageType) {
    case 'AEO_SNAPSHOT':
    case 'AEO_STATUS_DELTA':
      return (message.body as SnapshotBody | StatusDeltaBody).records;
    case 'AEO_LOOKUP_RESPONSE': {
      const record = (message.body as LookupResponseBody).record;
      return record ? [record] : [];
    }
    default:
      return [];
  }
}
