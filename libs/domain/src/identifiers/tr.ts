import { checkDigitError, digitsOf, formatError, type IdentifierRule } from './identifier-rule.js';

/**
 * Türkiye tax number (VKN, legal entities): 10 digits, the 10th a check digit computed
 * from the first nine by the Revenue Administration's published algorithm.
 */
export function vknCheckDigit(first9: string): number {
  const digits = digitsOf(first9);
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const shifted = (digits[i] + 9 - i) % 10;
    let part = (shifted * 2 ** (9 - i)) % 9;
    if (shifted !== 0 && part === 0) part = 9;
    sum += part;
  }
  return (10 - (sum % 10)) % 10;
}

export const TR_VKN: IdentifierRule = {
  scheme: 'TR-VKN',
  description: 'Türkiye tax number (VKN), 10 digits with check digit',
  normalise(raw) {
    const value = raw.trim();
    if (!/^\d{10}$/.test(value)) throw formatError('TR-VKN', raw, '10 digits');
    if (vknCheckDigit(value.slice(0, 9)) !== Number(value[9])) throw checkDigitError('TR-VKN', raw);
    return { scheme: 'TR-VKN', raw, normalised: value };
  },
};

/** T.C. identity number (TCKN, individuals): 11 digits, first not 0, two check digits. */
export function tcknCheckDigits(first9: string): [number, number] {
  const d = digitsOf(first9);
  const odd = d[0] + d[2] + d[4] + d[6] + d[8];
  const even = d[1] + d[3] + d[5] + d[7];
  const tenth = (((odd * 7 - even) % 10) + 10) % 10;
  const eleventh = (d.reduce((a, b) => a + b, 0) + tenth) % 10;
  return [tenth, eleventh];
}

export const TR_TCKN: IdentifierRule = {
  scheme: 'TR-TCKN',
  description: 'Türkiye identity number (TCKN), 11 digits, first not zero, two check digits',
  normalise(raw) {
    const value = raw.trim();
    if (!/^[1-9]\d{10}$/.test(value)) throw formatError('TR-TCKN', raw, '11 digits not starting with 0');
    const [tenth, eleventh] = tcknCheckDigits(value.slice(0, 9));
    if (tenth !== Number(value[9]) || eleventh !== Number(value[10])) throw checkDigitError('TR-TCKN', raw);
    return { scheme: 'TR-TCKN', raw, normalised: value };
  },
};
