/**
 * Authorisation types per programme (domain.md §2, §7.1). Kazakhstan is an EAEU member, so
 * its AEOs hold EAEU certificates of type 1, 2 or 3; the home programme therefore uses the
 * EAEU list.
 */
export const AUTHORISATION_TYPES = [
  'EAEU_TYPE1',
  'EAEU_TYPE2',
  'EAEU_TYPE3',
  'CN_ADVANCED_CERTIFIED',
  'CN_CERTIFIED',
  'KR_A',
  'KR_AA',
  'KR_AAA',
  'TR_AEO',
  'EU_AEOC',
  'EU_AEOS',
  'EU_AEOF',
] as const;

export type AuthorisationType = (typeof AUTHORISATION_TYPES)[number];

export function isAuthorisationType(value: unknown): value is AuthorisationType {
  return typeof value === 'string' && (AUTHORISATION_TYPES as readonly string[]).includes(value);
}
