import type { IdentifierRule } from './identifier-rule.js';
import { CN_CUSTOMS_CODE, CN_USCC } from './cn.js';
import { EAEU_CERTIFICATE } from './eaeu.js';
import { KR_BRN } from './kr.js';
import { KZ_BIN, KZ_IIN } from './kz-bin-iin.js';
import { TR_TCKN, TR_VKN } from './tr.js';

export * from './identifier-rule.js';
export * from './kz-bin-iin.js';
export * from './cn.js';
export * from './tr.js';
export * from './eaeu.js';
export * from './kr.js';

/** Trader-id schemes with a fixed rule. Partner-assigned schemes (YFKS, MID) are free text. */
export const TRADER_ID_RULES: Readonly<Record<string, IdentifierRule>> = Object.freeze({
  'KZ-BIN': KZ_BIN,
  'KZ-IIN': KZ_IIN,
  'CN-CUSTOMS10': CN_CUSTOMS_CODE,
  'CN-USCC18': CN_USCC,
  'TR-VKN': TR_VKN,
  'TR-TCKN': TR_TCKN,
  'KR-BRN': KR_BRN,
  'EAEU-AEO': EAEU_CERTIFICATE,
});

/** Schemes whose values are assigned by a partner and have no checkable structure. */
export const FREE_FORM_TRADER_ID_SCHEMES = ['TR-YFKS', 'US-MID', 'KR-OTPC', 'EU-EORI', 'OTHER'] as const;

export const TRADER_ID_SCHEMES = [...Object.keys(TRADER_ID_RULES), ...FREE_FORM_TRADER_ID_SCHEMES];
