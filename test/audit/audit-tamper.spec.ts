/**
 * Tampering with the database directly, as a DBA could after switching the append-only
 * triggers off: the verifier must notice and name the first bad sequence number, for each
 * of edit, deletion, insertion, reordering and truncation (and their cleverer variants).
 *
 * The log under attack: entries 1..60, checkpoint at 60 (its CHECKPOINT entry is 61),
 * entries 62..121, checkpoint at 121 (entry 122). Head = 122.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import {
  AuditLog,
  aes256GcmPayloadCipher,
  canonicalJson,
  cipherLookup,
  entryHash,
  getAuditEntry,
  verifyAuditLog,
  type AuditCheckpoint,
  type AuditEntryRecord,
  type AuditProblemKind,
  type VerifyAuditOptions,
} from '@aeo/audit';
import { DATABASES, type TestDatabase } from '../support/databases.js';
import {
  asAttacker,
  es256Signer,
  openAuditDatabase,
  rawQuery,
  sampleEntries,
  shiftDownAfter,
  shiftUpFrom,
  type TestSigner,
} from './audit-support.js';

// Real databases on a shared machine: give them time.
jest.setTimeout(30_000);

interface Fixture {
  readonly dataSource: DataSource;
  readonly log: AuditLog;
  readonly checkpoints: AuditCheckpoint[];
  readonly signing: TestSigner;
}

type Statements = Array<[string, unknown[]?]>;

async function record(dataSource: DataSource, seq: number): Promise<AuditEntryRecord & { hash: string }> {
  const entry = (await getAuditEntry(dataSource, seq))!;
  return { ...entry, details: canonicalJson(entry.details) };
}

const UPDATE_ROW = `UPDATE "audit_entry" SET "outcome" = ?, "prev_hash" = ?, "hash" = ?, "details" = ? WHERE "seq" = ?`;
const INSERT_ROW =
  `INSERT INTO "audit_entry" ("seq", "recorded_at", "direction", "partner", "message_id", "correlation_id", "aeo_id", ` +
  `"type", "outcome", "actor", "key_id", "payload_sha256", "details", "prev_hash", "hash") ` +
  `VALUES (?, ?, 'INTERNAL', 'cn', NULL, NULL, 'CNAEO0001', 'RECOGNITION_DECISION', 'RECOGNISED', 'risk-system', NULL, NULL, '{}', ?, ?)`;

/** A forged entry at `seq`, chained to `prevHash`, with a correct hash of its own. */
function forged(seq: number, recordedAt: number, prevHash: string): [string, unknown[]] {
  const hash = entryHash({
    seq,
    recordedAt,
    direction: 'INTERNAL',
    partner: 'cn',
    messageId: null,
    correlationId: null,
    aeoId: 'CNAEO0001',
    type: 'RECOGNITION_DECISION',
    outcome: 'RECOGNISED',
    actor: 'risk-system',
    keyId: null,
    payloadSha256: null,
    details: '{}',
    prevHash,
  });
  return [INSERT_ROW, [seq, recordedAt, prevHash, hash]];
}

interface Tampering {
  readonly name: string;
  readonly attack: (fixture: Fixture) => Promise<Statements>;
  readonly expected: { kind: AuditProblemKind; seq: number; lastSeq?: number };
  /** Run after the attack, e.g. the attacker appending through the gateway afterwards. */
  readonly after?: (fixture: Fixture) => Promise<void>;
  readonly options?: (fixture: Fixture) => VerifyAuditOptions;
}

const TAMPERINGS: Tampering[] = [
  // 1. Edit
  {
    name: 'edit: an outcome changed in place',
    attack: async () => [[`UPDATE "audit_entry" SET "outcome" = 'SIGNATURE_INVALID' WHERE "seq" = 30`]],
    expected: { kind: 'ENTRY_ALTERED', seq: 30 },
  },
  {
    name: 'edit: details changed and the entry re-hashed',
    attack: async ({ dataSource }) => {
      const row = await record(dataSource, 30);
      const edited = { ...row, details: '{"note":"nothing happened"}' };
      return [[UPDATE_ROW, [edited.outcome, edited.prevHash, entryHash(edited), edited.details, 30]]];
    },
    expected: { kind: 'ENTRY_ALTERED', seq: 30 },
  },
  {
    name: 'edit: one entry replaced by a re-hashed forgery with a made-up link',
    attack: async ({ dataSource }) => {
      const row = await record(dataSource, 30);
      const edited = { ...row, outcome: 'REJECTED', prevHash: 'f'.repeat(64) };
      return [[UPDATE_ROW, [edited.outcome, edited.prevHash, entryHash(edited), edited.details, 30]]];
    },
    expected: { kind: 'ENTRY_ALTERED', seq: 30 },
  },
  {
    name: 'edit: the whole chain re-hashed from the edit on (only the signed checkpoint shows it)',
    attack: async ({ dataSource }) => {
      const statements: Statements = [];
      let prevHash = (await record(dataSource, 29)).hash;
      for (let seq = 30; seq <= 122; seq++) {
        const row = await record(dataSource, seq);
        const rebuilt = { ...row, prevHash, outcome: seq === 30 ? 'REJECTED' : row.outcome };
        prevHash = entryHash(rebuilt);
        statements.push([UPDATE_ROW, [rebuilt.outcome, rebuilt.prevHash, prevHash, rebuilt.details, seq]]);
      }
      return statements;
    },
    expected: { kind: 'CHECKPOINT_MISMATCH', seq: 1, lastSeq: 60 },
  },
  // 2. Deletion
  {
    name: 'deletion: one entry deleted',
    attack: async () => [[`DELETE FROM "audit_entry" WHERE "seq" = 30`]],
    expected: { kind: 'ENTRY_MISSING', seq: 30, lastSeq: 30 },
  },
  {
    name: 'deletion: a range deleted',
    attack: async () => [[`DELETE FROM "audit_entry" WHERE "seq" BETWEEN 30 AND 35`]],
    expected: { kind: 'ENTRY_MISSING', seq: 30, lastSeq: 35 },
  },
  {
    name: 'deletion: entries deleted and the later ones renumbered to close the gap',
    attack: async () => [[`DELETE FROM "audit_entry" WHERE "seq" = 30`], ...shiftDownAfter(30)],
    expected: { kind: 'ENTRY_MISSING', seq: 30, lastSeq: 30 },
  },
  {
    name: 'deletion: the first entries deleted',
    attack: async () => [[`DELETE FROM "audit_entry" WHERE "seq" <= 3`]],
    expected: { kind: 'ENTRY_MISSING', seq: 1, lastSeq: 3 },
  },
  // 3. Insertion
  {
    name: 'insertion: a forged entry, correctly chained, with the later entries renumbered',
    attack: async ({ dataSource }) => {
      const before = await record(dataSource, 29);
      return [...shiftUpFrom(30), forged(30, before.recordedAt, before.hash)];
    },
    expected: { kind: 'ENTRY_INSERTED', seq: 30 },
  },
  {
    name: 'insertion: a forged entry with a made-up hash',
    attack: async ({ dataSource }) => {
      const before = await record(dataSource, 29);
      const [text, params] = forged(30, before.recordedAt, before.hash);
      return [...shiftUpFrom(30), [text, [...params.slice(0, 3), 'e'.repeat(64)]]];
    },
    expected: { kind: 'ENTRY_INSERTED', seq: 30 },
  },
  {
    name: 'insertion: three forged entries',
    attack: async ({ dataSource }) => {
      const before = await record(dataSource, 29);
      const statements: Statements = [...shiftUpFrom(30), ...shiftUpFrom(30), ...shiftUpFrom(30)];
      let prevHash = before.hash;
      for (const seq of [30, 31, 32]) {
        const insert = forged(seq, before.recordedAt, prevHash);
        statements.push(insert);
        prevHash = insert[1][3] as string;
      }
      return statements;
    },
    expected: { kind: 'ENTRY_INSERTED', seq: 30, lastSeq: 32 },
  },
  // 4. Reordering
  {
    name: 'reordering: two entries swapped',
    attack: async () => [
      [`UPDATE "audit_entry" SET "seq" = -1 WHERE "seq" = 30`],
      [`UPDATE "audit_entry" SET "seq" = 30 WHERE "seq" = 31`],
      [`UPDATE "audit_entry" SET "seq" = 31 WHERE "seq" = -1`],
    ],
    expected: { kind: 'ENTRIES_REORDERED', seq: 30 },
  },
  {
    name: 'reordering: an entry moved five places later',
    attack: async () => [
      [`UPDATE "audit_entry" SET "seq" = -1 WHERE "seq" = 30`],
      [`UPDATE "audit_entry" SET "seq" = -"seq" WHERE "seq" BETWEEN 31 AND 35`],
      [`UPDATE "audit_entry" SET "seq" = -"seq" - 1 WHERE "seq" BETWEEN -35 AND -31`],
      [`UPDATE "audit_entry" SET "seq" = 35 WHERE "seq" = -1`],
    ],
    expected: { kind: 'ENTRIES_REORDERED', seq: 30 },
  },
  // 5. Truncation
  {
    name: 'truncation: the tail deleted (the last checkpoint names a seq beyond the head)',
    attack: async () => [[`DELETE FROM "audit_entry" WHERE "seq" > 100`]],
    expected: { kind: 'LOG_TRUNCATED', seq: 101, lastSeq: 121 },
  },
  {
    name: 'truncation: everything deleted',
    attack: async () => [[`DELETE FROM "audit_entry"`]],
    expected: { kind: 'LOG_TRUNCATED', seq: 1, lastSeq: 121 },
  },
  {
    name: 'truncation: the tail deleted and new entries appended (the head hash differs from the checkpoint)',
    attack: async () => [[`DELETE FROM "audit_entry" WHERE "seq" > 100`]],
    after: async ({ log }) => {
      await log.append(sampleEntries(30, 9_000));
    },
    expected: { kind: 'CHECKPOINT_MISMATCH', seq: 61, lastSeq: 121 },
  },
  {
    name: "truncation: the tail and its checkpoint rows deleted (a partner's copy of our head shows it)",
    attack: async () => [
      [`DELETE FROM "audit_entry" WHERE "seq" > 100`],
      [`DELETE FROM "audit_checkpoint" WHERE "seq" > 100`],
    ],
    options: ({ checkpoints, signing }) => ({
      anchors: [checkpoints[1].jws],
      resolveKey: signing.resolveKey,
    }),
    expected: { kind: 'LOG_TRUNCATED', seq: 101, lastSeq: 121 },
  },
  // Checkpoints and payloads
  {
    name: 'checkpoint row deleted while its CHECKPOINT entry remains',
    attack: async () => [[`DELETE FROM "audit_checkpoint" WHERE "seq" = 60`]],
    expected: { kind: 'CHECKPOINT_MISSING', seq: 61 },
  },
  {
    name: 'checkpoint row altered to match a rewritten head',
    attack: async () => [
      [`UPDATE "audit_checkpoint" SET "head_hash" = ? WHERE "seq" = 60`, ['a'.repeat(64)]],
    ],
    expected: { kind: 'CHECKPOINT_INVALID', seq: 60 },
  },
  {
    name: 'checkpoint forged with a key that is not the gateway key',
    attack: async ({ dataSource }) => {
      const impostor = await es256Signer('kz-src-audit-2026-01');
      const head = await record(dataSource, 90);
      const payload = `{"createdAt":${head.recordedAt},"headHash":"${head.hash}","log":"mra-gateway","seq":90,"v":1}`;
      const jws = await impostor.signer.sign(new TextEncoder().encode(payload));
      return [
        [
          `INSERT INTO "audit_checkpoint" ("seq", "head_hash", "created_at", "kid", "jws") VALUES (90, ?, ?, ?, ?)`,
          [head.hash, head.recordedAt, impostor.signer.kid, jws],
        ],
      ];
    },
    options: ({ signing }) => ({ resolveKey: signing.resolveKey }),
    expected: { kind: 'CHECKPOINT_INVALID', seq: 90 },
  },
  {
    name: 'stored message bytes altered',
    attack: async ({ dataSource }) => {
      const entry = (await getAuditEntry(dataSource, 9))!;
      return [
        [
          `UPDATE "audit_payload" SET "bytes" = ? WHERE "sha256" = ?`,
          [Buffer.from('{"forged":true}'), entry.payloadSha256],
        ],
      ];
    },
    options: () => ({ checkPayloads: true, ciphers: cipherLookup([PAYLOAD_CIPHER]) }),
    expected: { kind: 'PAYLOAD_ALTERED', seq: 9 },
  },
];

const PAYLOAD_CIPHER = aes256GcmPayloadCipher('payload-2026', Buffer.alloc(32, 7));

describe.each(DATABASES)('the verifier against direct database tampering on %s', (_kind, createDatabase) => {
  let db: TestDatabase;
  let fixture: Fixture;

  beforeEach(async () => {
    db = await createDatabase();
    const dataSource = await openAuditDatabase(db);
    const signing = await es256Signer();
    let now = Date.parse('2026-11-28T08:00:00Z');
    const log = new AuditLog(dataSource, { payloadCipher: PAYLOAD_CIPHER, clock: () => (now += 1_000) });
    await log.append(sampleEntries(60));
    const first = (await log.checkpoint(signing.signer))!;
    await log.append(sampleEntries(60, 60));
    const second = (await log.checkpoint(signing.signer))!;
    fixture = { dataSource, log, checkpoints: [first, second], signing };
  });

  afterEach(async () => {
    await fixture?.dataSource.destroy();
    await db?.drop();
  });

  it('an untouched log verifies, with signatures, payloads and every checkpoint', async () => {
    const report = await verifyAuditLog(fixture.dataSource, {
      resolveKey: fixture.signing.resolveKey,
      checkPayloads: true,
      ciphers: cipherLookup([PAYLOAD_CIPHER]),
      anchors: [fixture.checkpoints[1].jws],
    });
    expect(report).toMatchObject({
      ok: true,
      problem: null,
      firstSeq: 1,
      lastSeq: 122,
      entries: 122,
      start: 'genesis',
      checkpoints: { checked: 3, signatures: 'verified', lastCoveredSeq: 121 },
      payloads: { checked: 60, notStored: 0, sealed: 0 },
    });
  });

  it.each(TAMPERINGS.map((tampering) => [tampering.name, tampering] as const))(
    '%s',
    async (_name, tampering) => {
      await asAttacker(fixture.dataSource, await tampering.attack(fixture));
      await tampering.after?.(fixture);
      const report = await verifyAuditLog(fixture.dataSource, tampering.options?.(fixture) ?? {});
      expect(report.ok).toBe(false);
      expect(report.problem).toMatchObject(tampering.expected);
      expect(report.problem!.message).toMatch(new RegExp(`\\b${tampering.expected.seq}\\b`));
    },
  );

  it('verifies a range: --from anchors on the entry before it, --to stops early', async () => {
    const middle = await verifyAuditLog(fixture.dataSource, {
      from: 50,
      to: 80,
      resolveKey: fixture.signing.resolveKey,
    });
    expect(middle).toMatchObject({ ok: true, start: 'entry', firstSeq: 50, lastSeq: 80, entries: 31 });
    expect(middle.checkpoints).toMatchObject({ checked: 1, lastCoveredSeq: 60 });

    await asAttacker(fixture.dataSource, [
      [`UPDATE "audit_entry" SET "outcome" = 'VALID' WHERE "seq" = 20`],
      [`UPDATE "audit_entry" SET "outcome" = 'VALID' WHERE "seq" = 70`],
    ]);
    expect((await verifyAuditLog(fixture.dataSource, { from: 50, to: 80 })).problem).toMatchObject({
      kind: 'ENTRY_ALTERED',
      seq: 70,
    });
    expect((await verifyAuditLog(fixture.dataSource, { from: 71 })).ok).toBe(true);
    expect((await verifyAuditLog(fixture.dataSource)).problem).toMatchObject({
      kind: 'ENTRY_ALTERED',
      seq: 20,
    });
  });

  it('after the first entries are archived away, --from verifies the rest unanchored', async () => {
    await asAttacker(fixture.dataSource, [[`DELETE FROM "audit_entry" WHERE "seq" < 40`]]);
    expect((await verifyAuditLog(fixture.dataSource)).problem).toMatchObject({
      kind: 'ENTRY_MISSING',
      seq: 1,
      lastSeq: 39,
    });
    expect(await verifyAuditLog(fixture.dataSource, { from: 40 })).toMatchObject({
      ok: true,
      start: 'unanchored',
      entries: 83,
    });
  });

  it('reports progress while it runs', async () => {
    const seen: number[] = [];
    await verifyAuditLog(fixture.dataSource, {
      pageSize: 7,
      progressEvery: 50,
      onProgress: ({ entries }) => seen.push(entries),
    });
    expect(seen).toEqual([50, 100]);
  });

  it('finds a gap that falls on a page boundary', async () => {
    await asAttacker(fixture.dataSource, [[`DELETE FROM "audit_entry" WHERE "seq" = 14`]]);
    const report = await verifyAuditLog(fixture.dataSource, { pageSize: 13 });
    expect(report.problem).toMatchObject({ kind: 'ENTRY_MISSING', seq: 14 });
    expect(report.lastSeq).toBe(13);
  });
});

describe('tampering helpers', () => {
  it('produce the raw rows they claim to', async () => {
    const db = await DATABASES[0][1]();
    const dataSource = await openAuditDatabase(db);
    try {
      await new AuditLog(dataSource).append(sampleEntries(3));
      await asAttacker(dataSource, shiftUpFrom(2));
      const rows = await rawQuery<{ seq: number }>(
        dataSource,
        `SELECT "seq" FROM "audit_entry" ORDER BY "seq"`,
      );
      expect(rows.map((row) => Number(row.seq))).toEqual([1, 3, 4]);
    } finally {
      await dataSource.destroy();
      await db.drop();
    }
  });
});
