import { parseJsonSafely } from '@aeo/codecs';
import {
  GatewayError,
  SCHEMA_VERSION,
  type CanonicalMessage,
  type Envelope,
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
import { checkDecoded, compact } from '../common/decoded-message.js';
import { JsonObject } from '../common/json-reader.js';
import type { KrMapping } from './kr-mapping.js';
import { decodeRecord } from './kr-record-decoder.js';
import { dateAt, instantAt, programmeAt, roleOf, yesNoAt } from './kr-wire-readers.js';
import { KR_ACK_RESULTS, KR_DOC_TYPES, KR_RECORD_RESULTS, keyOfWireCode } from './kr-wire.js';

/**
 * KCS JSON → canonical. Order matters: hardened parsing first (size, UTF-8, depth,
 * forbidden keys), then the `profile` member (so a document of another format is named as
 * such, not as a list of missing fields), then structure and codes with wire paths, and
 * last the canonical schema and business rules on the whole message.
 */
export function decodeKrMessage(bytes: Uint8Array, mapping: KrMapping): CanonicalMessage {
  const parsed = parseJsonSafely(bytes, mapping.profile.limits);
  const root = JsonObject.root(parsed);
  const declared = (parsed as Record<string, unknown>)['profile'];
  if (declared !== mapping.profile.wire.namespace) {
    const shown = typeof declared === 'string' ? `'${declared.slice(0, 80)}'` : 'missing';
    throw new GatewayError(
      'WRONG_NAMESPACE',
      `profile is ${shown}; expected '${mapping.profile.wire.namespace}'`,
      '/profile',
    );
  }
  root.allowOnly(['profile', 'header', 'payload']);
  const envelope = decodeHeader(root.requiredObject('header'), mapping);
  const body = decodePayload(envelope.messageType, root.requiredObject('payload'), mapping);
  return checkDecoded({ envelope, body } as CanonicalMessage, mapping.profile);
}

function decodeHeader(header: JsonObject, mapping: KrMapping): Envelope {
  header.allowOnly(['msg_id', 'ref_msg_id', 'doc_type_cd', 'sender_cd', 'receiver_cd', 'send_dt', 'test_yn']);
  const docType = header.requiredString('doc_type_cd');
  const messageType = keyOfWireCode(KR_DOC_TYPES, docType);
  if (!messageType) {
    throw new GatewayError(
      'UNSUPPORTED_MESSAGE_TYPE',
      `unknown doc_type_cd '${docType}'`,
      `${header.path}/doc_type_cd`,
    );
  }
  return compact<Envelope>({
    messageId: header.requiredString('msg_id'),
    correlationId: header.optionalString('ref_msg_id'),
    sender: programmeAt(header, 'sender_cd', mapping),
    recipient: programmeAt(header, 'receiver_cd', mapping),
    createdAt: instantAt(header, 'send_dt'),
    messageType,
    // The wire version is the `profile` URN; the canonical model version is ours alone.
    schemaVersion: SCHEMA_VERSION,
    environment: yesNoAt(header, 'test_yn') ? 'pilot' : 'production',
  });
}

type BodyDecoder<T extends MessageType> = (payload: JsonObject, mapping: KrMapping) => MessageBodies[T];

const BODY_DECODERS: { readonly [T in MessageType]: BodyDecoder<T> } = {
  AEO_SNAPSHOT: (payload, mapping): SnapshotBody => {
    payload.allowOnly(['list_id', 'issuer_cd', 'base_dt', 'page_no', 'page_cnt', 'aeo_list']);
    return {
      snapshotId: payload.requiredString('list_id'),
      programme: programmeAt(payload, 'issuer_cd', mapping),
      asOf: instantAt(payload, 'base_dt'),
      chunkIndex: payload.requiredInteger('page_no'),
      chunkCount: payload.requiredInteger('page_cnt'),
      records: payload.objectsOf('aeo_list').map((aeo) => decodeRecord(aeo, mapping)),
    };
  },

  AEO_STATUS_DELTA: (payload, mapping): StatusDeltaBody => {
    payload.allowOnly(['issuer_cd', 'change_list']);
    return {
      programme: programmeAt(payload, 'issuer_cd', mapping),
      records: payload.objectsOf('change_list', false).map((aeo) => decodeRecord(aeo, mapping)),
    };
  },

  AEO_LOOKUP_REQUEST: (payload, mapping): LookupRequestBody => {
    payload.allowOnly(['aeo_id', 'decl_no', 'biz_type']);
    const bizType = payload.optionalString('biz_type');
    return compact<LookupRequestBody>({
      aeoId: payload.requiredString('aeo_id'),
      declarationRef: payload.optionalString('decl_no'),
      role: bizType === undefined ? undefined : roleOf(bizType, `${payload.path}/biz_type`, mapping),
    });
  },

  AEO_LOOKUP_RESPONSE: (payload, mapping): LookupResponseBody => {
    payload.allowOnly(['inquiry_msg_id', 'found_yn', 'aeo']);
    const aeo = payload.optionalObject('aeo');
    return compact<LookupResponseBody>({
      requestMessageId: payload.requiredString('inquiry_msg_id'),
      found: yesNoAt(payload, 'found_yn'),
      record: aeo && decodeRecord(aeo, mapping),
    });
  },

  RECEIPT: (payload): ReceiptBody => {
    payload.allowOnly(['recv_msg_id', 'recv_sha256', 'result_cd', 'err_cd', 'err_msg', 'rec_results']);
    return compact<ReceiptBody>({
      receivedMessageId: payload.requiredString('recv_msg_id'),
      receivedSha256: payload.requiredString('recv_sha256'),
      outcome: fixedCode(payload, 'result_cd', KR_ACK_RESULTS),
      reasonCode: payload.optionalString('err_cd'),
      reasonText: payload.optionalString('err_msg'),
      recordResults: payload.objectsOf('rec_results').map((result): RecordResult => {
        result.allowOnly(['aeo_id', 'result_cd', 'err_cd']);
        return compact<RecordResult>({
          aeoId: result.requiredString('aeo_id'),
          outcome: fixedCode(result, 'result_cd', KR_RECORD_RESULTS),
          reasonCode: result.optionalString('err_cd'),
        });
      }),
    });
  },

  IRREGULARITY_NOTICE: (payload): IrregularityNoticeBody => {
    payload.allowOnly(['aeo_id', 'case_no', 'found_date', 'content_txt']);
    return {
      aeoId: payload.requiredString('aeo_id'),
      reference: payload.requiredString('case_no'),
      observedOn: dateAt(payload, 'found_date'),
      description: payload.requiredString('content_txt'),
    };
  },
};

function decodePayload<T extends MessageType>(
  messageType: T,
  payload: JsonObject,
  mapping: KrMapping,
): MessageBodies[T] {
  return (BODY_DECODERS[messageType] as BodyDecoder<T>)(payload, mapping);
}

function fixedCode<K extends string>(object: JsonObject, key: string, table: Readonly<Record<K, string>>): K {
  const code = object.requiredString(key);
  const value = keyOfWireCode(table, code);
  if (value === undefined) {
    throw new GatewayError('INVALID_VALUE', `unknown ${key} '${code}'`, `${object.path}/${key}`);
  }
  return value;
}
