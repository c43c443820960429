/**
 * The readiness indicator for our own keys, over a real key store on disk: every key type
 * needs an active key (else down: we could not sign or be encrypted to), and a type whose
 * last active key retires within 30 days with no successor is a warning (degraded).
 */
import { describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { GatewaySettings } from '@aeo/config';
import type { ExchangeRuntime } from '@aeo/runtime';
import { KEY_TYPE_NAMES, KeyStore, type KeyType } from '@aeo/trust';
import type { DataSource } from 'typeorm';
import { ReadinessIndicators } from '../../apps/gateway/src/health/readiness.indicators.js';

jest.setTimeout(60_000);

const DAY_MS = 86_400_000;

async function storeWith(special: Partial<Record<KeyType, { activatesAt?: Date; lifetimeDays: number }>>): Promise<KeyStore> {
  const store = new KeyStore({ dir: mkdtempSync(join(tmpdir(), 'mra-key-readiness-')), passphrase: 'key-readiness-test-passphrase' });
  for (const type of KEY_TYPE_NAMES) await store.generate({ type, lifetimeDays: 365, ...special[type] });
  return store;
}

function keysIndicator(store: KeyStore) {
  // Only the key store is read by this indicator; the other dependencies are never touched.
  const indicators = new ReadinessIndicators(
    new HealthIndicatorService(),
    {} as DataSource,
    { topology: { prefix: 'unused' } } as ExchangeRuntime,
    store,
    { amqpUrl: 'amqp://127.0.0.1:1' } as GatewaySettings,
  );
  return indicators.ownKeys().keys as { status: string; message?: string; keys?: { type: string; daysLeft: number | null; successor: boolean }[] };
}

describe('readiness: our keys', () => {
  it('is up with every key type active for a year', async () => {
    const result = keysIndicator(await storeWith({}));
    expect(result.status).toBe('up');
    expect(result.keys?.map((k) => k.type).sort()).toEqual([...KEY_TYPE_NAMES].sort());
    for (const key of result.keys ?? []) expect(key.daysLeft).toBeGreaterThanOrEqual(364);
  });

  it('warns (degraded) when a key type retires within 30 days and nothing follows it', async () => {
    const result = keysIndicator(await storeWith({ 'sig-es256': { lifetimeDays: 10 } }));
    expect(result.status).toBe('degraded');
    expect(result.message).toContain('sig-es256');
    expect(result.keys?.find((k) => k.type === 'sig-es256')).toMatchObject({ daysLeft: 9, successor: false });
  });

  it('does not warn mid-rotation: the expiring key has a published successor', async () => {
    const store = await storeWith({ 'sig-es256': { lifetimeDays: 10 } });
    await store.rotate({ type: 'sig-es256', overlapHours: 24 });
    const result = keysIndicator(store);
    expect(result.status).toBe('up');
    expect(result.keys?.find((k) => k.type === 'sig-es256')).toMatchObject({ successor: true });
  });

  it('is down when a key type has no active key left (expired)', async () => {
    const result = keysIndicator(await storeWith({ 'enc-p256': { activatesAt: new Date(Date.now() - 400 * DAY_MS), lifetimeDays: 365 } }));
    expect(result.status).toBe('down');
    expect(result.message).toBe('no active key of type enc-p256');
    expect(result.keys?.find((k) => k.type === 'enc-p256')).toMatchObject({ daysLeft: null });
  });
});
