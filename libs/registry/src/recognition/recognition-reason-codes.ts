/**
 * Why a recognition on arrival came out the way it did. Like the domain's reason codes these
 * cross organisation boundaries (the risk system stores them, the audit log keeps them), so
 * a code is never renamed or reused. They live here, not in libs/domain, because only a
 * recognition decision produces them; the eight status codes repeat the AeoStatus names on
 * purpose, so a status maps to its reason one to one.
 */
export const RECOGNITION_REASON_CODES = [
  // The only code with recognised = true.
  'ACTIVE',
  // The status in effect at arrival (AeoStatus other than ACTIVE); EXPIRED also when validUntil has passed.
  'SUSPENDED',
  'REVOKED',
  'SURRENDERED',
  'ANNULLED',
  'EXPIRED',
  'EXCLUDED',
  'CONSENT_WITHDRAWN',
  // validFrom, or the record's only known status, starts after the arrival date.
  'NOT_YET_VALID',
  // Well-formed for a partner programme, but that register holds no such AEO (as of arrival).
  'NOT_FOUND',
  // The record's programme or authorisation type is outside the MRA's inbound scope.
  'NOT_COVERED_BY_MRA',
  // The partner's MRA is not open on the arrival date (state or inForceFrom/inForceUntil).
  'MRA_NOT_IN_FORCE',
  // No partner programme's identifier rule accepts the declared id (see detail.code).
  'INVALID_IDENTIFIER',
  // A bare code (no prefix) that several partner registers hold: the declarant must say which.
  'AMBIGUOUS_IDENTIFIER',
  // A role was declared and the AEO is not authorised for it.
  'ROLE_NOT_COVERED',
] as const;

export type RecognitionReasonCode = (typeof RECOGNITION_REASON_CODES)[number];

export function isRecognitionReasonCode(value: unknown): value is RecognitionReasonCode {
  return typeof value === 'string' && (RECOGNITION_REASON_CODES as readonly string[]).includes(value);
}
