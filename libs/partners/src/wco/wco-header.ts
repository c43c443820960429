import { leaf, node, type XmlElement, type XmlNodeSpec } from '@aeo/codecs';
import { ENVIRONMENTS, GatewayError, MESSAGE_TYPES, type Envelope, type MessageType } from '@aeo/domain';
import { compact } from '../common/decoded-message.js';
import { readCode, readInstant, readLeaf, readOptionalText, readProgramme, readText } from './wco-values.js';
import { HEADER_CHILDREN, ROOT_ELEMENT_OF } from './wco-vocabulary.js';

/**
 * The Header carries every envelope field. MessageTypeCode repeats what the root element says;
 * the two must agree, so a message cannot be routed as one type and read as another.
 */
export function readHeader(root: XmlElement, rootType: MessageType): Envelope {
  const header = root.required('Header').allowOnly(HEADER_CHILDREN);
  const messageType = readCode(header, 'MessageTypeCode', MESSAGE_TYPES, 'UNSUPPORTED_MESSAGE_TYPE');
  if (messageType !== rootType) {
    throw new GatewayError(
      'INVALID_VALUE',
      `MessageTypeCode ${messageType} does not match root element ${ROOT_ELEMENT_OF[rootType]}`,
      readLeaf(header, 'MessageTypeCode').path,
    );
  }
  return compact({
    messageId: readText(header, 'MessageID'),
    correlationId: readOptionalText(header, 'CorrelationID'),
    sender: readProgramme(header, 'SenderProgrammeCode'),
    recipient: readProgramme(header, 'RecipientProgrammeCode'),
    createdAt: readInstant(header, 'CreationDateTime'),
    messageType,
    schemaVersion: readText(header, 'SchemaVersionID'),
    environment: readCode(header, 'EnvironmentCode', ENVIRONMENTS, 'INVALID_VALUE'),
  });
}

export function writeHeader(envelope: Envelope): XmlNodeSpec {
  return node('Header', [
    leaf('MessageID', envelope.messageId),
    leaf('CorrelationID', envelope.correlationId),
    leaf('SenderProgrammeCode', envelope.sender),
    leaf('RecipientProgrammeCode', envelope.recipient),
    leaf('CreationDateTime', envelope.createdAt),
    leaf('MessageTypeCode', envelope.messageType),
    leaf('SchemaVersionID', envelope.schemaVersion),
    leaf('EnvironmentCode', envelope.environment),
  ]);
}
