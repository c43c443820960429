import { describe, expect, it } from '@jest/globals';
import { partnerPublicJwks } from '../../../test/trust/support/trust-fixtures.js';
import { ownKeyExpiry } from './key-expiry.js';
import type { OwnKeyRecord } from './own-key.js';
import { PartnerKeyRegistry } from './partner-key-registry.js';
import { trustHealth } from './trust-health.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const day = (n: number) => new Date(NOW.getTime() + n * 86_400_000);

function own(
  kid: string,
  activates: number,
  retires: number,
  extra: Partial<OwnKeyRecord> = {},
): OwnKeyRecord {
  return {
    kid,
    type: 'sig-es256',
    alg: 'ES256',
    use: 'sig',
    createdAt: day(activates),
    activatesAt: day(activates),
    retiresAt: day(retires),
    publicJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' },
    ...extra,
  };
}

describe('key expiry for health output', () => {
  it.each([
    [40, null],
    [30, 30],
    [20, 30],
    [14, 14],
    [8, 14],
    [7, 7],
    [2, 7],
    [1, 1],
    [0.5, 1],
  ])('a key retiring in %d days without a successor warns at %p', (days, warning) => {
    const [expiry] = ownKeyExpiry([own('k', -100, days)], NOW);
    expect(expiry).toMatchObject({
      owner: 'home',
      kid: 'k',
      daysToExpiry: Math.floor(days),
      warning,
      state: 'active',
      hasSuccessor: false,
    });
  });

  it('does not warn when a rotation has already scheduled the successor', () => {
    const expiries = ownKeyExpiry([own('old', -300, 5), own('new', 1, 366)], NOW);
    expect(expiries.find((e) => e.kid === 'old')).toMatchObject({
      warning: null,
      hasSuccessor: true,
      daysToExpiry: 5,
    });
    expect(expiries.find((e) => e.kid === 'new')).toMatchObject({ state: 'pending', warning: null });
  });

  it('leaves revoked keys out', () => {
    expect(ownKeyExpiry([own('gone', -10, 300, { revokedAt: day(-1) })], NOW)).toEqual([]);
  });

  it('reports partner keys too, and says when a partner key is about to retire', async () => {
    const keys = partnerPublicJwks('cn').keys.map((k) =>
      k.alg === 'ES256' ? { ...k, mra_retires_at: '2026-03-10T00:00:00Z' } : k,
    );
    const registry = await PartnerKeyRegistry.fromJwks({ cn: { keys } });
    const health = trustHealth([own('ours', -10, 300)], registry, ['ES256'], NOW);
    expect(health.status).toBe('warn');
    expect(health.problems).toEqual([
      'cn key cn-sim-sig-es256-2025 retires in 9 day(s) and has no successor',
    ]);
    expect(health.keys.filter((k) => k.owner === 'cn')).toHaveLength(5);
    expect(health.keys.find((k) => k.owner === 'cn' && k.alg === 'EdDSA')).toMatchObject({
      daysToExpiry: null,
      warning: null,
    });
  });

  it('is down when a partner needs an algorithm we hold no active key for', async () => {
    const health = trustHealth(
      [own('ours', -10, 300)],
      await PartnerKeyRegistry.fromJwks({}),
      ['ES256', 'PS256'],
      NOW,
    );
    expect(health).toMatchObject({ status: 'down', problems: ['no active PS256 signing key'] });
  });
});
