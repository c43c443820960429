import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { OutboundMessageEntity } from '@aeo/exchange';
import { DEFAULT_TOPOLOGY } from '@aeo/messaging';
import { loadMraConfigs } from '@aeo/registry';
import { ExchangeRuntime } from '@aeo/runtime';
import { openGatewayDatabase } from '@aeo/schema';
import { loadPartnerKeyRegistry, systemClock } from '@aeo/trust';
import type { DataSource } from 'typeorm';
import { homeRecord } from '../support/builders.js';
import { DATABASES, type TestDatabase } from '../support/databases.js';
import { testHomeKeyRing } from '../support/test-keys.js';

jest.setTimeout(60_000);

describe.each(DATABASES)('scheduled snapshots on %s', (_kind, createDatabase) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const runtimes: ExchangeRuntime[] = [];

  beforeAll(async () => {
    db = await createDatabase();
    dataSource = await openGatewayDatabase(db.url);
    const mra = loadMraConfigs();
    const keyRing = await testHomeKeyRing();
    const partnerKeys = await loadPartnerKeyRegistry({ partners: [...mra.keys()] });
    // Two gateway instances sharing one database.
    for (let i = 0; i < 2; i++) {
      runtimes.push(new ExchangeRuntime({ dataSource, amqpUrl: 'amqp://unused', topology: { ...DEFAULT_TOPOLOGY, prefix: 'sched' }, mra, keyRing, partnerKeys, clock: systemClock }));
    }
    const { recordVersion: _v, lastChangedAt: _t, ...change } = homeRecord({}, 3);
    await runtimes[0].homeRegister.change([change], 'test');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('sends each partner its snapshot at its cron minute, from exactly one of two instances', async () => {
    // config/mra: eaeu at 01:00, cn at 02:00 UTC.
    const at = new Date('2026-12-01T01:00:20Z');
    const results = await Promise.all(runtimes.map((r) => r.runScheduledSnapshots(at)));
    expect(results.flat()).toEqual(['eaeu']);
    expect(await runtimes[0].runScheduledSnapshots(new Date('2026-12-01T01:00:40Z'))).toEqual([]);
    expect(await runtimes[1].runScheduledSnapshots(new Date('2026-12-01T01:05:00Z'))).toEqual([]);
    const snapshots = await dataSource.getRepository(OutboundMessageEntity).findBy({ messageType: 'AEO_SNAPSHOT' });
    expect(snapshots.map((s) => s.partner)).toEqual(['eaeu']);
    expect(await runtimes[1].runScheduledSnapshots(new Date('2026-12-01T02:00:00Z'))).toEqual(['cn']);
  });
});
