/**
 * Issue #9 item 3 (e): ordering. Any permutation of versioned updates for a few AEOs,
 * applied through foreignRegister.apply on SQLite in random batch splits (one transaction
 * per batch, or several batches in one), ends with every AEO at its highest version and
 * that version's content. On the way, every update is reported APPLIED exactly when it is
 * newer than everything seen before for its AEO, and the history holds exactly those.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import type { AeoRecord, AeoStatus } from '@aeo/domain';
import { openDataSource } from '@aeo/persistence';
import { foreignRegister, REGISTRY_ENTITIES, REGISTRY_MIGRATIONS } from '@aeo/registry';
import type { DataSource } from 'typeorm';
import { homeRecord } from '../support/builders.js';
import { createSqliteDatabase, type TestDatabase } from '../support/databases.js';
import { fuzzParameters } from './support/fuzz-parameters.js';

jest.setTimeout(60_000);

const STATUSES: AeoStatus[] = ['ACTIVE', 'SUSPENDED', 'ACTIVE', 'REVOKED', 'ACTIVE', 'EXPIRED'];

/** Version `version` of the fictional Chinese AEO number `aeo`; content depends on both. */
function update(aeo: number, version: number): AeoRecord {
  const code = String(1_000_000_000 + aeo);
  return {
    ...homeRecord(),
    programme: 'CN-GACC',
    aeoId: `AEOCN${code}`,
    aeoIdNormalized: `CN${code}`,
    traderIds: [],
    authorisationType: 'CN_ADVANCED_CERTIFIED',
    status: STATUSES[(aeo + version) % STATUSES.length],
    statusReason: `version ${version} of AEO ${aeo}`,
    recordVersion: version,
    lastChangedAt: `2024-06-01T10:${String(version % 60).padStart(2, '0')}:00Z`,
  };
}

/** Which AEOs, with which versions (gaps allowed), possibly some sent twice. */
const updatesArb = fc
  .array(fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }), {
    minLength: 1,
    maxLength: 4,
  })
  .chain((versionsPerAeo) => {
    const all = versionsPerAeo.flatMap((versions, aeo) => versions.map((version) => ({ aeo, version })));
    return fc.record({
      versionsPerAeo: fc.constant(versionsPerAeo),
      // Every update, in any order, some of them delivered twice (a redelivery).
      order: fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
      redelivered: fc.subarray(all, { maxLength: Math.min(3, all.length) }),
      cuts: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 30 }),
      sharedTransactions: fc.array(fc.boolean(), { maxLength: 30 }),
    });
  });

describe('foreign register: ordering under any permutation', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createSqliteDatabase();
    dataSource = await openDataSource({
      url: db.url,
      entities: REGISTRY_ENTITIES,
      migrations: REGISTRY_MIGRATIONS,
    });
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('ends with every AEO at its highest version, whatever the order and the batch split', async () => {
    await fc.assert(
      fc.asyncProperty(
        updatesArb,
        async ({ versionsPerAeo, order, redelivered, cuts, sharedTransactions }) => {
          await dataSource.query('DELETE FROM foreign_aeo');
          await dataSource.query('DELETE FROM foreign_aeo_history');
          // Redeliveries go anywhere after their first delivery: append them, then the split decides.
          const deliveries = [...order, ...redelivered].map(({ aeo, version }) => update(aeo, version));
          const batches: AeoRecord[][] = [];
          for (let i = 0, c = 0; i < deliveries.length; c++) {
            const size = cuts.length > 0 ? cuts[c % cuts.length] : deliveries.length;
            batches.push(deliveries.slice(i, i + size));
            i += size;
          }
          // The model: the newest version seen so far per AEO.
          const newest = new Map<string, number>();
          const expectedApplied: AeoRecord[] = [];
          const outcomes: string[] = [];
          const expectedOutcomes: string[] = [];
          for (const batch of batches) {
            for (const record of batch) {
              const seen = newest.get(record.aeoIdNormalized) ?? 0;
              const applied = record.recordVersion > seen;
              expectedOutcomes.push(applied ? 'APPLIED' : 'IGNORED_OLDER_VERSION');
              if (applied) {
                newest.set(record.aeoIdNormalized, record.recordVersion);
                expectedApplied.push(record);
              }
            }
          }
          // Batches applied one transaction each, or several together in one transaction.
          let storedAt = 0;
          for (let b = 0; b < batches.length;) {
            const group = [batches[b]];
            while (b + group.length < batches.length && sharedTransactions[b + group.length - 1])
              group.push(batches[b + group.length]);
            await dataSource.transaction(async (manager) => {
              for (const records of group) {
                const results = await foreignRegister.apply(manager, {
                  environment: 'production',
                  records,
                  source: 'cn',
                  sourceMessageId: null,
                  storedAt: storedAt++,
                });
                outcomes.push(...results.map((r) => r.outcome));
              }
            });
            b += group.length;
          }
          expect(outcomes).toEqual(expectedOutcomes);

          const stored = await foreignRegister.list(dataSource.manager, 'production', 'CN-GACC');
          expect(stored).toHaveLength(versionsPerAeo.length);
          for (const [aeo, versions] of versionsPerAeo.entries()) {
            const highest = Math.max(...versions);
            const found = stored.find((s) => s.record.aeoIdNormalized === `CN${1_000_000_000 + aeo}`);
            expect(found?.record).toEqual(update(aeo, highest));
          }
          // The history holds each applied version once per batch it won in (a key applied twice
          // in one batch is written once, at the newer version).
          const history = await dataSource.query<{ aeo_id_normalized: string; record_version: number }[]>(
            'SELECT aeo_id_normalized, record_version FROM foreign_aeo_history ORDER BY id',
          );
          const versionsInHistory = new Map<string, number[]>();
          for (const h of history)
            versionsInHistory.set(h.aeo_id_normalized, [
              ...(versionsInHistory.get(h.aeo_id_normalized) ?? []),
              Number(h.record_version),
            ]);
          for (const [key, versions] of versionsInHistory) {
            expect(versions).toEqual([...versions].sort((x, y) => x - y));
            expect(versions[versions.length - 1]).toBe(newest.get(key));
            for (const v of versions)
              expect(expectedApplied.some((r) => r.aeoIdNormalized === key && r.recordVersion === v)).toBe(
                true,
              );
          }
        },
      ),
      fuzzParameters(0x0e01, 100),
    );
  });
});
