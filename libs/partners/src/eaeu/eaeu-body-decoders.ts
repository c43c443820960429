import type { XmlElement } from '@aeo/codecs';
import {
  GatewayError,
  type AeoRecord,
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
import { certificateNumberOf } from './eaeu-certificates.js';
import type { EaeuContext } from './eaeu-context.js';
import { RECEIPT_OUTCOME_CODES, RECORD_OUTCOME_CODES, aeo, csdo, type QName } from './eaeu-format.js';
import { programmeOfParticipant } from './eaeu-participants.js';
import { decodeRegistryEntry } from './eaeu-record-decoder.js';
import {
  booleanOf,
  calendarDateOf,
  fixedCodeOf,
  instantOf,
  positiveIntegerOf,
  uuidOf,
} from './eaeu-values.js';
import {
  allowOnlyChildren,
  childrenOf,
  optionalChild,
  optionalText,
  requiredChild,
  requiredText,
  textOf,
} from './eaeu-xml-reader.js';

/** What each root holds after the document header, in XSD order. */
export const BODY_CHILDREN: Readonly<Record<MessageType, readonly QName[]>> = {
  AEO_SNAPSHOT: [
    aeo('RegisterKeeperDetails'),
    aeo('RegistryExtractId'),
    aeo('RegistryStateDateTime'),
    aeo('PartNumber'),
    aeo('PartQuantity'),
    aeo('AEORegistryEntryDetails'),
  ],
  AEO_STATUS_DELTA: [aeo('RegisterKeeperDetails'), aeo('AEORegistryEntryDetails')],
  AEO_LOOKUP_REQUEST: [aeo('DocId'), aeo('CustomsDeclarationId'), aeo('AEOActivityKindCode')],
  AEO_LOOKUP_RESPONSE: [aeo('RequestEDocId'), aeo('AEOFoundIndicator'), aeo('AEORegistryEntryDetails')],
  RECEIPT: [
    aeo('ReceivedEDocId'),
    aeo('ReceivedEDocHashValue'),
    aeo('ProcessingResultCode'),
    aeo('ReasonCode'),
    aeo('ResultReasonText'),
    aeo('RecordProcessingResultDetails'),
  ],
  IRREGULARITY_NOTICE: [
    aeo('DocId'),
    aeo('IrregularityReferenceId'),
    csdo('EventDate'),
    csdo('DescriptionText'),
  ],
};

/** The body of a root whose children were already checked against the header and BODY_CHILDREN. */
export function decodeBody(
  root: XmlElement,
  messageType: MessageType,
  context: EaeuContext,
): MessageBodies[MessageType] {
  switch (messageType) {
    case 'AEO_SNAPSHOT':
      return decodeSnapshot(root, context);
    case 'AEO_STATUS_DELTA':
      return decodeStatusDelta(root, context);
    case 'AEO_LOOKUP_REQUEST':
      return decodeLookupRequest(root, context);
    case 'AEO_LOOKUP_RESPONSE':
      return decodeLookupResponse(root, context);
    case 'RECEIPT':
      return decodeReceipt(root);
    case 'IRREGULARITY_NOTICE':
      return decodeIrregularityNotice(root);
  }
}

function decodeSnapshot(root: XmlElement, context: EaeuContext): SnapshotBody {
  return {
    snapshotId: uuidOf(requiredChild(root, aeo('RegistryExtractId'))),
    programme: programmeOfParticipant(requiredChild(root, aeo('RegisterKeeperDetails'))),
    asOf: instantOf(requiredChild(root, aeo('RegistryStateDateTime'))),
    chunkIndex: positiveIntegerOf(requiredChild(root, aeo('PartNumber'))),
    chunkCount: positiveIntegerOf(requiredChild(root, aeo('PartQuantity'))),
    records: decodeEntries(root, context, { unique: true }),
  };
}

function decodeStatusDelta(root: XmlElement, context: EaeuContext): StatusDeltaBody {
  const programme = programmeOfParticipant(requiredChild(root, aeo('RegisterKeeperDetails')));
  const records = decodeEntries(root, context, { unique: false });
  if (records.length === 0) {
    throw new GatewayError(
      'MISSING_REQUIRED_FIELD',
      'a change list needs at least one entry',
      `${root.path}/AEORegistryEntryDetails`,
    );
  }
  return { programme, records };
}

/** An extract lists each certificate once (the XSD's xs:unique), compared in the official spelling. */
function decodeEntries(root: XmlElement, context: EaeuContext, options: { unique: boolean }): AeoRecord[] {
  const seen = new Set<string>();
  return childrenOf(root, aeo('AEORegistryEntryDetails')).map((entry) => {
    const record = decodeRegistryEntry(entry, context);
    if (options.unique && seen.has(record.aeoIdNormalized)) {
      throw new GatewayError(
        'BUSINESS_RULE_VIOLATION',
        `${record.aeoIdNormalized} appears twice in one extract`,
        entry.path,
      );
    }
    seen.add(record.aeoIdNormalized);
    return record;
  });
}

function decodeLookupRequest(root: XmlElement, context: EaeuContext): LookupRequestBody {
  const role = optionalChild(root, aeo('AEOActivityKindCode'));
  return compact<LookupRequestBody>({
    aeoId: certificateNumberOf(requiredChild(root, aeo('DocId'))).raw,
    declarationRef: optionalText(root, aeo('CustomsDeclarationId')),
    role: role && context.codeLists.role.toCanonical(textOf(role), role.path),
  });
}

function decodeLookupResponse(root: XmlElement, context: EaeuContext): LookupResponseBody {
  const foundElement = requiredChild(root, aeo('AEOFoundIndicator'));
  const found = booleanOf(foundElement);
  const entry = optionalChild(root, aeo('AEORegistryEntryDetails'));
  if (found !== (entry !== undefined)) {
    throw new GatewayError(
      'BUSINESS_RULE_VIOLATION',
      found ? 'a found result carries its entry' : 'a not-found result carries no entry',
      entry?.path ?? foundElement.path,
    );
  }
  return compact<LookupResponseBody>({
    requestMessageId: uuidOf(requiredChild(root, aeo('RequestEDocId'))),
    found,
    record: entry && decodeRegistryEntry(entry, context),
  });
}

function decodeReceipt(root: XmlElement): ReceiptBody {
  return compact<ReceiptBody>({
    receivedMessageId: uuidOf(requiredChild(root, aeo('ReceivedEDocId'))),
    receivedSha256: requiredText(root, aeo('ReceivedEDocHashValue')),
    outcome: fixedCodeOf(requiredChild(root, aeo('ProcessingResultCode')), RECEIPT_OUTCOME_CODES),
    reasonCode: optionalText(root, aeo('ReasonCode')),
    reasonText: optionalText(root, aeo('ResultReasonText')),
    recordResults: childrenOf(root, aeo('RecordProcessingResultDetails')).map(decodeRecordResult),
  });
}

function decodeRecordResult(element: XmlElement): RecordResult {
  allowOnlyChildren(element, [aeo('ReferencedDocId'), aeo('RecordProcessingResultCode'), aeo('ReasonCode')]);
  return compact<RecordResult>({
    aeoId: requiredText(element, aeo('ReferencedDocId')),
    outcome: fixedCodeOf(requiredChild(element, aeo('RecordProcessingResultCode')), RECORD_OUTCOME_CODES),
    reasonCode: optionalText(element, aeo('ReasonCode')),
  });
}

function decodeIrregularityNotice(root: XmlElement): IrregularityNoticeBody {
  return {
    aeoId: certificateNumberOf(requiredChild(root, aeo('DocId'))).raw,
    reference: requiredText(root, aeo('IrregularityReferenceId')),
    observedOn: calendarDateOf(requiredChild(root, csdo('EventDate'))),
    description: requiredText(root, csdo('DescriptionText')),
  };
}
