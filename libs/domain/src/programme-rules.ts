import type { AuthorisationType } from './authorisation-type.js';
import type { Programme } from './programme.js';

/** Which authorisation types each programme issues. */
export const PROGRAMME_AUTHORISATION_TYPES: Readonly<Record<Programme, readonly AuthorisationType[]>> = {
  'KZ-SRC': ['EAEU_TYPE1', 'EAEU_TYPE2', 'EAEU_TYPE3'],
  'EAEU-AM': ['EAEU_TYPE1', 'EAEU_TYPE2', 'EAEU_TYPE3'],
  'EAEU-BY': ['EAEU_TYPE1', 'EAEU_TYPE2', 'EAEU_TYPE3'],
  'EAEU-KG': ['EAEU_TYPE1', 'EAEU_TYPE2', 'EAEU_TYPE3'],
  'EAEU-RU': ['EAEU_TYPE1', 'EAEU_TYPE2', 'EAEU_TYPE3'],
  'EAEU-EEC': [],
  'CN-GACC': ['CN_ADVANCED_CERTIFIED', 'CN_CERTIFIED'],
  'KR-KCS': ['KR_A', 'KR_AA', 'KR_AAA'],
  'TR-MOT': ['TR_AEO'],
  'WCO-REF': ['EU_AEOC', 'EU_AEOS', 'EU_AEOF', 'EAEU_TYPE1', 'EAEU_TYPE2', 'EAEU_TYPE3', 'CN_ADVANCED_CERTIFIED', 'CN_CERTIFIED', 'KR_A', 'KR_AA', 'KR_AAA', 'TR_AEO'],
};

/** For EAEU certificates, the type in the number must match the authorisation type. */
export function eaeuTypeOf(authorisationType: AuthorisationType): 1 | 2 | 3 | undefined {
  const match = /^EAEU_TYPE([123])$/.exec(authorisationType);
  return match ? (Number(match[1]) as 1 | 2 | 3) : undefined;
}
