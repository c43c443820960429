/**
 * Issue #9 item 3 (c): never a register change from rejected input. A fresh SQLite foreign
 * register is filled with every partner's valid fixtures; then mutated and random inputs go
 * through decode, and only a decoded message is applied (as the inbound pipeline does).
 * After a refusal the register (every current row and the whole history) is exactly what it
 * was; a message with one broken record among valid ones applies none of them. After an
 * acceptance, only the message's own records changed, versions only moved forward, and the
 * history grew by exactly the keys reported APPLIED.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { GatewayError, isKnownReasonCode, recordsOf, type CanonicalMessage } from '@aeo/domain';
import { openDataSource } from '@aeo/persistence';
import { adapterFor, loadPartnerProfile } from '@aeo/partners';
import { foreignRegister, keyOf, REGISTRY_ENTITIES, REGISTRY_MIGRATIONS } from '@aeo/registry';
import type { DataSource } from 'typeorm';
import { createSqliteDatabase, type TestDatabase } from '../support/databases.js';
import { fuzzParameters } from './support/fuzz-parameters.js';
import { bytesOf, corpusOf, decoderInputArb, type Corpus } from './support/mutations.js';

jest.setTimeout(60_000);

const PARTNERS = ['cn', 'eaeu', 'kr', 'tr', 'wco'] as const;
const SEED = 0x5e01;
const RUNS = 120;

interface Row {
  environment: string;
  programme: string;
  aeo_id_normalized: string;
  record_version: number;
  status: string;
  record_json: string;
  stored_at: number;
  source: string;
  source_message_id: string | null;
}

interface RegisterState {
  readonly rows: Map<string, Row>;
  readonly history: string;
  readonly historyCount: number;
}

describe('foreign register under fuzzed input', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let clock = 1;

  async function state(): Promise<RegisterState> {
    const rows = await dataSource.query<Row[]>(
      'SELECT environment, programme, aeo_id_normalized, record_version, status, record_json, stored_at, source, source_message_id FROM foreign_aeo',
    );
    const history = await dataSource.query<unknown[]>('SELECT * FROM foreign_aeo_history ORDER BY id');
    return {
      rows: new Map(rows.map((r) => [`${r.environment}\u0000${keyOf(r.programme, r.aeo_id_normalized)}`, r])),
      history: JSON.stringify(history),
      historyCount: history.length,
    };
  }

  /** What the inbound pipeline does with a decoded message's records. */
  async function apply(partner: string, message: CanonicalMessage) {
    const records = recordsOf(message);
    if (records.length === 0) return [];
    return dataSource.transaction((manager) =>
      foreignRegister.apply(manager, {
        environment: message.envelope.environment,
        records,
        source: partner,
        sourceMessageId: message.envelope.messageId,
        storedAt: clock++,
      }),
    );
  }

  beforeAll(async () => {
    db = await createSqliteDatabase();
    dataSource = await openDataSource({
      url: db.url,
      entities: REGISTRY_ENTITIES,
      migrations: REGISTRY_MIGRATIONS,
    });
    for (const partner of PARTNERS) {
      const corpus = corpusOf(partner, loadPartnerProfile(partner).wire.format);
      for (const fixture of corpus.fixtures)
        await apply(partner, await adapterFor(partner).decode(fixture.bytes));
    }
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it("starts from a register holding every partner's valid fixtures", async () => {
    const { rows, historyCount } = await state();
    expect(rows.size).toBeGreaterThanOrEqual(20);
    expect(historyCount).toBeGreaterThanOrEqual(rows.size);
  });

  it.each(PARTNERS)(
    '%s: a rejected input leaves the register and its history unchanged; an accepted one changes only its own records',
    async (partner) => {
      const adapter = adapterFor(partner);
      const corpus: Corpus = corpusOf(partner, loadPartnerProfile(partner).wire.format);
      const tally = { accepted: 0, refused: 0, refusedWithRecords: 0 };
      await fc.assert(
        fc.asyncProperty(decoderInputArb(corpus), async (input) => {
          const before = await state();
          let message: CanonicalMessage;
          try {
            message = await adapter.decode(bytesOf(corpus, input));
          } catch (error) {
            if (!(error instanceof GatewayError) || !isKnownReasonCode(error.code)) throw error;
            tally.refused++;
            if (
              input.kind === 'mutated' &&
              recordsOf(await adapter.decode(corpus.fixtures[input.input.fixture].bytes)).length > 1
            )
              tally.refusedWithRecords++;
            const after = await state();
            expect(after.historyCount).toBe(before.historyCount);
            expect(after.history).toBe(before.history);
            expect([...after.rows.entries()]).toEqual([...before.rows.entries()]);
            return;
          }
          tally.accepted++;
          const results = await apply(partner, message);
          const after = await state();
          const records = recordsOf(message);
          const own = new Set(
            records.map(
              (r) => `${message.envelope.environment}\u0000${keyOf(r.programme, r.aeoIdNormalized)}`,
            ),
          );
          // Nothing outside the message moved.
          for (const [key, row] of before.rows) if (!own.has(key)) expect(after.rows.get(key)).toEqual(row);
          expect([...after.rows.keys()].filter((key) => !before.rows.has(key) && !own.has(key))).toEqual([]);
          // Versions only move forward, and the history grew by exactly what was applied.
          for (const key of own) {
            const was = before.rows.get(key)?.record_version ?? 0;
            expect(Number(after.rows.get(key)!.record_version)).toBeGreaterThanOrEqual(Number(was));
          }
          // (A key applied twice within one message is written once, at its newest version.)
          const appliedKeys = new Set(
            records
              .filter((_, i) => results[i].outcome === 'APPLIED')
              .map((r) => keyOf(r.programme, r.aeoIdNormalized)),
          );
          expect(after.historyCount - before.historyCount).toBe(appliedKeys.size);
        }),
        fuzzParameters(SEED + PARTNERS.indexOf(partner), RUNS),
      );
      expect(tally.refused).toBeGreaterThan(0);
      expect(tally.accepted).toBeGreaterThan(0);
      // Refusals include messages of several records in which only some were broken.
      expect(tally.refusedWithRecords).toBeGreaterThan(0);
    },
  );
});
