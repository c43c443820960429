import { assertValidCanonical, encodeJson } from '@aeo/codecs';
import type {
  CanonicalMessage,
  Envelope,
  IrregularityNoticeBody,
  LookupRequestBody,
  LookupResponseBody,
  MessageBodies,
  MessageType,
  ReceiptBody,
  SnapshotBody,
  StatusDeltaBody,
} from '@aeo/domain';
import type { EncodeOptions, EncodeResult, MappingLoss } from '../partner-adapter.js';
import type { KrMapping } from './kr-mapping.js';
import { administrationCode, encodeRecord, optional, partnerCode } from './kr-record-encoder.js';
import {
  KR_ACK_RESULTS,
  KR_DOC_TYPES,
  KR_RECORD_RESULTS,
  KR_TEST_FLAG,
  type KrDocument,
  type KrHeader,
  type KrPayload,
} from './kr-wire.js';
import { isoToCompactDate, utcToKst } from './kst-time.js';

/**
 * Canonical → KCS JSON. The message is validated first, so the mappers below can rely on
 * the canonical rules; every code that will read back differently is listed in `losses`.
 * Trusted input (our own validated register, see EncodeOptions) skips the schema pass.
 */
export function encodeKrMessage(message: CanonicalMessage, mapping: KrMapping, options: EncodeOptions = {}): EncodeResult {
  if (options.checks !== 'trusted') assertValidCanonical(message, mapping.idOptions);
  const losses: MappingLoss[] = [];
  const payloadEncoder = PAYLOAD_ENCODERS[message.envelope.messageType] as PayloadEncoder<MessageType>;
  const document: KrDocument = {
    profile: mapping.profile.wire.namespace,
    header: encodeHeader(message.envelope, mapping),
    payload: payloadEncoder(message.body, mapping, losses),
  };
  return { bytes: encodeJson(document), losses };
}

function encodeHeader(envelope: Envelope, mapping: KrMapping): KrHeader {
  return {
    msg_id: envelope.messageId,
    ...optional('ref_msg_id', envelope.correlationId),
    doc_type_cd: KR_DOC_TYPES[envelope.messageType],
    sender_cd: administrationCode(envelope.sender, '/envelope/sender', mapping),
    receiver_cd: administrationCode(envelope.recipient, '/envelope/recipient', mapping),
    send_dt: utcToKst(envelope.createdAt, '/envelope/createdAt'),
    test_yn: KR_TEST_FLAG[envelope.environment],
  };
}

type PayloadEncoder<T extends MessageType> = (
  body: MessageBodies[T],
  mapping: KrMapping,
  losses: MappingLoss[],
) => KrPayload;

const PAYLOAD_ENCODERS: { readonly [T in MessageType]: PayloadEncoder<T> } = {
  AEO_SNAPSHOT: (body: SnapshotBody, mapping, losses) => ({
    list_id: body.snapshotId,
    issuer_cd: administrationCode(body.programme, '/body/programme', mapping),
    base_dt: utcToKst(body.asOf, '/body/asOf'),
    page_no: body.chunkIndex,
    page_cnt: body.chunkCount,
    aeo_list: body.records.map((record, i) => encodeRecord(record, `/body/records/${i}`, mapping, losses)),
  }),

  AEO_STATUS_DELTA: (body: StatusDeltaBody, mapping, losses) => ({
    issuer_cd: administrationCode(body.programme, '/body/programme', mapping),
    change_list: body.records.map((record, i) => encodeRecord(record, `/body/records/${i}`, mapping, losses)),
  }),

  AEO_LOOKUP_REQUEST: (body: LookupRequestBody, mapping, losses) => ({
    aeo_id: body.aeoId,
    ...optional('decl_no', body.declarationRef),
    ...optional('biz_type', body.role && partnerCode(mapping.codes.role, body.role, '/body/role', losses)),
  }),

  AEO_LOOKUP_RESPONSE: (body: LookupResponseBody, mapping, losses) => ({
    inquiry_msg_id: body.requestMessageId,
    found_yn: body.found ? 'Y' : 'N',
    ...optional('aeo', body.record && encodeRecord(body.record, '/body/record', mapping, losses)),
  }),

  RECEIPT: (body: ReceiptBody) => ({
    recv_msg_id: body.receivedMessageId,
    recv_sha256: body.receivedSha256,
    result_cd: KR_ACK_RESULTS[body.outcome],
    ...optional('err_cd', body.reasonCode),
    ...optional('err_msg', body.reasonText),
    rec_results: body.recordResults.map((result) => ({
      aeo_id: result.aeoId,
      result_cd: KR_RECORD_RESULTS[result.outcome],
      ...optional('err_cd', result.reasonCode),
    })),
  }),

  IRREGULARITY_NOTICE: (body: IrregularityNoticeBody) => ({
    aeo_id: body.aeoId,
    case_no: body.reference,
    found_date: isoToCompactDate(body.observedOn),
    content_txt: body.description,
  }),
};
