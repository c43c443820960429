import { checkDigitError, digitsOf, formatError, type IdentifierRule } from './identifier-rule.js';

/**
 * Kazakhstan BIN (legal entities) and IIN (individuals): 12 digits, the last a check digit.
 * The check is a weighted sum mod 11 with weights 1..11; if that gives 10, the sum is
 * recomputed with weights 3..11,1,2; a second 10 means the number cannot be valid.
 */
const FIRST_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

export function kzCheckDigit(first11: string): number | undefined {
  const digits = digitsOf(first11);
  const weighted = (weights: number[]) => digits.reduce((sum, d, i) => sum + d * weights[i], 0) % 11;
  const first = weighted(FIRST_WEIGHTS);
  if (first !== 10) return first;
  const second = weighted(SECOND_WEIGHTS);
  return second === 10 ? undefined : second;
}

function kzRule(scheme: 'KZ-BIN' | 'KZ-IIN', description: string): IdentifierRule {
  return {
    scheme,
    description,
    normalise(raw) {
      const value = raw.trim();
      if (!/^\d{12}$/.test(value)) throw formatError(scheme, raw, '12 digits');
      if (kzCheckDigit(value.slice(0, 11)) !== Number(value[11])) throw checkDigitError(scheme, raw);
      return { scheme, raw, normalised: value };
    },
  };
}

export const KZ_BIN = kzRule('KZ-BIN', 'Kazakhstan business identification number, 12 digits with check digit');
export const KZ_IIN = kzRule('KZ-IIN', 'Kazakhstan individual identification number, 12 digits with check digit');
