import { describe, expect, it } from '@jest/globals';
import { mraCovers, mraOpenFor, partnerDataStale } from './mra-scope.js';
import { mraConfig } from '../../../../test/registry/support/recognition-builders.js';

describe('MRA scope', () => {
  it.each([
    ['in-force', 'production', true],
    ['pilot', 'production', true],
    ['negotiating', 'production', false],
    ['suspended', 'production', false],
    ['in-force', 'pilot', true],
    ['pilot', 'pilot', true],
    ['negotiating', 'pilot', true],
    ['suspended', 'pilot', false],
  ] as const)('an MRA %s is open in %s: %s', (state, environment, open) => {
    expect(mraOpenFor(mraConfig('cn', { state }), environment, '2024-06-10')).toBe(open);
  });

  it('holds production to the dates in force, and the pilot environment not', () => {
    const dated = mraConfig('cn', {
      state: 'in-force',
      inForceFrom: '2024-03-01',
      inForceUntil: '2024-12-31',
    });
    expect(mraOpenFor(dated, 'production', '2024-02-29')).toBe(false);
    expect(mraOpenFor(dated, 'production', '2024-03-01')).toBe(true);
    expect(mraOpenFor(dated, 'production', '2024-12-31')).toBe(true);
    expect(mraOpenFor(dated, 'production', '2025-01-01')).toBe(false);
    expect(mraOpenFor(dated, 'pilot', '2025-01-01')).toBe(true);
  });

  it('covers China advanced certified enterprises only', () => {
    const cn = mraConfig('cn');
    expect(mraCovers(cn, 'CN-GACC', 'CN_ADVANCED_CERTIFIED')).toBe(true);
    expect(mraCovers(cn, 'CN-GACC', 'CN_CERTIFIED')).toBe(false);
  });

  it('covers the EAEU members listed, and no other programme', () => {
    const eaeu = mraConfig('eaeu', { inbound: { recognisedProgrammes: ['EAEU-BY', 'EAEU-RU'] } });
    expect(mraCovers(eaeu, 'EAEU-BY', 'EAEU_TYPE1')).toBe(true);
    expect(mraCovers(eaeu, 'EAEU-AM', 'EAEU_TYPE3')).toBe(false);
  });

  it('calls data stale past the freshness SLA, or when none ever arrived', () => {
    const cn = mraConfig('cn', { freshnessSlaHours: 48 });
    const at = Date.parse('2024-06-10T12:00:00Z');
    expect(partnerDataStale(cn, at - 48 * 3_600_000, at)).toBe(false);
    expect(partnerDataStale(cn, at - 48 * 3_600_000 - 1, at)).toBe(true);
    expect(partnerDataStale(cn, undefined, at)).toBe(true);
  });
});
