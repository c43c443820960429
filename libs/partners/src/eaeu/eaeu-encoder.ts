import { assertValidCanonical, leaf, node, type XmlNodeSpec, type XmlTreeSerializer } from '@aeo/codecs';
import type { CanonicalMessage, Envelope } from '@aeo/domain';
import { idRuleOptions } from '../common/decoded-message.js';
import type { EncodeOptions, EncodeResult, MappingLoss } from '../partner-adapter.js';
import { encodeBody } from './eaeu-body-encoders.js';
import type { EaeuContext } from './eaeu-context.js';
import { NAMESPACE_DECLARATIONS, ROOT_ELEMENTS, aeo, ccdo, csdo } from './eaeu-format.js';
import { participantNode } from './eaeu-participants.js';

/**
 * Canonical message → partner bytes. The message is validated first, so the XML written is
 * always a valid document of the XSD; what the format cannot carry is listed in `losses`.
 * Trusted input (our own validated register, see EncodeOptions) skips the schema pass; the
 * losses here come from the mapping itself, so they are listed either way.
 */
export function encodeEaeuMessage(
  message: CanonicalMessage,
  context: EaeuContext,
  serializer: XmlTreeSerializer,
  options: EncodeOptions = {},
): EncodeResult {
  if (options.checks !== 'trusted') assertValidCanonical(message, idRuleOptions(context.profile));
  const losses: MappingLoss[] = [];
  const root = node(
    aeo(ROOT_ELEMENTS[message.envelope.messageType]).tag,
    [...headerNodes(message.envelope, context), ...encodeBody(message, context, losses)],
    { ...NAMESPACE_DECLARATIONS },
  );
  return { bytes: serializer.serialize(root), losses };
}

/** The XSD's DocumentHeaderGroup. Instants are already UTC in the canonical model and written as such. */
function headerNodes(envelope: Envelope, context: EaeuContext): XmlNodeSpec[] {
  const type = envelope.messageType;
  return [
    node(ccdo('EDocHeader').tag, [
      leaf(csdo('InfEnvelopeCode').tag, context.documentCodes.message[type]),
      leaf(csdo('EDocCode').tag, context.documentCodes.structure[type]),
      leaf(csdo('EDocId').tag, envelope.messageId),
      leaf(csdo('EDocRefId').tag, envelope.correlationId),
      leaf(csdo('EDocDateTime').tag, envelope.createdAt),
    ]),
    participantNode(aeo('SenderParticipantDetails').tag, envelope.sender, '/envelope/sender'),
    participantNode(aeo('RecipientParticipantDetails').tag, envelope.recipient, '/envelope/recipient'),
    leaf(aeo('PilotExchangeIndicator').tag, envelope.environment === 'pilot')!,
  ];
}
