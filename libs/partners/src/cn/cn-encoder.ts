import { assertValidCanonical, leaf, node, XmlStringSerializer, type XmlNodeSpec, type XmlTreeSerializer } from '@aeo/codecs';
import {
  GatewayError,
  type CanonicalMessage,
  type MessageBodies,
  type MessageType,
  type SnapshotBody,
} from '@aeo/domain';
import type { PartnerCodeLists } from '../common/code-lists.js';
import { idRuleOptions } from '../common/decoded-message.js';
import type { EncodeOptions, EncodeResult } from '../partner-adapter.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { readMessage } from './cn-decoder.js';
import { cnLossExplainer } from './cn-loss-reasons.js';
import { enterpriseNode, roleCodeIfAny } from './cn-record-encoder.js';
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
import { dateToWire, instantToWire } from './cn-wire-values.js';
import { toXmlElement } from './in-memory-xml.js';
import { readBackLosses } from './read-back-losses.js';

type BodyWriter<T extends MessageType> = (
  body: MessageBodies[T],
  lists: PartnerCodeLists,
) => (XmlNodeSpec | undefined)[];

const records = (list: SnapshotBody['records'], lists: PartnerCodeLists) =>
  list.map((record, i) => enterpriseNode(record, `/body/records/${i}`, lists));

const BODY_WRITERS: { readonly [T in MessageType]: BodyWriter<T> } = {
  AEO_SNAPSHOT: (body, lists) => [
    leaf('ListId', body.snapshotId),
    leaf('IssuingCustoms', CUSTOMS_CODES.toWire(body.programme, '/body/programme')),
    leaf('AsOfTime', instantToWire(body.asOf, '/body/asOf')),
    leaf('PartNo', body.chunkIndex),
    leaf('PartTotal', body.chunkCount),
    ...records(body.records, lists),
  ],
  AEO_STATUS_DELTA: (body, lists) => [
    leaf('IssuingCustoms', CUSTOMS_CODES.toWire(body.programme, '/body/programme')),
    ...records(body.records, lists),
  ],
  AEO_LOOKUP_REQUEST: (body, lists) => [
    leaf('AeoCode', body.aeoId),
    leaf('DeclarationNo', body.declarationRef),
    leaf('RoleCode', body.role && roleCodeIfAny(body.role, '/body/role', lists)),
  ],
  AEO_LOOKUP_RESPONSE: (body, lists) => [
    leaf('QueryMessageId', body.requestMessageId),
    leaf('ResultFlag', QUERY_RESULT_FLAGS.toWire(body.found ? 'found' : 'not-found', '/body/found')),
    body.record && enterpriseNode(body.record, '/body/record', lists),
  ],
  RECEIPT: (body) => [
    leaf('ReceivedMessageId', body.receivedMessageId),
    leaf('ReceivedSha256', body.receivedSha256),
    leaf('ResultCode', RECEIPT_RESULT_CODES.toWire(body.outcome, '/body/outcome')),
    leaf('ErrorCode', body.reasonCode),
    leaf('ErrorInfo', body.reasonText),
    ...body.recordResults.map((result, i) =>
      node('RecordResult', [
        leaf('AeoCode', result.aeoId),
        leaf('ResultCode', RECORD_RESULT_CODES.toWire(result.outcome, `/body/recordResults/${i}/outcome`)),
        leaf('ErrorCode', result.reasonCode),
      ]),
    ),
  ],
  IRREGULARITY_NOTICE: (body) => [
    leaf('AeoCode', body.aeoId),
    leaf('CaseNo', body.reference),
    leaf('FoundDate', dateToWire(body.observedOn)),
    leaf('Description', body.description),
  ],
};

/** The whole document as a tree, children in XSD order. */
export function messageNode(
  message: CanonicalMessage,
  lists: PartnerCodeLists,
  namespace: string,
): XmlNodeSpec {
  const e = message.envelope;
  const writeBody = BODY_WRITERS[e.messageType] as BodyWriter<MessageType>;
  return node(
    ROOT_ELEMENT,
    [
      node('MessageHead', [
        leaf('MessageId', e.messageId),
        leaf('RefMessageId', e.correlationId),
        leaf('MessageType', MESSAGE_TYPE_CODES.toWire(e.messageType, '/envelope/messageType')),
        leaf('SenderCustoms', CUSTOMS_CODES.toWire(e.sender, '/envelope/sender')),
        leaf('ReceiverCustoms', CUSTOMS_CODES.toWire(e.recipient, '/envelope/recipient')),
        leaf('SendTime', instantToWire(e.createdAt, '/envelope/createdAt')),
        leaf('Version', e.schemaVersion),
        leaf('TestFlag', TEST_FLAGS.toWire(e.environment, '/envelope/environment')),
      ]),
      node('MessageBody', [node(BODY_ELEMENTS[e.messageType], writeBody(message.body, lists))]),
    ],
    { xmlns: namespace },
  );
}

/** Read the tree back with the decoder's own mapping; anything it refuses, the format cannot carry. */
function readBack(tree: XmlNodeSpec, lists: PartnerCodeLists, namespace: string): CanonicalMessage {
  try {
    return readMessage(toXmlElement(tree, namespace), lists, namespace);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    throw new GatewayError(
      'CANNOT_ENCODE',
      `the GACC format cannot carry this message: ${error.message}`,
      error.path,
      { cause: error },
    );
  }
}

const DEFAULT_SERIALIZER: XmlTreeSerializer = new XmlStringSerializer();

/**
 * Canonical → GACC XML. With full checks (the default) the message is validated first (we
 * never send what we would refuse), and losses are every difference between the message and
 * its read-back. Trusted input (our own validated register, see EncodeOptions) skips both:
 * they were 16 % and 18 % of a snapshot chunk's encode, and the read-back refuses nothing the
 * tree builder above has not already refused (test/outbound checks trusted and full agree).
 */
export function encodeCnMessage(
  message: CanonicalMessage,
  profile: PartnerProfile,
  lists: PartnerCodeLists,
  options: EncodeOptions = {},
  serializer: XmlTreeSerializer = DEFAULT_SERIALIZER,
): EncodeResult {
  const full = options.checks !== 'trusted';
  if (full) assertValidCanonical(message, idRuleOptions(profile));
  const namespace = profile.wire.namespace;
  const tree = messageNode(message, lists, namespace);
  const losses = full ? readBackLosses(message, readBack(tree, lists, namespace), cnLossExplainer(profile)) : [];
  return { bytes: serializer.serialize(tree), losses };
}
