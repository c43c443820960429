import { leaf, node, type XmlNodeSpec } from '@aeo/codecs';
import type {
  CanonicalMessage,
  IrregularityNoticeBody,
  LookupRequestBody,
  LookupResponseBody,
  ReceiptBody,
  SnapshotBody,
  StatusDeltaBody,
} from '@aeo/domain';
import type { MappingLoss } from '../partner-adapter.js';
import type { WcoContext } from './wco-context.js';
import { partyId, writeDeclaredParty, writeParty } from './wco-party-writer.js';

/** The root element's children after the Header, in the order the XSD's sequence requires. */
export function writeBody(
  message: CanonicalMessage,
  context: WcoContext,
  losses: MappingLoss[],
): (XmlNodeSpec | undefined)[] {
  switch (message.envelope.messageType) {
    case 'AEO_SNAPSHOT': {
      const body = message.body as SnapshotBody;
      return [
        leaf('SnapshotID', body.snapshotId),
        leaf('ProgrammeCode', body.programme),
        leaf('AsOfDateTime', body.asOf),
        leaf('ChunkSequenceNumber', body.chunkIndex),
        leaf('ChunkCount', body.chunkCount),
        ...body.records.map((record, i) => writeParty(record, `/body/records/${i}`, context, losses)),
      ];
    }
    case 'AEO_STATUS_DELTA': {
      const body = message.body as StatusDeltaBody;
      return [
        leaf('ProgrammeCode', body.programme),
        ...body.records.map((record, i) => writeParty(record, `/body/records/${i}`, context, losses)),
      ];
    }
    case 'AEO_LOOKUP_REQUEST': {
      const body = message.body as LookupRequestBody;
      return [
        writeDeclaredParty(body.aeoId, body.role, '/body', context, losses),
        leaf('DeclarationReferenceID', body.declarationRef),
      ];
    }
    case 'AEO_LOOKUP_RESPONSE': {
      const body = message.body as LookupResponseBody;
      return [
        leaf('RequestMessageID', body.requestMessageId),
        leaf('FoundIndicator', body.found),
        body.record === undefined ? undefined : writeParty(body.record, '/body/record', context, losses),
      ];
    }
    case 'RECEIPT': {
      const body = message.body as ReceiptBody;
      return [
        leaf('ReceivedMessageID', body.receivedMessageId),
        leaf('ReceivedMessageSHA256', body.receivedSha256),
        leaf('OutcomeCode', body.outcome),
        leaf('ReasonCode', body.reasonCode),
        leaf('ReasonText', body.reasonText),
        ...body.recordResults.map((result, i) =>
          node('RecordResult', [
            leaf('AEOMutualRecognitionPartyID', partyId(result.aeoId, `/body/recordResults/${i}/aeoId`)),
            leaf('OutcomeCode', result.outcome),
            leaf('ReasonCode', result.reasonCode),
          ]),
        ),
      ];
    }
    case 'IRREGULARITY_NOTICE': {
      const body = message.body as IrregularityNoticeBody;
      return [
        leaf('AEOMutualRecognitionPartyID', partyId(body.aeoId, '/body/aeoId')),
        leaf('ReferenceID', body.reference),
        leaf('ObservationDate', body.observedOn),
        leaf('Description', body.description),
      ];
    }
  }
}
