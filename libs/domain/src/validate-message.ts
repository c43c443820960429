import type { AeoIdRuleOptions } from './aeo-id-rules.js';
import { isCalendarDate, isUtcInstant } from './dates.js';
import { GatewayError } from './gateway-error.js';
import {
  ENVIRONMENTS,
  SCHEMA_VERSION,
  isMessageType,
  type CanonicalMessage,
  type IrregularityNoticeBody,
  type LookupResponseBody,
  type ReceiptBody,
  type SnapshotBody,
  type StatusDeltaBody,
} from './messages.js';
import { isProgramme } from './programme.js';
import { validateAeoRecord } from './validate-record.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Maximum records per snapshot chunk or delta; bigger lists are chunked by the sender. */
export const MAX_RECORDS_PER_MESSAGE = 10_000;

function checkEnvelope(message: CanonicalMessage): void {
  const e = message.envelope;
  if (!UUID.test(e.messageId ?? '')) throw new GatewayError('INVALID_VALUE', 'messageId must be a UUID', '/envelope/messageId');
  if (e.correlationId !== undefined && !UUID.test(e.correlationId)) {
    throw new GatewayError('INVALID_VALUE', 'correlationId must be a UUID', '/envelope/correlationId');
  }
  if (!isProgramme(e.sender)) throw new GatewayError('UNKNOWN_PROGRAMME', `unknown sender '${String(e.sender)}'`, '/envelope/sender');
  if (!isProgramme(e.recipient)) {
    throw new GatewayError('UNKNOWN_PROGRAMME', `unknown recipient '${String(e.recipient)}'`, '/envelope/recipient');
  }
  if (!isUtcInstant(e.createdAt)) throw new GatewayError('INVALID_DATE', 'createdAt must be a UTC instant', '/envelope/createdAt');
  if (!isMessageType(e.messageType)) {
    throw new GatewayError('UNSUPPORTED_MESSAGE_TYPE', `unknown message type '${String(e.messageType)}'`, '/envelope/messageType');
  }
  if (e.schemaVersion !== SCHEMA_VERSION) {
    throw new GatewayError('UNSUPPORTED_SCHEMA_VERSION', `schema version '${String(e.schemaVersion)}' is not ${SCHEMA_VERSION}`, '/envelope/schemaVersion');
  }
  if (!(ENVIRONMENTS as readonly string[]).includes(e.environment)) {
    throw new GatewayError('INVALID_VALUE', 'environment must be production or pilot', '/envelope/environment');
  }
}

/**
 * Business validation of a whole canonical message (structure is checked by the JSON
 * Schema in libs/codecs first). Throws the first problem found, with its path.
 */
export function validateCanonicalMessage(message: CanonicalMessage, options: AeoIdRuleOptions = {}): void {
  checkEnvelope(message);
  const body = message.body;
  switch (message.envelope.messageType) {
    case 'AEO_SNAPSHOT': {
      const snapshot = body as SnapshotBody;
      if (!Number.isSafeInteger(snapshot.chunkCount) || snapshot.chunkCount < 1) {
        throw new GatewayError('CHUNK_OUT_OF_RANGE', 'chunkCount must be at least 1', '/body/chunkCount');
      }
      if (!Number.isSafeInteger(snapshot.chunkIndex) || snapshot.chunkIndex < 1 || snapshot.chunkIndex > snapshot.chunkCount) {
        throw new GatewayError('CHUNK_OUT_OF_RANGE', `chunk ${snapshot.chunkIndex} of ${snapshot.chunkCount}`, '/body/chunkIndex');
      }
      if (!isUtcInstant(snapshot.asOf)) throw new GatewayError('INVALID_DATE', 'asOf must be a UTC instant', '/body/asOf');
      checkRecordsOfProgramme(snapshot, options);
      break;
    }
    case 'AEO_STATUS_DELTA':
      checkRecordsOfProgramme(body as StatusDeltaBody, options);
      break;
    case 'AEO_LOOKUP_RESPONSE': {
      const response = body as LookupResponseBody;
      if (!UUID.test(response.requestMessageId)) {
        throw new GatewayError('INVALID_VALUE', 'requestMessageId must be a UUID', '/body/requestMessageId');
      }
      if (response.found !== (response.record !== undefined)) {
        throw new GatewayError('BUSINESS_RULE_VIOLATION', 'a found lookup carries exactly one record', '/body/record');
      }
      if (response.record) validateAeoRecord(response.record, '/body/record', options);
      break;
    }
    case 'RECEIPT': {
      const receipt = body as ReceiptBody;
      if (!UUID.test(receipt.receivedMessageId)) {
        throw new GatewayError('INVALID_VALUE', 'receivedMessageId must be a UUID', '/body/receivedMessageId');
      }
      if (!SHA256_HEX.test(receipt.receivedSha256)) {
        throw new GatewayError('INVALID_VALUE', 'receivedSha256 must be 64 lower-case hex digits', '/body/receivedSha256');
      }
      if (receipt.outcome === 'REJECTED' && !receipt.reasonCode) {
        throw new GatewayError('MISSING_REQUIRED_FIELD', 'a rejection needs a reason code', '/body/reasonCode');
      }
      break;
    }
    case 'IRREGULARITY_NOTICE':
      if (!isCalendarDate((body as IrregularityNoticeBody).observedOn)) {
        throw new GatewayError('INVALID_DATE', 'observedOn must be a real date', '/body/observedOn');
      }
      break;
    case 'AEO_LOOKUP_REQUEST':
      break;
  }
}

function checkRecordsOfProgramme(body: SnapshotBody | StatusDeltaBody, options: AeoIdRuleOptions): void {
  if (!isProgramme(body.programme)) throw new GatewayError('UNKNOWN_PROGRAMME', 'unknown programme', '/body/programme');
  if (body.records.length > MAX_RECORDS_PER_MESSAGE) {
    throw new GatewayError('PAYLOAD_TOO_LARGE', `more than ${MAX_RECORDS_PER_MESSAGE} records`, '/body/records');
  }
  body.records.forEach((record, i) => {
    validateAeoRecord(record, `/body/records/${i}`, options);
    if (record.programme !== body.programme && body.programme !== 'EAEU-EEC') {
      throw new GatewayError('BUSINESS_RULE_VIOLATION', `record of ${record.programme} in a ${body.programme} list`, `/body/records/${i}/programme`);
    }
  });
}
