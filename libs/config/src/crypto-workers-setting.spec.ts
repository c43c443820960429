import { describe, expect, it } from '@jest/globals';
import { defaultCryptoWorkers, loadGatewaySettings } from './gateway-settings.js';

describe('MRA_CRYPTO_WORKERS', () => {
  it('defaults to the cores beyond two, at most four: none on the 2-core machines the benchmarks ran on', () => {
    expect([1, 2, 3, 4, 6, 16].map(defaultCryptoWorkers)).toEqual([0, 0, 1, 2, 4, 4]);
  });

  it('takes an explicit count, 0 included', () => {
    expect(loadGatewaySettings({ MRA_CRYPTO_WORKERS: '0' }).cryptoWorkers).toBe(0);
    expect(loadGatewaySettings({ MRA_CRYPTO_WORKERS: '3' }).cryptoWorkers).toBe(3);
  });

  it('refuses a value that is not a count from 0 to 16, naming the setting', () => {
    for (const value of ['-1', '17', 'two', '1.5']) expect(() => loadGatewaySettings({ MRA_CRYPTO_WORKERS: value })).toThrow(/MRA_CRYPTO_WORKERS/);
  });
});
