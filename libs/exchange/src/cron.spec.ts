import { describe, expect, it } from '@jest/globals';
import { parseCron } from './cron.js';

describe('snapshot schedule cron', () => {
  it.each([
    ['0 2 * * *', '2026-11-28T02:00:00Z', true],
    ['0 2 * * *', '2026-11-28T02:01:00Z', false],
    ['*/15 * * * *', '2026-11-28T10:45:00Z', true],
    ['*/15 * * * *', '2026-11-28T10:46:00Z', false],
    ['0 3 * * 1-5', '2026-11-28T03:00:00Z', false], // a Saturday
    ['0 3 * * 1-5', '2026-11-30T03:00:00Z', true], // a Monday
    ['30 1 1,15 * *', '2026-11-15T01:30:00Z', true],
    ['0 0 * * 7', '2026-11-29T00:00:00Z', true], // Sunday written as 7
  ])('%s at %s → %s', (expression, at, expected) => {
    expect(parseCron(expression).matches(new Date(at))).toBe(expected);
  });

  it.each(['0 2 * *', '61 * * * *', '* 24 * * *', 'a * * * *', '5-1 * * * *', '*/0 * * * *'])('refuses %s', (expression) => {
    expect(() => parseCron(expression)).toThrow(/cron/);
  });
});
