import { parseXmlSafely, type XmlElement } from '@aeo/codecs';
import { GatewayError, type CanonicalMessage } from '@aeo/domain';
import { checkDecoded } from '../common/decoded-message.js';
import { readBody } from './wco-body-reader.js';
import type { WcoContext } from './wco-context.js';
import { readHeader } from './wco-header.js';
import { BODY_CHILDREN, messageTypeOfRoot } from './wco-vocabulary.js';

/**
 * WCO-REF bytes → canonical message. Hardened parsing first (size, UTF-8, no DTD or entities,
 * depth), then the namespace, then mapping with element paths, and last the canonical schema
 * and business rules (checkDecoded), so nothing half-mapped ever leaves.
 */
export async function decodeWco(bytes: Uint8Array, context: WcoContext): Promise<CanonicalMessage> {
  const { profile } = context;
  const root = await parseXmlSafely(bytes, profile.limits);
  expectNamespaceThroughout(root.expectNamespace(profile.wire.namespace), profile.wire.namespace);
  const messageType = messageTypeOfRoot(root.name);
  if (messageType === undefined) {
    throw new GatewayError(
      'WRONG_ROOT_ELEMENT',
      `${root.name} is not a WCO-REF message root element`,
      root.path,
    );
  }
  root.allowOnly(['Header', ...BODY_CHILDREN[messageType]]);
  const envelope = readHeader(root, messageType);
  const body = readBody(root, messageType, context);
  return checkDecoded({ envelope, body } as CanonicalMessage, profile);
}

/**
 * Readers match local names, so an element from another vocabulary that happens to share a
 * name (an ICS2 `ID`, say) would otherwise pass as ours.
 */
function expectNamespaceThroughout(element: XmlElement, namespace: string): void {
  for (const child of element.children)
    expectNamespaceThroughout(child.expectNamespace(namespace), namespace);
}
