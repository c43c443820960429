import { leaf, node, type XmlNodeSpec } from '@aeo/codecs';
import {
  GatewayError,
  type CanonicalMessage,
  type IrregularityNoticeBody,
  type LookupRequestBody,
  type LookupResponseBody,
  type ReceiptBody,
  type SnapshotBody,
  type StatusDeltaBody,
} from '@aeo/domain';
import type { MappingLoss } from '../partner-adapter.js';
import { officialCertificateNumber } from './eaeu-certificates.js';
import type { EaeuContext } from './eaeu-context.js';
import { RECEIPT_OUTCOME_CODES, RECORD_OUTCOME_CODES, aeo, codeFor, csdo } from './eaeu-format.js';
import { participantNode } from './eaeu-participants.js';
import { encodeRegistryEntry, partnerCode } from './eaeu-record-encoder.js';

/** Optional fields are undefined children, which the serializer leaves out. */
type Children = (XmlNodeSpec | undefined)[];

/** The children of a root after the document header, for the message's type (BODY_CHILDREN order). */
export function encodeBody(message: CanonicalMessage, context: EaeuContext, losses: MappingLoss[]): Children {
  switch (message.envelope.messageType) {
    case 'AEO_SNAPSHOT':
      return encodeSnapshot(message.body as SnapshotBody, context, losses);
    case 'AEO_STATUS_DELTA':
      return encodeStatusDelta(message.body as StatusDeltaBody, context, losses);
    case 'AEO_LOOKUP_REQUEST':
      return encodeLookupRequest(message.body as LookupRequestBody, context, losses);
    case 'AEO_LOOKUP_RESPONSE':
      return encodeLookupResponse(message.body as LookupResponseBody, context, losses);
    case 'RECEIPT':
      return encodeReceipt(message.body as ReceiptBody);
    case 'IRREGULARITY_NOTICE':
      return encodeIrregularityNotice(message.body as IrregularityNoticeBody, losses);
  }
}

function encodeSnapshot(body: SnapshotBody, context: EaeuContext, losses: MappingLoss[]): Children {
  const seen = new Set<string>();
  body.records.forEach((record, i) => {
    // The XSD's xs:unique: an extract lists each certificate once.
    if (seen.has(record.aeoIdNormalized)) {
      throw new GatewayError(
        'CANNOT_ENCODE',
        `${record.aeoIdNormalized} appears twice in one extract`,
        `/body/records/${i}/aeoId`,
      );
    }
    seen.add(record.aeoIdNormalized);
  });
  return [
    participantNode(aeo('RegisterKeeperDetails').tag, body.programme, '/body/programme'),
    leaf(aeo('RegistryExtractId').tag, body.snapshotId),
    leaf(aeo('RegistryStateDateTime').tag, body.asOf),
    leaf(aeo('PartNumber').tag, body.chunkIndex),
    leaf(aeo('PartQuantity').tag, body.chunkCount),
    ...body.records.map((record, i) => encodeRegistryEntry(record, `/body/records/${i}`, context, losses)),
  ];
}

function encodeStatusDelta(body: StatusDeltaBody, context: EaeuContext, losses: MappingLoss[]): Children {
  return [
    participantNode(aeo('RegisterKeeperDetails').tag, body.programme, '/body/programme'),
    ...body.records.map((record, i) => encodeRegistryEntry(record, `/body/records/${i}`, context, losses)),
  ];
}

function encodeLookupRequest(body: LookupRequestBody, context: EaeuContext, losses: MappingLoss[]): Children {
  return [
    leaf(aeo('DocId').tag, officialCertificateNumber(body.aeoId, '/body/aeoId', losses)),
    leaf(aeo('CustomsDeclarationId').tag, body.declarationRef),
    leaf(
      aeo('AEOActivityKindCode').tag,
      body.role && partnerCode(context.codeLists.role, body.role, '/body/role', losses),
    ),
  ];
}

function encodeLookupResponse(
  body: LookupResponseBody,
  context: EaeuContext,
  losses: MappingLoss[],
): Children {
  return [
    leaf(aeo('RequestEDocId').tag, body.requestMessageId),
    leaf(aeo('AEOFoundIndicator').tag, body.found),
    body.record && encodeRegistryEntry(body.record, '/body/record', context, losses),
  ];
}

function encodeReceipt(body: ReceiptBody): Children {
  return [
    leaf(aeo('ReceivedEDocId').tag, body.receivedMessageId),
    leaf(aeo('ReceivedEDocHashValue').tag, body.receivedSha256),
    leaf(aeo('ProcessingResultCode').tag, codeFor(RECEIPT_OUTCOME_CODES, body.outcome)),
    leaf(aeo('ReasonCode').tag, body.reasonCode),
    leaf(aeo('ResultReasonText').tag, body.reasonText),
    ...body.recordResults.map((result) =>
      node(aeo('RecordProcessingResultDetails').tag, [
        leaf(aeo('ReferencedDocId').tag, result.aeoId),
        leaf(aeo('RecordProcessingResultCode').tag, codeFor(RECORD_OUTCOME_CODES, result.outcome)),
        leaf(aeo('ReasonCode').tag, result.reasonCode),
      ]),
    ),
  ];
}

function encodeIrregularityNotice(body: IrregularityNoticeBody, losses: MappingLoss[]): Children {
  return [
    leaf(aeo('DocId').tag, officialCertificateNumber(body.aeoId, '/body/aeoId', losses)),
    leaf(aeo('IrregularityReferenceId').tag, body.reference),
    leaf(csdo('EventDate').tag, body.observedOn),
    leaf(csdo('DescriptionText').tag, body.description),
  ];
}
