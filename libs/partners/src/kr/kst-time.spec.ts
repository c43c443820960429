import { describe, expect, it } from '@jest/globals';
import { GatewayError } from '@aeo/domain';
import { compactToIsoDate, isoToCompactDate, kstToUtc, utcToKst } from './kst-time.js';

function codeOf(action: () => unknown): string {
  try {
    action();
    return 'ACCEPTED';
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return error.code;
  }
}

describe('KST date-times on the KCS wire', () => {
  it.each([
    ['2024-06-03T09:30:00+09:00', '2024-06-03T00:30:00Z'],
    ['2024-06-03T08:00:00+09:00', '2024-06-02T23:00:00Z'],
    ['2025-01-01T00:00:00+09:00', '2024-12-31T15:00:00Z'],
    ['2024-03-01T05:00:00+09:00', '2024-02-29T20:00:00Z'],
    ['2024-06-04T15:12:02.480+09:00', '2024-06-04T06:12:02.480Z'],
    ['2024-06-04T15:12:02.5+09:00', '2024-06-04T06:12:02.5Z'],
  ])('%s is %s and back', (kst, utc) => {
    expect(kstToUtc(kst, '/x')).toBe(utc);
    expect(utcToKst(utc, '/x')).toBe(kst);
  });

  it.each([
    ['2024-06-03T00:30:00Z'],
    ['2024-06-03T09:30:00+08:00'],
    ['2024-06-03T09:30:00+0900'],
    ['2024-06-03T09:30:00'],
    ['2024-02-30T09:30:00+09:00'],
    ['2024-06-03T24:00:00+09:00'],
    ['2024-06-03T09:60:00+09:00'],
    ['0000-01-01T05:00:00+09:00'],
    [''],
  ])('rejects %j with INVALID_DATE at the given path', (value) => {
    try {
      kstToUtc(value, '/header/send_dt');
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).toJSON()).toMatchObject({
        code: 'INVALID_DATE',
        path: '/header/send_dt',
      });
    }
  });

  it('refuses to write an instant that has no four-digit KST year', () => {
    expect(codeOf(() => utcToKst('9999-12-31T20:00:00Z', '/envelope/createdAt'))).toBe('CANNOT_ENCODE');
  });
});

describe('compact calendar dates', () => {
  it('converts YYYYMMDD both ways without shifting the day', () => {
    expect(compactToIsoDate('20240229', '/d')).toBe('2024-02-29');
    expect(isoToCompactDate('2024-02-29')).toBe('20240229');
  });

  it.each(['20230229', '2024-02-29', '2024021', '20241301', 'yyyymmdd'])('rejects %s', (value) => {
    expect(codeOf(() => compactToIsoDate(value, '/d'))).toBe('INVALID_DATE');
  });
});
