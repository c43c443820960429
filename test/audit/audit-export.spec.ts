/**
 * Exports are verified by tools/verify-audit-export.mjs run as a separate plain Node
 * process, exactly as an auditor without the gateway would run it, and by sha256sum.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { GatewayError } from '@aeo/domain';
import {
  AuditLog,
  aes256GcmPayloadCipher,
  canonicalJson,
  cipherLookup,
  exportAudit,
  sha256Hex,
  type AuditEntry,
  type ExportAuditOptions,
} from '@aeo/audit';
import { DATABASES, type TestDatabase } from '../support/databases.js';
import {
  ed25519Signer,
  es256Signer,
  openAuditDatabase,
  sampleEntries,
  type TestSigner,
} from './audit-support.js';

// Real databases (and child processes) on a shared machine: give them time.
jest.setTimeout(30_000);

const VERIFIER = join(process.cwd(), 'tools', 'verify-audit-export.mjs');
const T0 = Date.parse('2026-11-20T00:00:00Z');
const HOUR = 3_600_000;
const CIPHER = aes256GcmPayloadCipher('payload-2026', Buffer.alloc(32, 9));

function runVerifier(dir: string, ...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [VERIFIER, dir, ...args], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Rewrite manifest.json and SHA256SUMS after an edit, as a careful forger would. */
function refreshHashes(dir: string): void {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    files: Record<string, string>;
  };
  for (const path of Object.keys(manifest.files))
    manifest.files[path] = sha256(readFileSync(join(dir, path)));
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFileSync(join(dir, 'manifest.json'), manifestText);
  const sums: Record<string, string> = { ...manifest.files, 'manifest.json': sha256(manifestText) };
  writeFileSync(
    join(dir, 'SHA256SUMS'),
    Object.keys(sums)
      .sort()
      .map((path) => `${sums[path]}  ${path}\n`)
      .join(''),
  );
}

describe.each(DATABASES)('audit export on %s', (_kind, createDatabase) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let signing: TestSigner;
  let jwksFile: string;
  let scratch: string;
  let appended: AuditEntry[];
  let exportCount = 0;

  const newDir = () => join(scratch, `export-${++exportCount}`);
  const exportTo = async (overrides: Partial<ExportAuditOptions> = {}) => {
    const outDir = newDir();
    const manifest = await exportAudit(dataSource, {
      from: T0 + 2 * HOUR,
      to: T0 + 5 * HOUR,
      format: 'jsonl',
      outDir,
      resolveKey: signing.resolveKey,
      ciphers: cipherLookup([CIPHER]),
      clock: () => T0 + 24 * HOUR,
      ...overrides,
    });
    return { outDir, manifest };
  };

  beforeAll(async () => {
    db = await createDatabase();
    dataSource = await openAuditDatabase(db);
    signing = await es256Signer();
    scratch = mkdtempSync(join(tmpdir(), 'mra-audit-export-'));
    jwksFile = join(scratch, 'gateway-jwks.json');
    writeFileSync(jwksFile, JSON.stringify(signing.jwks));
    let now = T0;
    const log = new AuditLog(dataSource, { payloadCipher: CIPHER, clock: () => now });
    appended = [];
    // Eight hourly batches of 30 entries, a checkpoint after every second batch.
    for (let hour = 0; hour < 8; hour++) {
      now = T0 + hour * HOUR;
      appended.push(...(await log.append(sampleEntries(30, hour * 30))));
      if (hour % 2 === 1) await log.checkpoint(signing.signer);
    }
    now = T0 + 8 * HOUR;
    appended.push(
      await log.appendOne({
        direction: 'IN',
        type: 'MESSAGE_RECEIVED',
        outcome: 'ACCEPTED',
        partner: 'kr',
        messageId: 'kr-metadata-only',
        payloadSha256: sha256Hex('bytes kept by the partner adapter only'),
        details: { note: 'comma, "quotes"\nand a line break' },
      }),
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('writes entries, payloads, checkpoints with the JWKS, a manifest and SHA256SUMS that verify offline', async () => {
    const { outDir, manifest } = await exportTo();
    // Entries recorded 02:00..04:59 are seq 62..152 (checkpoint entry 122 included); the
    // export runs on to the next signed checkpoint, at seq 182, which covers them.
    expect(manifest.entries).toMatchObject({
      file: 'entries.jsonl',
      format: 'jsonl',
      firstSeq: 62,
      lastSeq: 182,
      count: 121,
    });
    expect(manifest.entries.prevHash).toBe(
      JSON.parse(readFileSync(join(outDir, 'entries.jsonl'), 'utf8').split('\n')[0]).prevHash,
    );
    expect(manifest.checkpoints).toMatchObject({ count: 2, coveredThroughSeq: 182 });
    expect(manifest.payloads.count).toBeGreaterThan(40);
    expect(readdirSync(outDir).sort()).toEqual([
      'SHA256SUMS',
      'checkpoints.json',
      'entries.jsonl',
      'manifest.json',
      'payloads',
    ]);
    const checkpoints = JSON.parse(readFileSync(join(outDir, 'checkpoints.json'), 'utf8'));
    expect(checkpoints.jwks.keys).toEqual([
      expect.objectContaining({ kid: signing.signer.kid, kty: 'EC', crv: 'P-256' }),
    ]);
    expect(checkpoints.jwks.keys[0].d).toBeUndefined();

    const verified = runVerifier(outDir, '--jwks', jwksFile);
    expect(verified.output).toContain('VERIFIED: the export is intact');
    expect(verified.status).toBe(0);
    const sums = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: outDir, encoding: 'utf8' });
    expect(sums.status).toBe(0);
    // Payload files are named by their own SHA-256: the exact bytes that crossed the gateway.
    const some = appended.find((entry) => entry.seq === 62 + 4 && entry.payloadSha256)!;
    expect(sha256(readFileSync(join(outDir, 'payloads', some.payloadSha256!)))).toBe(some.payloadSha256);
  });

  it('fails when one byte of an exported message is altered, even with the manifest rewritten to match', async () => {
    const { outDir } = await exportTo();
    const target = readdirSync(join(outDir, 'payloads'))[3];
    const path = join(outDir, 'payloads', target);
    const bytes = readFileSync(path);
    bytes[5] = bytes[5] ^ 0x01;
    writeFileSync(path, bytes);
    const naive = runVerifier(outDir, '--jwks', jwksFile);
    expect(naive.status).toBe(1);
    expect(naive.output).toContain(`file payloads/${target}: SHA-256 differs from manifest.json`);
    expect(spawnSync('sha256sum', ['--quiet', '-c', 'SHA256SUMS'], { cwd: outDir }).status).not.toBe(0);

    refreshHashes(outDir);
    const careful = runVerifier(outDir, '--jwks', jwksFile);
    expect(careful.status).toBe(1);
    expect(careful.output).toMatch(
      /payload of entry \d+ \(payloads\/[0-9a-f]{64}\) does not hash to the SHA-256 the entry records/,
    );
  });

  it('fails and names the seq when an exported entry is edited, removed or the chain re-hashed', async () => {
    const edited = await exportTo();
    const file = join(edited.outDir, 'entries.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    const entry = JSON.parse(lines[10]);
    const forged = { ...entry, outcome: entry.outcome === 'SENT' ? 'REJECTED' : 'SENT' };
    lines[10] = JSON.stringify(
      Object.fromEntries(
        Object.keys(forged)
          .sort()
          .map((key) => [key, forged[key]]),
      ),
    );
    writeFileSync(file, lines.join('\n'));
    refreshHashes(edited.outDir);
    const result = runVerifier(edited.outDir, '--jwks', jwksFile);
    expect(result.status).toBe(1);
    expect(result.output).toContain(`chain broken at seq ${entry.seq}`);
    expect(result.output).toContain('entry altered');

    const removed = await exportTo();
    const removedFile = join(removed.outDir, 'entries.jsonl');
    const kept = readFileSync(removedFile, 'utf8').split('\n');
    const gone = JSON.parse(kept[20]).seq as number;
    kept.splice(20, 1);
    writeFileSync(removedFile, kept.join('\n'));
    refreshHashes(removed.outDir);
    const removal = runVerifier(removed.outDir, '--jwks', jwksFile);
    expect(removal.status).toBe(1);
    expect(removal.output).toContain(`chain broken at seq ${gone}`);

    // Re-hashing every entry after the edit keeps the chain consistent; the signed checkpoint does not follow.
    const rehashed = await exportTo();
    const rehashedFile = join(rehashed.outDir, 'entries.jsonl');
    const rows = readFileSync(rehashedFile, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEntry);
    let prevHash = rows[9].hash;
    const rewritten = rows.map((row, index) => {
      if (index < 10) return canonicalJson(row);
      const { hash: _old, ...content } = {
        ...row,
        prevHash,
        outcome: index === 10 ? 'REJECTED' : row.outcome,
      };
      prevHash = sha256(`${content.prevHash}${canonicalJson(content)}`);
      return canonicalJson({ ...content, hash: prevHash });
    });
    writeFileSync(rehashedFile, `${rewritten.join('\n')}\n`);
    refreshHashes(rehashed.outDir);
    const rehash = runVerifier(rehashed.outDir, '--jwks', jwksFile);
    expect(rehash.status).toBe(1);
    expect(rehash.output).toMatch(
      /checkpoint 121: signed head hash [0-9a-f]{64}, but entry 121 hashes to [0-9a-f]{64}/,
    );
  });

  it('fails on checkpoints signed by a key other than the trusted one, and shows thumbprints without --jwks', async () => {
    const { outDir } = await exportTo();
    const other = await es256Signer(signing.signer.kid);
    const otherJwks = join(scratch, 'other-jwks.json');
    writeFileSync(otherJwks, JSON.stringify(other.jwks));
    const wrongKey = runVerifier(outDir, '--jwks', otherJwks);
    expect(wrongKey.status).toBe(1);
    expect(wrongKey.output).toContain(`signature does not verify with key '${signing.signer.kid}'`);

    const bundled = runVerifier(outDir);
    expect(bundled.status).toBe(0);
    expect(bundled.output).toMatch(
      /compare kid '[^']+' thumbprint [A-Za-z0-9_-]{43} with the gateway's published JWKS/,
    );
  });

  it("exports one partner's entries as CSV: the chain stays contiguous, payloads only for that partner", async () => {
    const { outDir, manifest } = await exportTo({
      partner: 'cn',
      format: 'csv',
      from: T0,
      to: T0 + 9 * HOUR,
    });
    expect(manifest.entries).toMatchObject({ file: 'entries.csv', firstSeq: 1, lastSeq: 243 });
    const cnEntries = appended.filter((entry) => entry.partner === 'cn');
    expect(manifest.entries.inScope).toBe(cnEntries.length);
    const cnPayloads = new Set(
      cnEntries.flatMap((entry) => (entry.payloadSha256 ? [entry.payloadSha256] : [])),
    );
    expect(new Set(readdirSync(join(outDir, 'payloads')))).toEqual(cnPayloads);
    const csv = readFileSync(join(outDir, 'entries.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      'seq,recordedAt,direction,partner,messageId,correlationId,aeoId,type,outcome,actor,keyId,payloadSha256,details,prevHash,hash',
    );
    const result = runVerifier(outDir, '--jwks', jwksFile, '--json');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.output);
    expect(report).toMatchObject({ ok: true, errors: [], coveredThroughSeq: 243 });
  });

  it('lists metadata-only payloads as not stored and carries awkward text through CSV', async () => {
    const { outDir, manifest } = await exportTo({ format: 'csv', from: T0 + 8 * HOUR, to: T0 + 9 * HOUR });
    expect(manifest.entries).toMatchObject({ firstSeq: 245, lastSeq: 245, count: 1 });
    expect(manifest.payloads.notStored).toEqual([sha256Hex('bytes kept by the partner adapter only')]);
    expect(manifest.checkpoints.coveredThroughSeq).toBeNull();
    const result = runVerifier(outDir, '--jwks', jwksFile);
    expect(result.status).toBe(0);
    expect(result.output).toContain('warning: no signed checkpoint covers entries 245..245');
    expect(result.output).toContain('1 not stored by the gateway');
  });

  it('verifies EdDSA checkpoints too', async () => {
    const ed = await ed25519Signer();
    const log = new AuditLog(dataSource, { clock: () => T0 + 10 * HOUR });
    await log.append(sampleEntries(5, 5_000));
    await log.checkpoint(ed.signer);
    const both = async (kid: string) => (kid === ed.signer.kid ? ed.publicJwk : signing.resolveKey(kid));
    const { outDir, manifest } = await exportTo({
      from: T0 + 10 * HOUR,
      to: T0 + 11 * HOUR,
      resolveKey: both,
    });
    expect(manifest.checkpoints.count).toBe(1);
    const result = runVerifier(outDir);
    expect(result.output).toContain('VERIFIED');
    expect(result.status).toBe(0);
  });

  it('refuses to write into a non-empty directory or without the public key of a checkpoint signer', async () => {
    const dir = newDir();
    await exportTo({ outDir: dir });
    const reasons: string[] = [];
    for (const options of [{ outDir: dir }, { outDir: newDir(), resolveKey: () => undefined }]) {
      try {
        await exportTo(options);
      } catch (error) {
        reasons.push(error instanceof GatewayError ? error.code : String(error));
      }
    }
    expect(reasons).toEqual(['INVALID_VALUE', 'KEY_UNKNOWN']);
  });
});
