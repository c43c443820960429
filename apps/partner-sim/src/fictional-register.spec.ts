import { describe, expect, it } from '@jest/globals';
import { assertValidCanonical } from '@aeo/codecs';
import { adapterFor, idRuleOptions } from '@aeo/partners';
import { randomUUID } from 'node:crypto';
import { fictionalRegister } from './fictional-register.js';

describe.each(['cn', 'kr', 'tr', 'eaeu'])('the simulated %s register', (partner) => {
  const adapter = adapterFor(partner);
  const records = fictionalRegister(adapter.profile.recordProgrammes, 40);

  it('is valid canonical data that the partner format carries without loss', async () => {
    const message = {
      envelope: {
        messageId: randomUUID(),
        sender: adapter.profile.programme,
        recipient: 'KZ-SRC' as const,
        createdAt: '2024-06-01T00:00:00Z',
        messageType: 'AEO_SNAPSHOT' as const,
        schemaVersion: '1.0',
        environment: 'production' as const,
      },
      body: { snapshotId: randomUUID(), programme: adapter.profile.programme, asOf: '2024-06-01T00:00:00Z', chunkIndex: 1, chunkCount: 1, records },
    };
    assertValidCanonical(message, idRuleOptions(adapter.profile));
    const { bytes, losses } = adapter.encode(message);
    expect(losses).toEqual([]);
    expect(await adapter.decode(bytes)).toEqual(message);
  });

  it('has distinct identifiers', () => {
    expect(new Set(records.map((r) => r.aeoIdNormalized)).size).toBe(records.length);
  });
});
