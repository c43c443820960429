import { parseXmlSafely, type XmlElement } from '@aeo/codecs';
import {
  GatewayError,
  SCHEMA_VERSION,
  type CanonicalMessage,
  type Envelope,
  type MessageType,
} from '@aeo/domain';
import { checkDecoded, compact } from '../common/decoded-message.js';
import { BODY_CHILDREN, decodeBody } from './eaeu-body-decoders.js';
import type { EaeuContext } from './eaeu-context.js';
import { HEADER_CHILDREN, aeo, ccdo, csdo, messageTypeOfRoot } from './eaeu-format.js';
import { programmeOfParticipant } from './eaeu-participants.js';
import { booleanOf, instantOf, uuidOf } from './eaeu-values.js';
import { allowOnlyChildren, optionalChild, requiredChild, textOf } from './eaeu-xml-reader.js';

/**
 * Partner bytes → canonical message: hardened parse, namespace, root → message type, the
 * document header, the body of that type, and finally the canonical schema and business rules.
 */
export async function decodeEaeuMessage(bytes: Uint8Array, context: EaeuContext): Promise<CanonicalMessage> {
  const root = await parseXmlSafely(bytes, context.profile.limits);
  root.expectNamespace(context.profile.wire.namespace);
  const messageType = messageTypeOfRoot(root.name);
  if (!messageType)
    throw new GatewayError('WRONG_ROOT_ELEMENT', `${root.name} is not a message of this format`, root.path);
  allowOnlyChildren(root, [...HEADER_CHILDREN, ...BODY_CHILDREN[messageType]]);
  const envelope = decodeEnvelope(root, messageType, context);
  const body = decodeBody(root, messageType, context);
  return checkDecoded({ envelope, body } as CanonicalMessage, context.profile);
}

function decodeEnvelope(root: XmlElement, messageType: MessageType, context: EaeuContext): Envelope {
  const header = allowOnlyChildren(requiredChild(root, ccdo('EDocHeader')), [
    csdo('InfEnvelopeCode'),
    csdo('EDocCode'),
    csdo('EDocId'),
    csdo('EDocRefId'),
    csdo('EDocDateTime'),
  ]);
  expectCode(
    requiredChild(header, csdo('InfEnvelopeCode')),
    context.documentCodes.message[messageType],
    root.name,
  );
  expectCode(
    requiredChild(header, csdo('EDocCode')),
    context.documentCodes.structure[messageType],
    root.name,
  );
  const correlation = optionalChild(header, csdo('EDocRefId'));
  return compact<Envelope>({
    messageId: uuidOf(requiredChild(header, csdo('EDocId'))),
    correlationId: correlation && uuidOf(correlation),
    sender: programmeOfParticipant(requiredChild(root, aeo('SenderParticipantDetails'))),
    recipient: programmeOfParticipant(requiredChild(root, aeo('RecipientParticipantDetails'))),
    createdAt: instantOf(requiredChild(header, csdo('EDocDateTime'))),
    messageType,
    schemaVersion: SCHEMA_VERSION,
    environment: booleanOf(requiredChild(root, aeo('PilotExchangeIndicator'))) ? 'pilot' : 'production',
  });
}

/** The header's message and structure codes must be the ones configured for the root's message type. */
function expectCode(element: XmlElement, expected: string, rootName: string): void {
  const actual = textOf(element);
  if (actual !== expected) {
    throw new GatewayError(
      'INVALID_VALUE',
      `${element.name} '${actual}' does not belong to ${rootName} (expected '${expected}')`,
      element.path,
    );
  }
}
