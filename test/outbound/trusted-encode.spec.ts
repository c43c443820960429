/**
 * Outbound deltas and snapshots encode with `checks: 'trusted'` (no schema pass, no read-back).
 * That is only sound if trusted and full encodes agree: the same bytes for everything full
 * accepts, and the same refusal (reason code and path) for everything it refuses.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { GatewayError, type AeoRecord, type CanonicalMessage } from '@aeo/domain';
import { adapterFor, type PartnerAdapter } from '@aeo/partners';
import { homeRecord, message } from '../support/builders.js';
import { listFixtures } from '../support/fixture-suite.js';

const PARTNERS = ['cn', 'eaeu', 'kr', 'tr', 'wco'];

function outcome(adapter: PartnerAdapter, canonical: CanonicalMessage, checks: 'full' | 'trusted'): unknown {
  try {
    return Buffer.from(adapter.encode(canonical, { checks }).bytes).toString('utf8');
  } catch (error) {
    if (error instanceof GatewayError) return { code: error.code, path: error.path };
    throw error;
  }
}

/** Our records as the home register holds them, including ones some format cannot carry. */
const OUR_RECORDS: [string, AeoRecord][] = [
  ['an ordinary record', homeRecord({}, 11)],
  ['no KZ-BIN (GACC keys on it)', homeRecord({ traderIds: [] }, 12)],
  ['consent withdrawn', homeRecord({ status: 'CONSENT_WITHDRAWN', consent: { granted: false, recordedOn: '2024-03-01' } }, 13)],
  ['a role only some formats have', homeRecord({ supplyChainRoles: ['GROUND_HANDLER'] }, 14)],
  ['suspended with a reason and an end', homeRecord({ status: 'SUSPENDED', statusReason: 'audit & review <pending>', statusEffectiveTo: '2025-01-31' }, 15)],
  ['valid until a date', homeRecord({ validUntil: '2029-12-31' }, 16)],
  ['a TR-YFKS trader id beside the BIN', homeRecord({ traderIds: [homeRecord({}, 18).traderIds[0], { scheme: 'TR-YFKS', value: 'YFKS-100018' }] }, 18)],
];

describe.each(PARTNERS)('trusted and full encodes agree for %s', (partner) => {
  const adapter = adapterFor(partner);

  it.each(listFixtures(partner).filter((f) => f.valid).map((f) => [f.file.split('/fixtures/')[1], f.file]))(
    'valid fixture %s: same bytes',
    async (_name, file) => {
      const canonical = await adapter.decode(readFileSync(file));
      const full = outcome(adapter, canonical, 'full');
      expect(typeof full).toBe('string');
      expect(outcome(adapter, canonical, 'trusted')).toEqual(full);
    },
  );

  it.each(OUR_RECORDS)('our delta with %s: same bytes or the same refusal', (_what, record) => {
    const delta = message('AEO_STATUS_DELTA', { programme: 'KZ-SRC', records: [record] }, { recipient: adapter.profile.programme });
    expect(outcome(adapter, delta, 'trusted')).toEqual(outcome(adapter, delta, 'full'));
  });

  it('our snapshot chunk: same bytes or the same refusal', () => {
    const carriable = OUR_RECORDS.map(([, r]) => r).filter((r) => typeof outcome(adapter, message('AEO_STATUS_DELTA', { programme: 'KZ-SRC', records: [r] }, { recipient: adapter.profile.programme }), 'full') === 'string');
    const chunk = message(
      'AEO_SNAPSHOT',
      { snapshotId: '0b9d1a52-5b8e-4d38-9b0c-1e4f1c7a2d11', programme: 'KZ-SRC', asOf: '2026-12-01T00:00:00Z', chunkIndex: 2, chunkCount: 3, records: carriable },
      { recipient: adapter.profile.programme },
    );
    expect(carriable.length).toBeGreaterThan(0);
    const full = outcome(adapter, chunk, 'full');
    expect(typeof full).toBe('string');
    expect(outcome(adapter, chunk, 'trusted')).toEqual(full);
  });
});

describe('trusted encode and losses', () => {
  it('cn lists losses only with full checks: they come from reading the output back', () => {
    const adapter = adapterFor('cn');
    const delta = message('AEO_STATUS_DELTA', { programme: 'KZ-SRC', records: [homeRecord({}, 17)] }, { recipient: adapter.profile.programme });
    expect(adapter.encode(delta, { checks: 'full' }).losses).not.toEqual([]);
    expect(adapter.encode(delta, { checks: 'trusted' }).losses).toEqual([]);
  });
});
