import { describe, expect, it } from '@jest/globals';
import { statusAsOf } from './status-as-of.js';
import { facts } from '../../../../test/registry/support/recognition-builders.js';

describe('the status in effect at arrival', () => {
  it('is nothing when no version was stored by then', () => {
    expect(statusAsOf([], '2024-06-10')).toEqual({ kind: 'none' });
  });

  it('is the newest stored version whose status has begun', () => {
    const v1 = facts({ recordVersion: 1, status: 'ACTIVE', statusEffectiveFrom: '2024-01-15' });
    const v2 = facts({ recordVersion: 2, status: 'SUSPENDED', statusEffectiveFrom: '2024-06-01' });
    expect(statusAsOf([v1, v2], '2024-06-10')).toMatchObject({
      kind: 'effective',
      status: 'SUSPENDED',
      version: v2,
      basis: 'AS_STORED',
    });
    // On the first day of the suspension it already applies (dates are inclusive).
    expect(statusAsOf([v2, v1], '2024-06-01')).toMatchObject({ status: 'SUSPENDED' });
  });

  it('ignores a status announced for a later date and uses the previous stored version', () => {
    const v1 = facts({ recordVersion: 1, status: 'ACTIVE', statusEffectiveFrom: '2024-01-15' });
    const v2 = facts({ recordVersion: 2, status: 'REVOKED', statusEffectiveFrom: '2024-07-01' });
    expect(statusAsOf([v2, v1], '2024-06-30')).toMatchObject({
      kind: 'effective',
      status: 'ACTIVE',
      version: v1,
      basis: 'LATER_STATUS_NOT_YET_EFFECTIVE',
    });
    expect(statusAsOf([v2, v1], '2024-07-01')).toMatchObject({ status: 'REVOKED', version: v2 });
  });

  it('walks back over several announced changes', () => {
    const v1 = facts({ recordVersion: 1, status: 'ACTIVE', statusEffectiveFrom: '2024-01-15' });
    const v2 = facts({
      recordVersion: 2,
      status: 'SUSPENDED',
      statusEffectiveFrom: '2024-07-01',
      statusEffectiveTo: '2024-07-31',
    });
    const v3 = facts({ recordVersion: 3, status: 'REVOKED', statusEffectiveFrom: '2024-09-01' });
    expect(statusAsOf([v1, v2, v3], '2024-06-15')).toMatchObject({ status: 'ACTIVE', version: v1 });
    expect(statusAsOf([v1, v2, v3], '2024-07-15')).toMatchObject({ status: 'SUSPENDED', version: v2 });
  });

  it('has no status when the only stored status starts after arrival', () => {
    const v1 = facts({ recordVersion: 1, statusEffectiveFrom: '2024-07-01' });
    expect(statusAsOf([v1], '2024-06-30')).toEqual({ kind: 'not-yet-effective', version: v1 });
  });

  it('treats a suspension that ended before arrival as lifted', () => {
    const v2 = facts({
      recordVersion: 2,
      status: 'SUSPENDED',
      statusEffectiveFrom: '2024-05-01',
      statusEffectiveTo: '2024-05-31',
    });
    expect(statusAsOf([v2], '2024-05-31')).toMatchObject({ status: 'SUSPENDED' });
    expect(statusAsOf([v2], '2024-06-01')).toMatchObject({
      kind: 'effective',
      status: 'ACTIVE',
      basis: 'SUSPENSION_ENDED',
      version: v2,
    });
  });

  it('expires an active status whose end date has passed', () => {
    const v1 = facts({ status: 'ACTIVE', statusEffectiveTo: '2024-05-31' });
    expect(statusAsOf([v1], '2024-06-01')).toMatchObject({ status: 'EXPIRED', basis: 'ACTIVE_PERIOD_ENDED' });
  });

  it.each(['REVOKED', 'SURRENDERED', 'ANNULLED', 'EXPIRED', 'EXCLUDED'] as const)(
    'never lapses %s back into benefits',
    (status) => {
      const v = facts({ status, statusEffectiveFrom: '2024-05-01', statusEffectiveTo: '2024-05-31' });
      expect(statusAsOf([v], '2024-06-15')).toMatchObject({ status, basis: 'AS_STORED' });
    },
  );
});
