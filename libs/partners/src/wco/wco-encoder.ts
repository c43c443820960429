import { assertValidCanonical, node, type XmlTreeSerializer } from '@aeo/codecs';
import type { CanonicalMessage } from '@aeo/domain';
import type { EncodeResult, MappingLoss } from '../partner-adapter.js';
import { writeBody } from './wco-body-writer.js';
import type { WcoContext } from './wco-context.js';
import { writeHeader } from './wco-header.js';
import { ROOT_ELEMENT_OF } from './wco-vocabulary.js';

/**
 * Canonical message → WCO-REF bytes. Only valid canonical messages are written, so what goes
 * out always validates against the XSD; the one value the format may refuse is an AEO id
 * longer than R143 allows (CANNOT_ENCODE).
 */
export function encodeWco(
  message: CanonicalMessage,
  context: WcoContext,
  serializer: XmlTreeSerializer,
): EncodeResult {
  assertValidCanonical(message, context.idRules);
  const losses: MappingLoss[] = [];
  const root = node(
    ROOT_ELEMENT_OF[message.envelope.messageType],
    [writeHeader(message.envelope), ...writeBody(message, context, losses)],
    { xmlns: context.profile.wire.namespace },
  );
  return { bytes: serializer.serialize(root), losses };
}
