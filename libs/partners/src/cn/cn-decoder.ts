import { parseXmlSafely, type XmlElement } from '@aeo/codecs';
import {
  GatewayError,
  type CanonicalMessage,
  type Envelope,
  type IrregularityNoticeBody,
  type LookupRequestBody,
  type LookupResponseBody,
  type MessageBodies,
  type MessageType,
  type ReceiptBody,
  type SnapshotBody,
  type StatusDeltaBody,
} from '@aeo/domain';
import type { PartnerCodeLists } from '../common/code-lists.js';
import { checkDecoded, compact } from '../common/decoded-message.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { codeFromWire, readEnterprise } from './cn-record-decoder.js';
import {
  BODY_ELEMENTS,
  CUSTOMS_CODES,
  MESSAGE_TYPE_CODES,
  QUERY_RESULT_FLAGS,
  RECEIPT_RESULT_CODES,
  RECORD_RESULT_CODES,
  ROOT_ELEMENT,
  TEST_FLAGS,
} from './cn-wire-codes.js';
import { dateFromWire, instantFromWire, integerFromWire } from './cn-wire-values.js';

const HEAD_FIELDS = [
  'MessageId',
  'RefMessageId',
  'MessageType',
  'SenderCustoms',
  'ReceiverCustoms',
  'SendTime',
  'Version',
  'TestFlag',
];

/** Every element must be in the format's namespace: a same-named element from elsewhere is not ours. */
function expectNamespaceEverywhere(element: XmlElement, namespace: string): void {
  element.expectNamespace(namespace);
  for (const child of element.children) expectNamespaceEverywhere(child, namespace);
}

function readHead(head: XmlElement): Envelope {
  head.allowOnly(HEAD_FIELDS);
  return compact<Envelope>({
    messageId: head.requiredText('MessageId'),
    correlationId: head.optionalText('RefMessageId'),
    sender: CUSTOMS_CODES.fromWire(head.required('SenderCustoms')),
    recipient: CUSTOMS_CODES.fromWire(head.required('ReceiverCustoms')),
    createdAt: instantFromWire(head.required('SendTime')),
    messageType: MESSAGE_TYPE_CODES.fromWire(head.required('MessageType')),
    schemaVersion: head.requiredText('Version'),
    environment: TEST_FLAGS.fromWire(head.required('TestFlag')),
  });
}

type BodyReader<T extends MessageType> = (element: XmlElement, lists: PartnerCodeLists) => MessageBodies[T];

const readSnapshot: BodyReader<'AEO_SNAPSHOT'> = (list, lists): SnapshotBody => {
  list.allowOnly(['ListId', 'IssuingCustoms', 'AsOfTime', 'PartNo', 'PartTotal', 'AeoEnterprise']);
  return {
    snapshotId: list.requiredText('ListId'),
    programme: CUSTOMS_CODES.fromWire(list.required('IssuingCustoms')),
    asOf: instantFromWire(list.required('AsOfTime')),
    chunkIndex: integerFromWire(list.required('PartNo')),
    chunkCount: integerFromWire(list.required('PartTotal')),
    records: list.all('AeoEnterprise').map((enterprise) => readEnterprise(enterprise, lists)),
  };
};

const readDelta: BodyReader<'AEO_STATUS_DELTA'> = (delta, lists): StatusDeltaBody => {
  delta.allowOnly(['IssuingCustoms', 'AeoEnterprise']);
  return {
    programme: CUSTOMS_CODES.fromWire(delta.required('IssuingCustoms')),
    records: delta.all('AeoEnterprise').map((enterprise) => readEnterprise(enterprise, lists)),
  };
};

const readQuery: BodyReader<'AEO_LOOKUP_REQUEST'> = (query, lists): LookupRequestBody => {
  query.allowOnly(['AeoCode', 'DeclarationNo', 'RoleCode']);
  return compact<LookupRequestBody>({
    aeoId: query.requiredText('AeoCode'),
    declarationRef: query.optionalText('DeclarationNo'),
    role: query.optional('RoleCode') ? codeFromWire(lists.role, query, 'RoleCode') : undefined,
  });
};

const readQueryResult: BodyReader<'AEO_LOOKUP_RESPONSE'> = (result, lists): LookupResponseBody => {
  result.allowOnly(['QueryMessageId', 'ResultFlag', 'AeoEnterprise']);
  const enterprise = result.optional('AeoEnterprise');
  return compact<LookupResponseBody>({
    requestMessageId: result.requiredText('QueryMessageId'),
    found: QUERY_RESULT_FLAGS.fromWire(result.required('ResultFlag')) === 'found',
    record: enterprise ? readEnterprise(enterprise, lists) : undefined,
  });
};

const readReceipt: BodyReader<'RECEIPT'> = (receipt): ReceiptBody => {
  receipt.allowOnly([
    'ReceivedMessageId',
    'ReceivedSha256',
    'ResultCode',
    'ErrorCode',
    'ErrorInfo',
    'RecordResult',
  ]);
  return compact<ReceiptBody>({
    receivedMessageId: receipt.requiredText('ReceivedMessageId'),
    receivedSha256: receipt.requiredText('ReceivedSha256'),
    outcome: RECEIPT_RESULT_CODES.fromWire(receipt.required('ResultCode')),
    reasonCode: receipt.optionalText('ErrorCode'),
    reasonText: receipt.optionalText('ErrorInfo'),
    recordResults: receipt.all('RecordResult').map((result) => {
      result.allowOnly(['AeoCode', 'ResultCode', 'ErrorCode']);
      return compact({
        aeoId: result.requiredText('AeoCode'),
        outcome: RECORD_RESULT_CODES.fromWire(result.required('ResultCode')),
        reasonCode: result.optionalText('ErrorCode'),
      });
    }),
  });
};

const readIrregularity: BodyReader<'IRREGULARITY_NOTICE'> = (notice): IrregularityNoticeBody => {
  notice.allowOnly(['AeoCode', 'CaseNo', 'FoundDate', 'Description']);
  return {
    aeoId: notice.requiredText('AeoCode'),
    reference: notice.requiredText('CaseNo'),
    observedOn: dateFromWire(notice.required('FoundDate')),
    description: notice.requiredText('Description'),
  };
};

const BODY_READERS: { readonly [T in MessageType]: BodyReader<T> } = {
  AEO_SNAPSHOT: readSnapshot,
  AEO_STATUS_DELTA: readDelta,
  AEO_LOOKUP_REQUEST: readQuery,
  AEO_LOOKUP_RESPONSE: readQueryResult,
  RECEIPT: readReceipt,
  IRREGULARITY_NOTICE: readIrregularity,
};

/**
 * The parsed document → a canonical message, synchronously and without validation beyond
 * the format's own structure and code tables. The encoder reuses it to read back what it
 * wrote, so both directions share one definition of the mapping.
 */
export function readMessage(root: XmlElement, lists: PartnerCodeLists, namespace: string): CanonicalMessage {
  root.expectNamespace(namespace);
  if (root.name !== ROOT_ELEMENT) {
    throw new GatewayError(
      'WRONG_ROOT_ELEMENT',
      `root element is ${root.name}; expected ${ROOT_ELEMENT}`,
      root.path,
    );
  }
  expectNamespaceEverywhere(root, namespace);
  root.allowOnly(['MessageHead', 'MessageBody']);
  const envelope = readHead(root.required('MessageHead'));
  const bodyName = BODY_ELEMENTS[envelope.messageType];
  const body = root.required('MessageBody').allowOnly([bodyName]).required(bodyName);
  const read = BODY_READERS[envelope.messageType] as BodyReader<MessageType>;
  return { envelope, body: read(body, lists) } as CanonicalMessage;
}

/** Partner bytes → a validated canonical message (hardened parsing first, business rules last). */
export async function decodeCnMessage(
  bytes: Uint8Array,
  profile: PartnerProfile,
  lists: PartnerCodeLists,
): Promise<CanonicalMessage> {
  const root = await parseXmlSafely(bytes, profile.limits);
  return checkDecoded(readMessage(root, lists, profile.wire.namespace), profile);
}
