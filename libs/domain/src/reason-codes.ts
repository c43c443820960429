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
  // Exchange
  'ILLEGAL_STATE_TRANSITION',
  'DUPLICATE_MESSAGE',
  'UNKNOWN_MESSAGE_REFERENCE',
  'RECEIPT_HASH_MISMATCH',
  'SENDER_MISMATCH',
  'MESSAGE_ID_MISMATCH',
  'MESSAGE_TYPE_MISMATCH',
  'TRANSIENT_FAILURE',
  'PUBLISH_FAILED',
  'RECEIPT_SLA_EXCEEDED',
  // Trust: JOSE signature, encryption, keys and replay defence (libs/trust). The verifier
  // raises them in the order of its checks; see libs/trust/README.md.
  'JWS_MALFORMED',
  'JWE_MALFORMED',
  'HEADER_CLAIM_MISSING',
  'HEADER_CLAIM_INVALID',
  'EMBEDDED_KEY_FORBIDDEN',
  'CRIT_MISSING',
  'CRIT_UNSUPPORTED',
  'PROFILE_VERSION_UNSUPPORTED',
  'ALG_NOT_ALLOWED',
  'KEY_UNKNOWN',
  'KEY_PARTNER_MISMATCH',
  'KEY_ALG_MISMATCH',
  'KEY_NOT_VALID_AT_IAT',
  'KEY_REVOKED',
  'SIGNATURE_INVALID',
  'ISSUER_MISMATCH',
  'AUDIENCE_MISMATCH',
  'CONTENT_TYPE_MISMATCH',
  'ISSUED_AT_IN_FUTURE',
  'MESSAGE_TOO_OLD',
  'REPLAYED_MESSAGE',
  'ENCRYPTION_REQUIRED',
  'JWE_ALG_NOT_ALLOWED',
  'JWE_KEY_UNKNOWN',
  'JWE_DECRYPTION_FAILED',
  'SIGNING_KEY_UNAVAILABLE',
  'ENCRYPTION_KEY_UNAVAILABLE',
  'PARTNER_KEYS_INVALID',
  // Operations API: answers of our HTTP API and CLI to our own staff and systems; never in a
  // receipt to a partner.
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'INTERNAL_ERROR',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number] | (string & { readonly __extension?: never });

export function isKnownReasonCode(code: string): code is (typeof REASON_CODES)[number] {
  return (REASON_CODES as readonly string[]).includes(code);
}
