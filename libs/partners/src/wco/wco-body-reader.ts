import type { XmlElement } from '@aeo/codecs';
import {
  RECEIPT_OUTCOMES,
  type IrregularityNoticeBody,
  type LookupRequestBody,
  type LookupResponseBody,
  type MessageBodies,
  type MessageType,
  type ReceiptBody,
  type RecordResult,
  type SnapshotBody,
  type StatusDeltaBody,
} from '@aeo/domain';
import { compact } from '../common/decoded-message.js';
import type { WcoContext } from './wco-context.js';
import { readDeclaredParty, readParty } from './wco-party-reader.js';
import {
  readAeoPartyId,
  readCode,
  readDate,
  readIndicator,
  readInstant,
  readInteger,
  readOptionalText,
  readProgramme,
  readText,
} from './wco-values.js';
import { PARTY, RECORD_RESULT_CHILDREN } from './wco-vocabulary.js';

const RECORD_OUTCOMES = [
  'APPLIED',
  'IGNORED_OLDER_VERSION',
  'REJECTED',
] as const satisfies readonly RecordResult['outcome'][];

type BodyReader<T extends MessageType> = (root: XmlElement, context: WcoContext) => MessageBodies[T];

/** The canonical body of each message type, read from the root element's children after the Header. */
const BODY_READERS: { readonly [T in MessageType]: BodyReader<T> } = {
  AEO_SNAPSHOT: (root, context): SnapshotBody => ({
    snapshotId: readText(root, 'SnapshotID'),
    programme: readProgramme(root, 'ProgrammeCode'),
    asOf: readInstant(root, 'AsOfDateTime'),
    chunkIndex: readInteger(root, 'ChunkSequenceNumber'),
    chunkCount: readInteger(root, 'ChunkCount'),
    records: root.all(PARTY).map((party) => readParty(party, context)),
  }),

  AEO_STATUS_DELTA: (root, context): StatusDeltaBody => ({
    programme: readProgramme(root, 'ProgrammeCode'),
    records: root.all(PARTY).map((party) => readParty(party, context)),
  }),

  AEO_LOOKUP_REQUEST: (root, context): LookupRequestBody => {
    const { aeoId, role } = readDeclaredParty(root.required(PARTY), context);
    return compact({ aeoId, declarationRef: readOptionalText(root, 'DeclarationReferenceID'), role });
  },

  AEO_LOOKUP_RESPONSE: (root, context): LookupResponseBody => {
    const party = root.optional(PARTY);
    return compact({
      requestMessageId: readText(root, 'RequestMessageID'),
      found: readIndicator(root, 'FoundIndicator'),
      record: party ? readParty(party, context) : undefined,
    });
  },

  RECEIPT: (root): ReceiptBody =>
    compact({
      receivedMessageId: readText(root, 'ReceivedMessageID'),
      receivedSha256: readText(root, 'ReceivedMessageSHA256'),
      outcome: readCode(root, 'OutcomeCode', RECEIPT_OUTCOMES, 'INVALID_VALUE'),
      reasonCode: readOptionalText(root, 'ReasonCode'),
      reasonText: readOptionalText(root, 'ReasonText'),
      recordResults: root.all('RecordResult').map(readRecordResult),
    }),

  IRREGULARITY_NOTICE: (root): IrregularityNoticeBody => ({
    aeoId: readAeoPartyId(root, 'AEOMutualRecognitionPartyID'),
    reference: readText(root, 'ReferenceID'),
    observedOn: readDate(root, 'ObservationDate'),
    description: readText(root, 'Description'),
  }),
};

export function readBody<T extends MessageType>(
  root: XmlElement,
  messageType: T,
  context: WcoContext,
): MessageBodies[T] {
  return BODY_READERS[messageType](root, context);
}

function readRecordResult(result: XmlElement): RecordResult {
  result.allowOnly(RECORD_RESULT_CHILDREN);
  return compact({
    aeoId: readAeoPartyId(result, 'AEOMutualRecognitionPartyID'),
    outcome: readCode(result, 'OutcomeCode', RECORD_OUTCOMES, 'INVALID_VALUE'),
    reasonCode: readOptionalText(result, 'ReasonCode'),
  });
}
