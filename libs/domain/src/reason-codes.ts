/**
 * Stable reason codes. They cross process and organisation boundaries (receipts, audit
 * entries, CLI exit reports, partner logs), so a code is never renamed or reused: add new
 * ones, deprecate old ones. Grouped by the layer that raises them.
 */
export const REASON_CODES = [
  // Transport-level input hygiene
  'PAYLOAD_TOO_LARGE',
  'INVALID_ENCODING',
  'MALFORMED_XML',
  'MALFORMED_JSON',
  'XML_DTD_FORBIDDEN',
  'XML_ENTITY_FORBIDDEN',
  'NESTING_TOO_DEEP',
  'FORBIDDEN_KEY',
  // Structure and schema
  'WRONG_NAMESPACE',
  'WRONG_ROOT_ELEMENT',
  'MISSING_REQUIRED_FIELD',
  'UNEXPECTED_FIELD',
  'SCHEMA_VIOLATION',
  'INVALID_DATE',
  'INVALID_VALUE',
  'UNSUPPORTED_MESSAGE_TYPE',
  'UNSUPPORTED_SCHEMA_VERSION',
  // Code lists and identifiers
  'UNKNOWN_STATUS_CODE',
  'UNKNOWN_AUTHORISATION_TYPE',
  'UNKNOWN_ROLE_CODE',
  'UNKNOWN_PROGRAMME',
  'IDENTIFIER_FORMAT',
  'IDENTIFIER_CHECK_DIGIT',
  // Business rules
  'BUSINESS_RULE_VIOLATION',
  'CHUNK_OUT_OF_RANGE',
  'WRONG_RECIPIENT',
  'WRONG_ENVIRONMENT',
  'CANNOT_ENCODE',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number] | (string & { readonly __extension?: never });

export function isKnownReasonCode(code: string): code is (typeof REASON_CODES)[number] {
  return (REASON_CODES as readonly string[]).includes(code);
}
