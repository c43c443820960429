import { checkDigitError, formatError, type IdentifierRule } from './identifier-rule.js';

/**
 * China customs enterprise code: 10 digits, no public check digit. Partners see it as
 * `AEOCN`+10 (Belarus, UAE, ...), `CN`+10 (EU) or bare; the canonical spelling is `CN`+10
 * (domain.md §7.4).
 */
export const CN_CUSTOMS_CODE: IdentifierRule = {
  scheme: 'CN-CUSTOMS10',
  description: 'China customs enterprise code: AEOCN+10, CN+10 or 10 digits, normalised to CN+10',
  normalise(raw) {
    const match = /^(?:AEOCN|CN)?(\d{10})$/.exec(raw.trim().toUpperCase());
    if (!match) throw formatError('CN-CUSTOMS10', raw, "10 digits, optionally prefixed 'CN' or 'AEOCN'");
    return { scheme: 'CN-CUSTOMS10', raw, normalised: `CN${match[1]}` };
  },
};

/**
 * Unified Social Credit Code (GB 32100-2015): 18 characters from a 31-symbol alphabet
 * without I, O, Z, S, V; the last is a mod-31 check character over weights 3^i mod 31.
 */
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

export const CN_USCC: IdentifierRule = {
  scheme: 'CN-USCC18',
  description: 'China Unified Social Credit Code, 18 characters with GB 32100 check character',
  normalise(raw) {
    const value = raw.trim().toUpperCase();
    if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(value)) {
      throw formatError('CN-USCC18', raw, '18 characters of the GB 32100 alphabet');
    }
    if (usccCheckCharacter(value.slice(0, 17)) !== value[17]) throw checkDigitError('CN-USCC18', raw);
    return { scheme: 'CN-USCC18', raw, normalised: value };
  },
};
