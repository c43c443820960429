import { describe, expect, it } from '@jest/globals';
import { GatewayError } from '../gateway-error.js';
import { CN_CUSTOMS_CODE, CN_USCC } from './cn.js';
import { EAEU_CERTIFICATE, parseEaeuCertificate } from './eaeu.js';
import { KR_BRN, patternRule } from './kr.js';
import { KZ_BIN, KZ_IIN, kzCheckDigit } from './kz-bin-iin.js';
import { TR_TCKN, TR_VKN } from './tr.js';
import type { IdentifierRule } from './identifier-rule.js';

function codeOf(rule: IdentifierRule, raw: string): string {
  try {
    rule.normalise(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return (error as GatewayError).code;
  }
  return 'VALID';
}

const cases: Array<[IdentifierRule, string, string, string?]> = (<Array<[IdentifierRule, string, string, string?]>>[
  // [rule, raw, expected code or VALID, expected normalised]
  [KZ_BIN, '990740000683', 'VALID', '990740000683'],
  [KZ_BIN, '080140001560', 'VALID', '080140001560'],
  [KZ_BIN, '990740000684', 'IDENTIFIER_CHECK_DIGIT'],
  [KZ_BIN, '99074000068', 'IDENTIFIER_FORMAT'],
  [KZ_BIN, '99074000068A', 'IDENTIFIER_FORMAT'],
  [KZ_IIN, '990740000683', 'VALID', '990740000683'],
  [CN_CUSTOMS_CODE, 'AEOCN0123456789', 'VALID', 'CN0123456789'],
  [CN_CUSTOMS_CODE, 'CN0123456789', 'VALID', 'CN0123456789'],
  [CN_CUSTOMS_CODE, '0123456789', 'VALID', 'CN0123456789'],
  [CN_CUSTOMS_CODE, 'aeocn0123456789', 'VALID', 'CN0123456789'],
  [CN_CUSTOMS_CODE, 'CN012345678', 'IDENTIFIER_FORMAT'],
  [CN_CUSTOMS_CODE, 'KR0123456789', 'IDENTIFIER_FORMAT'],
  [CN_USCC, '91350100M000100Y43', 'VALID', '91350100M000100Y43'],
  [CN_USCC, '91350100M000100Y44', 'IDENTIFIER_CHECK_DIGIT'],
  [CN_USCC, '91350100M000100Y4I', 'IDENTIFIER_FORMAT'],
  [CN_USCC, '91350100M000100Y4', 'IDENTIFIER_FORMAT'],
  [TR_VKN, '1234567890', 'VALID', '1234567890'],
  [TR_VKN, '0000000001', 'VALID', '0000000001'],
  [TR_VKN, '1234567891', 'IDENTIFIER_CHECK_DIGIT'],
  [TR_VKN, '123456789', 'IDENTIFIER_FORMAT'],
  [TR_TCKN, '10000000146', 'VALID', '10000000146'],
  [TR_TCKN, '10000000147', 'IDENTIFIER_CHECK_DIGIT'],
  [TR_TCKN, '10000000156', 'IDENTIFIER_CHECK_DIGIT'],
  [TR_TCKN, '01000000146', 'IDENTIFIER_FORMAT'],
  [KR_BRN, '120-81-47521', 'VALID', '1208147521'],
  [KR_BRN, '1208147522', 'IDENTIFIER_CHECK_DIGIT'],
  [KR_BRN, '12081475', 'IDENTIFIER_FORMAT'],
  [EAEU_CERTIFICATE, 'KZ/0001/ТИП 3', 'VALID', 'KZ/0001/ТИП 3'],
  [EAEU_CERTIFICATE, 'by/0042/tip 2', 'VALID', 'BY/0042/ТИП 2'],
  [EAEU_CERTIFICATE, 'RU / 12345 / ТИП1', 'VALID', 'RU/12345/ТИП 1'],
  [EAEU_CERTIFICATE, 'UZ/0001/ТИП 3', 'IDENTIFIER_FORMAT'],
  [EAEU_CERTIFICATE, 'KZ/0001/ТИП 4', 'IDENTIFIER_FORMAT'],
  [EAEU_CERTIFICATE, 'KZ/0001/TYPE 3', 'IDENTIFIER_FORMAT'],
  [EAEU_CERTIFICATE, 'KZ-0001-ТИП 3', 'IDENTIFIER_FORMAT'],
]).map(([rule, raw, code, normalised]) => [rule, raw, code, normalised ?? '']);
// Every row has four cells: jest passes a done callback in place of a missing one.

describe('identifier rules', () => {
  it.each(cases)('%# %s → %s', (rule, raw, expected, normalised) => {
    expect(codeOf(rule, raw)).toBe(expected);
    if (normalised) expect(rule.normalise(raw).normalised).toBe(normalised);
  });

  it('rejects a KZ number whose both weighted sums give 10', () => {
    // Search the space for a prefix that has no valid check digit and confirm it is never accepted.
    let prefix: string | undefined;
    for (let n = 0; n < 1_000_000 && !prefix; n++) {
      const candidate = String(n).padStart(11, '0');
      if (kzCheckDigit(candidate) === undefined) prefix = candidate;
    }
    expect(prefix).toBeDefined();
    for (let d = 0; d <= 9; d++) expect(codeOf(KZ_BIN, `${prefix}${d}`)).toBe('IDENTIFIER_CHECK_DIGIT');
  });

  it('parses the parts of an EAEU certificate number', () => {
    expect(parseEaeuCertificate('KG/77/TIP 1')).toEqual({ country: 'KG', serial: '77', type: 1 });
  });

  it('builds a configurable pattern rule with a normalisation template', () => {
    const rule = patternRule({ scheme: 'X', description: 'x', pattern: '^(?:AEO)?(\\d{4})$', normalisedTemplate: 'XX$1' });
    expect(rule.normalise('aeo1234').normalised).toBe('XX1234');
    expect(codeOf(rule, '123')).toBe('IDENTIFIER_FORMAT');
  });

  it('keeps error messages bounded and on one line for hostile input', () => {
    try {
      KZ_BIN.normalise(`1\n${'9'.repeat(5000)}`);
      throw new Error('accepted');
    } catch (error) {
      expect((error as GatewayError).message.length).toBeLessThan(120);
      expect((error as GatewayError).message).not.toContain('\n');
    }
  });
});
