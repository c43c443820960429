/**
 * The verifier has each database render an entry's canonical encoding from its stored
 * columns (verify-page-reader.ts). Two things must hold for that to be as strong as
 * recomputing it here:
 *  1. the database's text is canonicalEntry() byte for byte for anything the appender stores
 *     (else an intact log would fail), string escaping included;
 *  2. every column takes part: an edit to any single column, by someone who switched the
 *     append-only triggers off, is caught at that entry.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import {
  AuditLog,
  canonicalEntry,
  canonicalEntrySql,
  canonicalJson,
  getAuditEntry,
  verifyAuditLog,
  type AuditEntryInput,
  type AuditProblemKind,
} from '@aeo/audit';
import { DATABASES, type TestDatabase } from '../support/databases.js';
import { asAttacker, openAuditDatabase, rawQuery, sampleEntries } from './audit-support.js';

// Real databases on a shared machine: give them time.
jest.setTimeout(30_000);

/** Every ASCII control character but NUL (PostgreSQL text cannot hold it), and the escapes' neighbours. */
const CONTROL = Array.from({ length: 0x1f }, (_, i) => String.fromCharCode(i + 1)).join('');
const AWKWARD_STRINGS = [
  `ctl ${CONTROL}`,
  'quote " backslash \\ slash / solidus-escape \\/ tab\tnew\nline',
  'DEL \u007f, C1 \u0085\u009f, soft hyphen \u00ad',
  'non-ASCII: Ærø 中文 Қазақстан',
  'outside the BMP: 😀 𝄞',
  'line separators \u2028 \u2029, BOM \ufeff, U+FFFF \uffff',
  '\\u0041 is not an escape here',
];

function awkwardEntries(): AuditEntryInput[] {
  return AWKWARD_STRINGS.map((text, i) => ({
    direction: 'INTERNAL',
    type: 'OPERATOR_ACTION',
    outcome: 'ACCEPTED',
    partner: 'cn',
    actor: text,
    aeoId: text.slice(0, 100),
    messageId: `m-${i} ${text}`.slice(0, 200),
    correlationId: text,
    keyId: text,
    details: { text, nested: { list: [text, 1, 2.5, -0.125, true, null], '\u00e9key"': text } },
  }));
}

/** One column edited in place, and the problem the verifier must report for it (entry 30). */
const COLUMN_EDITS: ReadonlyArray<readonly [column: string, value: unknown, kind: AuditProblemKind]> = [
  ['seq', 10_030, 'ENTRY_MISSING'],
  ['recorded_at', 1, 'ENTRY_ALTERED'],
  ['direction', 'OUT', 'ENTRY_ALTERED'],
  ['partner', 'tr', 'ENTRY_ALTERED'],
  ['message_id', 'msg-forged', 'ENTRY_ALTERED'],
  ['correlation_id', 'corr-forged', 'ENTRY_ALTERED'],
  ['aeo_id', 'CNAEO9999', 'ENTRY_ALTERED'],
  ['type', 'STATE_CHANGE', 'ENTRY_ALTERED'],
  ['outcome', 'REJECTED', 'ENTRY_ALTERED'],
  ['actor', 'someone-else', 'ENTRY_ALTERED'],
  ['key_id', 'kr-sig-9', 'ENTRY_ALTERED'],
  ['payload_sha256', 'a'.repeat(64), 'ENTRY_ALTERED'],
  // Same JSON value, different bytes: the hash covers the text.
  ['details', '{"alg": "ES256"}', 'ENTRY_ALTERED'],
  ['prev_hash', 'b'.repeat(64), 'ENTRY_ALTERED'],
  ['hash', 'c'.repeat(64), 'ENTRY_ALTERED'],
];

describe.each(DATABASES)(
  'verification from database-rendered canonical text on %s',
  (kind, createDatabase) => {
    let db: TestDatabase;
    let dataSource: DataSource;

    beforeEach(async () => {
      db = await createDatabase();
      dataSource = await openAuditDatabase(db);
    });

    afterEach(async () => {
      await dataSource?.destroy();
      await db?.drop();
    });

    it('renders exactly canonicalEntry() for awkward strings, nulls and numbers, and the log verifies', async () => {
      const log = new AuditLog(dataSource);
      await log.append([...sampleEntries(8), ...awkwardEntries()]);
      const rows = await rawQuery<{ seq: number | string; canonical: string }>(
        dataSource,
        `SELECT "seq", ${canonicalEntrySql(kind === 'postgres')} AS "canonical" FROM "audit_entry" ORDER BY "seq"`,
      );
      expect(rows).toHaveLength(8 + AWKWARD_STRINGS.length);
      for (const row of rows) {
        const entry = (await getAuditEntry(dataSource, Number(row.seq)))!;
        expect(row.canonical).toBe(canonicalEntry({ ...entry, details: canonicalJson(entry.details) }));
      }
      expect(await verifyAuditLog(dataSource, { pageSize: 4 })).toMatchObject({
        ok: true,
        entries: rows.length,
      });
    });

    it('verifies through the pool when the pool has no connection to spare', async () => {
      const small = await openAuditDatabase(db, 2);
      try {
        const log = new AuditLog(small);
        await log.append(sampleEntries(40));
        expect(await verifyAuditLog(small, { pageSize: 16, checkPayloads: true })).toMatchObject({
          ok: true,
          entries: 40,
        });
        await asAttacker(small, [[`UPDATE "audit_entry" SET "actor" = 'mallory' WHERE "seq" = 21`]]);
        expect((await verifyAuditLog(small, { pageSize: 16 })).problem).toMatchObject({
          kind: 'ENTRY_ALTERED',
          seq: 21,
        });
      } finally {
        await small.destroy();
      }
    });

    it.each(COLUMN_EDITS)(
      'an edit to column %s alone is caught at that entry',
      async (column, value, expected) => {
        const log = new AuditLog(dataSource);
        await log.append(sampleEntries(60));
        // Entry 30 is a VERIFICATION entry (sampleEntries: n % 4 === 1); make sure the edit changes something.
        const [before] = await rawQuery<Record<string, unknown>>(
          dataSource,
          `SELECT "${column}" AS "value" FROM "audit_entry" WHERE "seq" = 30`,
        );
        expect(String(before.value)).not.toBe(String(value));
        await asAttacker(dataSource, [
          [`UPDATE "audit_entry" SET "${column}" = ? WHERE "seq" = 30`, [value]],
        ]);
        const report = await verifyAuditLog(dataSource);
        expect(report.ok).toBe(false);
        expect(report.problem).toMatchObject({ kind: expected, seq: 30 });
      },
    );
  },
);
