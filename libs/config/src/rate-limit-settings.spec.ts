import { describe, expect, it } from '@jest/globals';
import { loadGatewaySettings } from './gateway-settings.js';
import { SettingError } from './env-settings.js';

describe('rate-limit settings', () => {
  it('defaults leave the risk system room for recognition at 2,000/s and keep everyone else modest', () => {
    const { rateLimits } = loadGatewaySettings({});
    expect(rateLimits['risk-system']).toBeGreaterThanOrEqual(3_000);
    expect(rateLimits).toMatchObject({ operator: 50, auditor: 50, 'security-officer': 50 });
    expect(rateLimits.unauthenticated).toBeLessThan(rateLimits.operator);
    expect(rateLimits.public).toBeGreaterThan(rateLimits.operator);
  });

  it('reads each limit from its own variable', () => {
    const { rateLimits } = loadGatewaySettings({
      MRA_RATE_LIMIT_OPERATOR: '7',
      MRA_RATE_LIMIT_AUDITOR: '8',
      MRA_RATE_LIMIT_RISK_SYSTEM: '9000',
      MRA_RATE_LIMIT_SECURITY_OFFICER: '10',
      MRA_RATE_LIMIT_UNAUTHENTICATED: '2',
      MRA_RATE_LIMIT_PUBLIC: '1000',
    });
    expect(rateLimits).toEqual({ operator: 7, auditor: 8, 'risk-system': 9000, 'security-officer': 10, unauthenticated: 2, public: 1000 });
  });

  it.each([['0'], ['-5'], ['1.5'], ['fast'], ['1000001']])('refuses %s requests per second, naming the setting', (value) => {
    expect(() => loadGatewaySettings({ MRA_RATE_LIMIT_RISK_SYSTEM: value })).toThrow(SettingError);
    expect(() => loadGatewaySettings({ MRA_RATE_LIMIT_RISK_SYSTEM: value })).toThrow(/^MRA_RATE_LIMIT_RISK_SYSTEM: expected an integer from 1 to 1000000/);
  });
});
