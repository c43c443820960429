import { checkDigitError, digitsOf, formatError, type IdentifierRule } from './identifier-rule.js';

/**
 * Korea. The layout of the KCS "AEO ID" is not public (domain.md §2), so it is a pattern
 * rule built from the partner profile: a regular expression whose first capture group is
 * the significant part, and a template for the canonical spelling (`$1` is that group).
 */
export interface PatternRuleSpec {
  readonly scheme: string;
  readonly description: string;
  readonly pattern: string;
  readonly normalisedTemplate: string;
}

export function patternRule(spec: PatternRuleSpec): IdentifierRule {
  const regex = new RegExp(spec.pattern, 'u');
  return {
    scheme: spec.scheme,
    description: spec.description,
    normalise(raw) {
      const match = regex.exec(raw.trim().toUpperCase());
      if (!match) throw formatError(spec.scheme, raw, `matching ${spec.pattern}`);
      const normalised = spec.normalisedTemplate.replace(/\$(\d)/g, (_, n: string) => match[Number(n)] ?? '');
      return { scheme: spec.scheme, raw, normalised };
    },
  };
}

/**
 * Korean business registration number (사업자등록번호): 10 digits; weights 1,3,7,1,3,7,1,3,5
 * plus the tens digit of (9th digit × 5); the check digit brings the sum to a multiple of 10.
 */
export function krBrnCheckDigit(first9: string): number {
  const d = digitsOf(first9);
  const weights = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  let sum = d.reduce((acc, digit, i) => acc + digit * weights[i], 0);
  sum += Math.floor((d[8] * 5) / 10);
  return (10 - (sum % 10)) % 10;
}

export const KR_BRN: IdentifierRule = {
  scheme: 'KR-BRN',
  description: 'Korea business registration number, 10 digits with check digit',
  normalise(raw) {
    const value = raw.trim().replace(/-/g, '');
    if (!/^\d{10}$/.test(value)) throw formatError('KR-BRN', raw, '10 digits (dashes allowed)');
    if (krBrnCheckDigit(value.slice(0, 9)) !== Number(value[9])) throw checkDigitError('KR-BRN', raw);
    return { scheme: 'KR-BRN', raw, normalised: value };
  },
};
