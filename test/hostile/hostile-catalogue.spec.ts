/**
 * Runs the hostile-input catalogue (catalogue.ts, cases/*.ts) through the real entry points:
 * a partner adapter's decode, the MessageVerifier with the partner's trust context, the
 * canonical JSON codec, and the foreign register on SQLite. Every case must end in exactly
 * its reason code (a GatewayError; any other error fails the case), or be ACCEPTED with its
 * text preserved. README.md's table of categories and counts is checked against the data.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { assertValidCanonical, CanonicalJsonCodec } from '@aeo/codecs';
import { repoPath } from '@aeo/config';
import {
  GatewayError,
  isKnownReasonCode,
  recordsOf,
  type AeoRecord,
  type CanonicalMessage,
} from '@aeo/domain';
import { openDataSource } from '@aeo/persistence';
import { adapterFor, idRuleOptions } from '@aeo/partners';
import { foreignRegister, REGISTRY_ENTITIES, REGISTRY_MIGRATIONS } from '@aeo/registry';
import type { DataSource } from 'typeorm';
import { createSqliteDatabase, type TestDatabase } from '../support/databases.js';
import {
  CATEGORIES,
  type CanonicalCase,
  type DecodeCase,
  type HostileCase,
  type Preserved,
  type VerifyCase,
} from './case-types.js';
import { countsTable, HOSTILE_CASES } from './catalogue.js';
import { BASE_FIXTURE, fixtureBytes, PARTNERS, profileOf } from './support/formats.js';
import { contextOf, joseKit, verifierFor, type JoseKit } from './support/jose-kit.js';

jest.setTimeout(30_000);

type Outcome<T> = { code: 'ACCEPTED'; value: T } | { code: string; error: GatewayError };

/** The reason code of a refusal; anything that is not a GatewayError fails the case as it is. */
async function outcomeOf<T>(action: () => Promise<T> | T): Promise<Outcome<T>> {
  try {
    return { code: 'ACCEPTED', value: await action() };
  } catch (error) {
    if (error instanceof GatewayError) return { code: error.code, error };
    throw error;
  }
}

function describeOutcome(outcome: Outcome<unknown>): string {
  return 'error' in outcome
    ? `${outcome.code} at ${outcome.error.path ?? '-'}: ${outcome.error.message.slice(0, 300)}`
    : 'ACCEPTED';
}

function expectOutcome(testCase: HostileCase, outcome: Outcome<unknown>): void {
  // Compared as strings so that a failure shows the message and path of what actually happened.
  expect(outcome.code === testCase.expect ? testCase.expect : describeOutcome(outcome)).toBe(testCase.expect);
}

function textOf(record: AeoRecord): Required<Preserved> {
  return {
    legalName: record.legalName,
    nameLatin: record.nameLatin ?? '',
    street: record.address.street,
    city: record.address.city,
  };
}

/** The first record's free text, byte for byte (not just "equal after normalisation"). */
function expectPreserved(message: CanonicalMessage, preserved: Preserved): void {
  const first = recordsOf(message)[0];
  expect(first).toBeDefined();
  expectText(first, preserved);
}

function expectText(record: AeoRecord, preserved: Preserved): void {
  const actual = textOf(record);
  for (const [field, text] of Object.entries(preserved) as [keyof Preserved, string][]) {
    expect(Buffer.from(actual[field], 'utf8').toString('hex')).toBe(
      Buffer.from(text, 'utf8').toString('hex'),
    );
  }
}

const decodeCases = HOSTILE_CASES.filter((c): c is DecodeCase => c.target === 'decode');
const canonicalCases = HOSTILE_CASES.filter((c): c is CanonicalCase => c.target === 'canonical');
const verifyCases = HOSTILE_CASES.filter((c): c is VerifyCase => c.target === 'verify');

describe('hostile-input catalogue: the data', () => {
  it('has at least 200 cases with unique ids and known reason codes, across all five partner formats', () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(200);
    expect(new Set(HOSTILE_CASES.map((c) => c.id)).size).toBe(HOSTILE_CASES.length);
    for (const c of HOSTILE_CASES)
      expect(
        c.expect === 'ACCEPTED' || isKnownReasonCode(c.expect) ? c.expect : `unknown code in ${c.id}`,
      ).toBe(c.expect);
    for (const partner of PARTNERS) {
      expect(decodeCases.filter((c) => c.partner === partner).length).toBeGreaterThanOrEqual(20);
      expect(verifyCases.filter((c) => c.partner === partner).length).toBeGreaterThanOrEqual(20);
    }
    for (const category of Object.keys(CATEGORIES))
      expect(HOSTILE_CASES.some((c) => c.category === category) ? category : `no case for ${category}`).toBe(
        category,
      );
  });

  it('is listed in README.md with the current categories and counts', () => {
    const readme = readFileSync(repoPath('test', 'hostile', 'README.md'), 'utf8');
    expect(readme).toContain(countsTable(HOSTILE_CASES));
  });
});

describe('partner adapters decode', () => {
  const baseline = new Map<string, CanonicalMessage>();

  beforeAll(async () => {
    for (const partner of PARTNERS)
      baseline.set(partner, await adapterFor(partner).decode(fixtureBytes(BASE_FIXTURE[partner])));
  });

  it.each(decodeCases.map((c) => [c.id, c] as const))('%s', async (_id, testCase) => {
    const adapter = adapterFor(testCase.partner);
    const bytes = testCase.input();
    const outcome = await outcomeOf(() => adapter.decode(bytes));
    expectOutcome(testCase, outcome);
    if (!('value' in outcome)) return;
    assertValidCanonical(outcome.value, idRuleOptions(profileOf(testCase.partner)));
    if (!testCase.preserved) {
      // Padding and a byte-order mark change nothing in what the message says.
      expect(outcome.value).toEqual(baseline.get(testCase.partner));
      return;
    }
    expectPreserved(outcome.value, testCase.preserved);
    const again = await adapter.decode(adapter.encode(outcome.value).bytes);
    expect(again).toEqual(outcome.value);
    expectPreserved(again, testCase.preserved);
  });
});

describe('canonical JSON codec decodes', () => {
  it.each(canonicalCases.map((c) => [c.id, c] as const))('%s', async (_id, testCase) => {
    const bytes = testCase.input();
    const outcome = await outcomeOf(() => CanonicalJsonCodec.decode(bytes));
    expectOutcome(testCase, outcome);
    if (!('value' in outcome)) return;
    if (testCase.preserved) expectPreserved(outcome.value, testCase.preserved);
    expect(Buffer.from(CanonicalJsonCodec.encode(outcome.value)).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('MessageVerifier with the partner trust context', () => {
  let kit: JoseKit;

  beforeAll(async () => {
    kit = await joseKit();
  });

  it.each(verifyCases.map((c) => [c.id, c] as const))('%s', async (_id, testCase) => {
    const { token, earlier = [] } = await testCase.delivery(kit);
    const verifier = verifierFor(
      kit,
      undefined,
      testCase.registry ? await testCase.registry(kit) : kit.registry,
    );
    const context = contextOf(testCase.partner);
    for (const first of earlier) await verifier.verify(first, context);
    const outcome = await outcomeOf(() => verifier.verify(token, context));
    expectOutcome(testCase, outcome);
  });
});

describe('foreign register on SQLite', () => {
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

  const nameCases = [...decodeCases, ...canonicalCases].filter((c) => c.category === 'names' && c.preserved);
  const storeCase = HOSTILE_CASES.find((c) => c.target === 'store')!;

  it(`${storeCase.id}: ${nameCases.length} decoded name cases stored through foreignRegister.apply and read back byte-identical`, async () => {
    expect(nameCases.length).toBeGreaterThanOrEqual(40);
    for (const testCase of nameCases) {
      const bytes = testCase.input();
      const decoded =
        testCase.target === 'decode'
          ? await adapterFor(testCase.partner).decode(bytes)
          : CanonicalJsonCodec.decode(bytes);
      const [record] = recordsOf(decoded);
      const results = await dataSource.transaction((manager) =>
        foreignRegister.apply(manager, {
          environment: 'production',
          records: [record],
          source: 'hostile',
          sourceMessageId: decoded.envelope.messageId,
          storedAt: 1,
        }),
      );
      expect(results.map((r) => r.outcome)).toEqual(['APPLIED']);
      const stored = await foreignRegister.find(
        dataSource.manager,
        'production',
        record.programme,
        record.aeoIdNormalized,
      );
      expect(stored?.record).toEqual(record);
      expectText(stored!.record, testCase.preserved!);
      const [raw] = await dataSource.query<{ record_json: string }[]>('SELECT record_json FROM foreign_aeo');
      expect(raw?.record_json).toBe(JSON.stringify(record));
      const history = await dataSource.query<{ record_json: string }[]>(
        'SELECT record_json FROM foreign_aeo_history',
      );
      expect(history.map((h) => h.record_json)).toEqual([JSON.stringify(record)]);
      await dataSource.query('DELETE FROM foreign_aeo');
      await dataSource.query('DELETE FROM foreign_aeo_history');
    }
  });
});
