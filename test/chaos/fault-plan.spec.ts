/** The chaos suite's fault plan: reproducible from its seed, inside the stream, and only faults that fit the database. */
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SEED, chaosSettings, describePlan, faultsFor, planFaults, seededFraction } from './fault-plan.js';
import { testDatabaseName } from './faults.js';

const counts = { kill: 3, pgterm: 3, rabbit: 1 };

describe('the seeded fault plan', () => {
  it('is the same for the same seed and differs for another seed', () => {
    const plan = planFaults({ seed: 'replay-me', messages: 100_000, counts }, ['kill', 'pgterm', 'rabbit']);
    expect(planFaults({ seed: 'replay-me', messages: 100_000, counts }, ['kill', 'pgterm', 'rabbit'])).toEqual(plan);
    expect(planFaults({ seed: 'another', messages: 100_000, counts }, ['kill', 'pgterm', 'rabbit'])).not.toEqual(plan);
  });

  it('holds the requested number of each fault, in firing order, between 10% and 85% of the stream', () => {
    const plan = planFaults({ seed: DEFAULT_SEED, messages: 100_000, counts }, ['kill', 'pgterm', 'rabbit']);
    expect(plan.map((f) => `${f.kind}#${f.ordinal}`).sort()).toEqual(['kill#1', 'kill#2', 'kill#3', 'pgterm#1', 'pgterm#2', 'pgterm#3', 'rabbit#1']);
    expect(plan.map((f) => f.at)).toEqual([...plan.map((f) => f.at)].sort((a, b) => a - b));
    for (const fault of plan) {
      expect(fault.at).toBeGreaterThanOrEqual(10_000);
      expect(fault.at).toBeLessThan(85_000);
    }
  });

  it('keeps the points of one kind of fault when another kind is disabled, so a partial run replays the same kills', () => {
    const full = planFaults({ seed: 's', messages: 5_000, counts }, ['kill', 'pgterm', 'rabbit']);
    const withoutRabbit = planFaults({ seed: 's', messages: 5_000, counts }, ['kill', 'pgterm']);
    expect(withoutRabbit).toEqual(full.filter((f) => f.kind !== 'rabbit'));
  });

  it('draws fractions spread over [0, 1)', () => {
    const fractions = Array.from({ length: 1_000 }, (_, i) => seededFraction('spread', String(i)));
    expect(Math.min(...fractions)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...fractions)).toBeLessThan(1);
    // Each tenth of the interval gets some of a thousand draws.
    expect(new Set(fractions.map((f) => Math.floor(f * 10))).size).toBe(10);
  });

  it('terminates database connections on PostgreSQL only', () => {
    expect(faultsFor('sqlite', ['kill', 'pgterm', 'rabbit'])).toEqual(['kill', 'rabbit']);
    expect(faultsFor('postgres', ['kill', 'pgterm', 'rabbit'])).toEqual(['kill', 'pgterm', 'rabbit']);
  });

  it('prints as kind#n@point', () => {
    expect(describePlan([{ kind: 'kill', ordinal: 2, at: 1234 }])).toBe('kill#2@1234');
    expect(describePlan([])).toBe('(no faults)');
  });
});

describe('the chaos settings', () => {
  it('default to the issue: 100,000 messages, every fault, both databases, a fixed seed', () => {
    expect(chaosSettings({})).toEqual({ seed: DEFAULT_SEED, messages: 100_000, faults: ['kill', 'pgterm', 'rabbit'], counts, databases: ['sqlite', 'postgres'], cryptoWorkers: 0 });
  });

  it('take the faults, counts, databases and seed from the environment', () => {
    expect(chaosSettings({ CHAOS_FAULTS: 'pgterm, kill', CHAOS_KILLS: '5', CHAOS_MESSAGES: '2000', CHAOS_DATABASES: 'postgres', CHAOS_SEED: 'x1', CHAOS_CRYPTO_WORKERS: '2' })).toEqual({
      seed: 'x1',
      messages: 2_000,
      faults: ['kill', 'pgterm'],
      counts: { ...counts, kill: 5 },
      databases: ['postgres'],
      cryptoWorkers: 2,
    });
  });

  it('take CHAOS_FAULTS=none as a baseline run without faults', () => {
    expect(chaosSettings({ CHAOS_FAULTS: 'none' }).faults).toEqual([]);
  });

  it.each([
    [{ CHAOS_FAULTS: 'kill,rabit' }, /CHAOS_FAULTS: unknown rabit/],
    [{ CHAOS_MESSAGES: '1e5' }, /CHAOS_MESSAGES must be an integer/],
    [{ CHAOS_MESSAGES: '50' }, /at least 100/],
    [{ CHAOS_KILLS: '-1' }, /CHAOS_KILLS must be an integer/],
    [{ CHAOS_DATABASES: 'mysql' }, /CHAOS_DATABASES: unknown mysql/],
    [{ CHAOS_CRYPTO_WORKERS: '17' }, /CHAOS_CRYPTO_WORKERS must be an integer 0..16/],
  ])('refuse %j naming the variable', (env, message) => {
    expect(() => chaosSettings(env)).toThrow(message);
  });
});

describe('terminating connections', () => {
  it('targets a test database by name and refuses any other database on the shared server', () => {
    expect(testDatabaseName('postgres://postgres@127.0.0.1:5432/mra_test_0a1b2c')).toBe('mra_test_0a1b2c');
    expect(() => testDatabaseName('postgres://postgres@127.0.0.1:5432/postgres')).toThrow(/not a test database/);
    expect(() => testDatabaseName("postgres://postgres@127.0.0.1:5432/mra_test_1'; DROP")).toThrow(/not a test database/);
  });
});
