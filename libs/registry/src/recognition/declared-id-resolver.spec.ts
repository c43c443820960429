import { describe, expect, it } from '@jest/globals';
import { DEFAULT_KR_AEO_ID } from '@aeo/domain';
import { DeclaredIdResolver } from './declared-id-resolver.js';
import { partnerProgrammesFromProfiles } from './partner-programmes.js';
import { TEST_PARTNERS, vkn } from '../../../../test/registry/support/recognition-builders.js';

const ALL = new Set(['eaeu', 'cn', 'kr', 'tr']);
const resolver = new DeclaredIdResolver(TEST_PARTNERS);
const readings = (raw: string, partners: ReadonlySet<string> = ALL) => {
  const result = resolver.identify(raw, partners);
  return result.kind === 'candidates'
    ? result.candidates.map((c) => `${c.partner}:${c.programme}:${c.aeoIdNormalized}`)
    : result.code;
};

describe('reading a declared AEO id', () => {
  it.each([
    ['AEOCN4403960001', ['cn:CN-GACC:CN4403960001']],
    ['CN4403960001', ['cn:CN-GACC:CN4403960001']],
    ['aeocn4403960001', ['cn:CN-GACC:CN4403960001']],
    [' CN4403960001 ', ['cn:CN-GACC:CN4403960001']],
    ['KR1048123454', ['kr:KR-KCS:KR1048123454']],
    ['AEOKR1048123454', ['kr:KR-KCS:KR1048123454']],
    ['TR1234567018', ['tr:TR-MOT:TR1234567018']],
    ['by/0042/tip 2', ['eaeu:EAEU-BY:BY/0042/ТИП 2']],
    ['RU / 12345 / ТИП1', ['eaeu:EAEU-RU:RU/12345/ТИП 1']],
  ])('%s has one reading', (raw, expected) => {
    expect(readings(raw)).toEqual(expected);
  });

  it('reads a bare 10-digit code as every programme that accepts it, normalised to each spelling', () => {
    // 4403960001 fails the Turkish VKN check digit, so China and Korea remain.
    expect(readings('4403960001')).toEqual(['cn:CN-GACC:CN4403960001', 'kr:KR-KCS:KR4403960001']);
    // 1234567018 is also a valid VKN.
    expect(readings('1234567018')).toEqual([
      'cn:CN-GACC:CN1234567018',
      'kr:KR-KCS:KR1234567018',
      'tr:TR-MOT:TR1234567018',
    ]);
  });

  it('tries only the programmes of partners that have an MRA configuration', () => {
    expect(readings('4403960001', new Set(['cn']))).toEqual(['cn:CN-GACC:CN4403960001']);
    expect(readings('KR1048123454', new Set(['cn', 'tr']))).toBe('IDENTIFIER_FORMAT');
  });

  it('reports a wrong check digit rather than a format error when a spelling fitted', () => {
    const stem = '123456701';
    const wrong = `TR${stem}${(Number(vkn(stem).slice(-1)) + 1) % 10}`;
    const result = resolver.identify(wrong, ALL);
    expect(result).toMatchObject({ kind: 'invalid', code: 'IDENTIFIER_CHECK_DIGIT' });
    expect(result.kind === 'invalid' && result.message).toContain('TR-MOT');
  });

  it.each([
    ['KZ/0001/ТИП 3'], // our own certificates are not a partner's AEOs
    ['UZ/0001/ТИП 3'],
    ['CN440396000'],
    ['JP1234567890'],
    [''],
    ['   '],
    ['C'.repeat(65)],
  ])('refuses %j as a format error', (raw) => {
    expect(readings(raw)).toBe('IDENTIFIER_FORMAT');
  });

  it('takes the Korean pattern and the programme list from the partner profiles', () => {
    const partners = partnerProgrammesFromProfiles();
    expect(partners.map((p) => p.partner)).toEqual(['eaeu', 'cn', 'kr', 'tr']);
    expect(partners.find((p) => p.partner === 'eaeu')!.programmes).toEqual([
      'EAEU-AM',
      'EAEU-BY',
      'EAEU-KG',
      'EAEU-RU',
    ]);
    expect(partners.find((p) => p.partner === 'kr')!.idRuleOptions.krAeoId?.pattern).toBe(
      DEFAULT_KR_AEO_ID.pattern,
    );
  });

  it('follows a configured Korean pattern', () => {
    const strict = new DeclaredIdResolver([
      {
        partner: 'kr',
        programmes: ['KR-KCS'],
        idRuleOptions: {
          krAeoId: {
            scheme: 'KR-AEO',
            description: 'prefix required',
            pattern: '^AEOKR(\\d{10})$',
            normalisedTemplate: 'KR$1',
          },
        },
      },
    ]);
    expect(strict.identify('AEOKR1048123454', ALL)).toMatchObject({
      kind: 'candidates',
      candidates: [{ aeoIdNormalized: 'KR1048123454' }],
    });
    expect(strict.identify('1048123454', ALL)).toMatchObject({ kind: 'invalid', code: 'IDENTIFIER_FORMAT' });
  });
});
