import { describe, expect, it } from '@jest/globals';
import type { Environment } from '@aeo/domain';
import type { IdRange } from './history-watermark.js';
import { RecognitionIndex } from './recognition-index.js';
import type {
  CurrentFacts,
  HistoryChange,
  PartnerDataTime,
  RecognitionSource,
} from './recognition-source.js';
import { registerKeyString, type RegisterFacts, type RegisterKey } from './register-facts.js';
import { facts } from '../../../../test/registry/support/recognition-builders.js';

/** The two register tables in memory, with ids handed out before commit as PostgreSQL does. */
class MemorySource implements RecognitionSource {
  private nextId = 1;
  readonly committed: HistoryChange[] = [];
  readonly current = new Map<string, CurrentFacts>();
  queries = 0;
  failing = false;

  /** Take an id now, commit later: returns the commit. */
  reserve(version: RegisterFacts, environment: Environment = 'production'): () => void {
    const id = this.nextId++;
    return () => {
      this.committed.push({
        id,
        environment,
        programme: version.programme,
        aeoIdNormalized: version.aeoIdNormalized,
        change: 'APPLIED',
        storedAt: version.storedAt,
        source: version.source,
        facts: version,
      });
      this.current.set(registerKeyString(environment, version.programme, version.aeoIdNormalized), {
        environment,
        facts: version,
      });
    };
  }

  write(version: RegisterFacts, environment: Environment = 'production'): void {
    this.reserve(version, environment)();
  }

  private read<T>(value: T): Promise<T> {
    this.queries++;
    return this.failing ? Promise.reject(new Error('connection refused')) : Promise.resolve(value);
  }

  maxHistoryId() {
    return this.read(Math.max(0, ...this.committed.map((c) => c.id)));
  }
  historyIdsAbove(floor: number) {
    return this.read(
      this.sorted()
        .filter((c) => c.id > floor)
        .map((c) => c.id),
    );
  }
  loadCurrent() {
    return this.read([...this.current.values()]);
  }
  currentOf(keys: readonly RegisterKey[]) {
    return this.read(
      keys.flatMap(
        (k) => this.current.get(registerKeyString(k.environment, k.programme, k.aeoIdNormalized)) ?? [],
      ),
    );
  }
  historyAfter(afterId: number, limit: number) {
    return this.read(
      this.sorted()
        .filter((c) => c.id > afterId)
        .slice(0, limit),
    );
  }
  historyInRanges(ranges: readonly IdRange[]) {
    if (ranges.length === 0) return Promise.resolve([]);
    return this.read(this.sorted().filter((c) => ranges.some((r) => r.from <= c.id && c.id <= r.to)));
  }
  versionsAsOf(key: RegisterKey, atMillis: number) {
    return this.read(
      this.sorted()
        .filter(
          (c) =>
            c.facts &&
            c.programme === key.programme &&
            c.aeoIdNormalized === key.aeoIdNormalized &&
            c.storedAt <= atMillis,
        )
        .map((c) => c.facts!)
        .reverse(),
    );
  }
  partnerDataTimes() {
    const times = new Map<string, PartnerDataTime>();
    for (const c of this.committed) {
      const key = `${c.environment}/${c.source}`;
      if (c.storedAt > (times.get(key)?.storedAt ?? -1))
        times.set(key, { environment: c.environment, partner: c.source, storedAt: c.storedAt });
    }
    return this.read([...times.values()]);
  }
  partnerDataTimeAsOf(environment: Environment, partner: string, atMillis: number) {
    const times = this.committed
      .filter((c) => c.environment === environment && c.source === partner && c.storedAt <= atMillis)
      .map((c) => c.storedAt);
    return this.read(times.length ? Math.max(...times) : undefined);
  }
  private sorted() {
    return [...this.committed].sort((a, b) => a.id - b.id);
  }
}

function setup(intervalMs = 1_000) {
  const source = new MemorySource();
  let now = 1_000_000;
  const index = new RecognitionIndex(source, { coherenceIntervalMs: intervalMs, clock: () => now });
  return { source, index, advance: (ms: number) => (now += ms) };
}

const sync = (index: RecognitionIndex) => index.syncIfDue() ?? Promise.resolve();
const statusOf = (index: RecognitionIndex, id: string) => index.current('production', 'CN-GACC', id)?.status;

describe('recognition index', () => {
  it("loads the current register and the partners' last data times", async () => {
    const { source, index } = setup();
    source.write(facts({ aeoIdNormalized: 'CN0000000001', storedAt: 10 }));
    source.write(facts({ aeoIdNormalized: 'CN0000000002', storedAt: 20, source: 'cn' }));
    source.write(facts({ aeoIdNormalized: 'CN0000000003', storedAt: 30 }), 'pilot');
    await index.start();
    expect(index.size).toBe(3);
    expect(index.partnerDataAt('production', 'cn')).toBe(20);
    expect(index.partnerDataAt('pilot', 'cn')).toBe(30);
    expect(index.changeCounter).toBe(3);
  });

  it('asks the database at most once per interval, and not at all in between', async () => {
    const { source, index, advance } = setup(1_000);
    await index.start();
    const afterLoad = source.queries;
    expect(index.syncIfDue()).toBeUndefined();
    advance(999);
    expect(index.syncIfDue()).toBeUndefined();
    advance(1);
    const check = index.syncIfDue();
    expect(check).toBeDefined();
    expect(index.syncIfDue()).toBe(check); // concurrent lookups share one check
    await check;
    expect(source.queries).toBe(afterLoad + 1);
  });

  it("applies another instance's change at the next check, and never an older version over a newer one", async () => {
    const { source, index, advance } = setup();
    source.write(facts({ recordVersion: 1, storedAt: 10 }));
    await index.start();
    const late = source.reserve(facts({ recordVersion: 2, status: 'SUSPENDED', storedAt: 40 }));
    source.write(facts({ recordVersion: 3, status: 'REVOKED', storedAt: 50 }));
    expect(statusOf(index, 'CN4403960001')).toBe('ACTIVE');
    advance(1_000);
    await sync(index);
    expect(statusOf(index, 'CN4403960001')).toBe('REVOKED');
    expect(index.partnerDataAt('production', 'cn')).toBe(50);
    late();
    advance(1_000);
    await sync(index);
    expect(statusOf(index, 'CN4403960001')).toBe('REVOKED');
  });

  it('sees a row whose id was taken before a later id that committed first', async () => {
    const { source, index, advance } = setup();
    await index.start();
    const slow = source.reserve(facts({ aeoIdNormalized: 'CN0000000100', status: 'REVOKED' }));
    source.write(facts({ aeoIdNormalized: 'CN0000000101' }));
    advance(1_000);
    await sync(index);
    expect(index.changeCounter).toBe(2);
    expect(statusOf(index, 'CN0000000100')).toBeUndefined();
    slow();
    advance(1_000);
    await sync(index);
    expect(statusOf(index, 'CN0000000100')).toBe('REVOKED');
  });

  it('finds at start-up a row still uncommitted when the load ran', async () => {
    const { source, index, advance } = setup();
    const slow = source.reserve(facts({ aeoIdNormalized: 'CN0000000200' }));
    source.write(facts({ aeoIdNormalized: 'CN0000000201' }));
    await index.start();
    slow();
    advance(1_000);
    await sync(index);
    expect(statusOf(index, 'CN0000000200')).toBe('ACTIVE');
  });

  it('reloads invalidated keys on the next lookup, without waiting for the interval', async () => {
    const { source, index } = setup(60_000);
    source.write(facts({ recordVersion: 1 }));
    await index.start();
    // An in-process writer changed the record (here straight in the table) and says so.
    source.current.set(registerKeyString('production', 'CN-GACC', 'CN4403960001'), {
      environment: 'production',
      facts: facts({ recordVersion: 2, status: 'REVOKED' }),
    });
    index.invalidate([{ environment: 'production', programme: 'CN-GACC', aeoIdNormalized: 'CN4403960001' }]);
    const pending = index.syncIfDue();
    expect(pending).toBeDefined();
    await pending;
    expect(statusOf(index, 'CN4403960001')).toBe('REVOKED');
  });

  it('fails lookups with TRANSIENT_FAILURE while the database cannot be read, then recovers', async () => {
    const { source, index, advance } = setup();
    await index.start();
    source.failing = true;
    advance(1_000);
    await expect(sync(index)).rejects.toMatchObject({ code: 'TRANSIENT_FAILURE' });
    // Within the interval the failure stands, without hammering the database.
    const queries = source.queries;
    await expect(sync(index)).rejects.toMatchObject({ code: 'TRANSIENT_FAILURE' });
    expect(source.queries).toBe(queries);
    source.failing = false;
    advance(1_000);
    await sync(index);
    expect(index.syncIfDue()).toBeUndefined();
  });

  it('keeps invalidated keys for the next check when a check fails', async () => {
    const { source, index, advance } = setup();
    source.write(facts({ recordVersion: 1 }));
    await index.start();
    source.current.set(registerKeyString('production', 'CN-GACC', 'CN4403960001'), {
      environment: 'production',
      facts: facts({ recordVersion: 2, status: 'SUSPENDED' }),
    });
    index.invalidate([{ environment: 'production', programme: 'CN-GACC', aeoIdNormalized: 'CN4403960001' }]);
    source.failing = true;
    await expect(sync(index)).rejects.toMatchObject({ code: 'TRANSIENT_FAILURE' });
    source.failing = false;
    advance(1_000);
    await sync(index);
    expect(statusOf(index, 'CN4403960001')).toBe('SUSPENDED');
  });
});
