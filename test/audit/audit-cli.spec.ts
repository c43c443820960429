/**
 * `mra audit verify` and `mra audit export` as an operator runs them: a separate process,
 * DATABASE_URL pointing at a real database, exit codes and output checked.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { AuditLog, aes256GcmPayloadCipher } from '@aeo/audit';
import { DATABASES, type TestDatabase } from '../support/databases.js';
import {
  asAttacker,
  es256Signer,
  openAuditDatabase,
  sampleEntries,
  type TestSigner,
} from './audit-support.js';

// Real databases (and child processes) on a shared machine: give them time.
jest.setTimeout(60_000);

const CLI = join(process.cwd(), 'test', 'audit', 'mra-audit-cli.ts');
const VERIFIER = join(process.cwd(), 'tools', 'verify-audit-export.mjs');
const T0 = Date.parse('2026-11-25T09:00:00Z');
const PAYLOAD_KEY = Buffer.alloc(32, 0x5a);

function mra(
  databaseUrl: string,
  ...args: string[]
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const lastLine = (text: string) => text.trim().split('\n').pop()!;

describe.each(DATABASES)('mra audit on %s', (kind, createDatabase) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let signing: TestSigner;
  let scratch: string;
  let jwksFile: string;
  let keyFile: string;
  const total = kind === 'sqlite' ? 10_500 : 2_000;
  let head = 0;

  beforeAll(async () => {
    db = await createDatabase();
    dataSource = await openAuditDatabase(db);
    signing = await es256Signer();
    scratch = mkdtempSync(join(tmpdir(), 'mra-audit-cli-'));
    jwksFile = join(scratch, 'jwks.json');
    writeFileSync(jwksFile, JSON.stringify(signing.jwks));
    keyFile = join(scratch, 'payload.key');
    writeFileSync(keyFile, `${PAYLOAD_KEY.toString('hex')}\n`);
    const log = new AuditLog(dataSource, {
      clock: () => T0,
      payloadCipher: aes256GcmPayloadCipher('payload-2026', PAYLOAD_KEY),
    });
    for (let offset = 0; offset < total; offset += 500) {
      await log.append(sampleEntries(500, offset));
      if (offset % 2_000 === 1_500) await log.checkpoint(signing.signer);
    }
    await log.checkpoint(signing.signer);
    head = (await log.head())!.seq;
  }, 120_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('verify: exit 0 with a summary when intact, progress on stderr', () => {
    const result = mra(
      db.url,
      'audit',
      'verify',
      '--jwks',
      jwksFile,
      '--payloads',
      '--payload-key',
      `payload-2026=${keyFile}`,
    );
    expect(result.stderr).not.toContain('error');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`audit log verified: entries 1..${head} (${head} entries)`);
    expect(result.stdout).toContain('signatures verified');
    expect(result.stdout).toMatch(
      /payloads: \d+ checked, 0 not stored \(metadata only\), 0 sealed without a key/,
    );
    if (head >= 10_000) expect(result.stderr).toContain('verified 10,000 entries (seq 10000)');
  });

  it('verify --json reports the range it checked', () => {
    const result = mra(db.url, 'audit', 'verify', '--from', '100', '--to', '400', '--json');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      firstSeq: 100,
      lastSeq: 400,
      entries: 301,
      start: 'entry',
    });
  });

  it('export: writes a package the standalone verifier accepts', () => {
    const out = join(scratch, `export-${kind}`);
    const result = mra(
      db.url,
      'audit',
      'export',
      '--from',
      '2026-11-25',
      '--to',
      '2026-11-25',
      '--partner',
      'kr',
      '--format',
      'csv',
      '--out',
      out,
      '--jwks',
      jwksFile,
      '--payload-key',
      `payload-2026=${keyFile}`,
    );
    // Only progress on stderr (the export runs on past 10,000 entries on SQLite).
    expect(
      result.stderr.split('\n').filter((line) => line && !/^exported [\d,]+ entries \(seq \d+\)$/.test(line)),
    ).toEqual([]);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ exported: out, firstSeq: 2, inScope: total / 4 });
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).request.partner).toBe('kr');
    const verified = spawnSync(process.execPath, [VERIFIER, out, '--jwks', jwksFile], { encoding: 'utf8' });
    expect(verified.stdout).toContain('VERIFIED: the export is intact');
    expect(verified.status).toBe(0);
  });

  it('export: refuses without the key of sealed payloads, leaving nothing behind', () => {
    const out = join(scratch, `refused-${kind}`);
    const result = mra(
      db.url,
      'audit',
      'export',
      '--from',
      '2026-11-25',
      '--to',
      '2026-11-26',
      '--format',
      'jsonl',
      '--out',
      out,
      '--jwks',
      jwksFile,
    );
    expect(result.status).toBe(2);
    expect(JSON.parse(lastLine(result.stderr)).error.code).toBe('PAYLOAD_UNREADABLE');
    expect(() => readFileSync(join(out, 'manifest.json'))).toThrow();
    const noKeys = mra(
      db.url,
      'audit',
      'export',
      '--from',
      '2026-11-25',
      '--to',
      '2026-11-26',
      '--format',
      'jsonl',
      '--out',
      out,
    );
    expect(JSON.parse(lastLine(noKeys.stderr)).error).toMatchObject({ code: 'KEY_UNKNOWN', path: '/jwks' });
  });

  it('usage errors exit 64', () => {
    expect(mra(db.url, 'audit', 'verify', '--from', 'first').status).toBe(64);
    expect(
      mra(
        db.url,
        'audit',
        'export',
        '--from',
        '25.11.2026',
        '--to',
        '2026-11-26',
        '--format',
        'csv',
        '--out',
        scratch,
      ).status,
    ).toBe(64);
    expect(
      mra(
        db.url,
        'audit',
        'export',
        '--from',
        '2026-11-25',
        '--to',
        '2026-11-26',
        '--format',
        'xml',
        '--out',
        scratch,
      ).status,
    ).toBe(64);
  });

  it('verify: after tampering, exit 3 naming the first bad sequence number and what is wrong', async () => {
    await asAttacker(dataSource, [[`DELETE FROM "audit_entry" WHERE "seq" = 777`]]);
    const result = mra(db.url, 'audit', 'verify', '--jwks', jwksFile);
    expect(result.status).toBe(3);
    expect(result.stdout).toContain('AUDIT LOG NOT VERIFIED');
    expect(result.stdout).toContain('first bad seq: 777');
    expect(result.stdout).toContain('ENTRY_MISSING: entry 777 missing');
    expect(JSON.parse(lastLine(result.stderr))).toEqual({
      error: { code: 'ENTRY_MISSING', message: expect.stringContaining('777'), path: '/seq/777', seq: 777 },
    });
  });
});
