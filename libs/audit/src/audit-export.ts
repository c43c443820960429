import { createHash } from 'node:crypto';
import { mkdir, open, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GatewayError } from '@aeo/domain';
import type { JWK } from 'jose';
import type { DataSource } from 'typeorm';
import { toAuditEntry } from './audit-entry.js';
import { readEntryPage, sqlOf, type Sql, type StoredEntryRow } from './audit-sql.js';
import { toCheckpoint, type AuditCheckpoint } from './audit-log.js';
import { publicPart, type AuditKeyResolver } from './checkpoint-jws.js';
import { canonicalJson } from './canonical-json.js';
import { cipherLookup, type PayloadCipherLookup } from './payload-cipher.js';
import { readPayloads } from './payload-store.js';

export const AUDIT_EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

/** Column order of entries.csv (and the field names of entries.jsonl). */
export const AUDIT_CSV_COLUMNS = [
  'seq',
  'recordedAt',
  'direction',
  'partner',
  'messageId',
  'correlationId',
  'aeoId',
  'type',
  'outcome',
  'actor',
  'keyId',
  'payloadSha256',
  'details',
  'prevHash',
  'hash',
] as const;

export interface ExportAuditOptions {
  /** recordedAt range: `from` inclusive, `to` exclusive. */
  readonly from: Date | number;
  readonly to: Date | number;
  /** Only this partner's entries are in scope (and only their payloads are exported). */
  readonly partner?: string;
  readonly format: AuditExportFormat;
  /** A directory that does not exist yet or is empty. */
  readonly outDir: string;
  /** Public keys of the checkpoint signers, written into checkpoints.json. */
  readonly resolveKey?: AuditKeyResolver;
  readonly ciphers?: PayloadCipherLookup;
  readonly pageSize?: number;
  readonly progressEvery?: number;
  readonly onProgress?: (progress: { readonly entries: number; readonly seq: number }) => void;
  readonly clock?: () => number;
}

export interface AuditExportManifest {
  readonly format: 'mra-audit-export';
  readonly version: 1;
  readonly generatedAt: string;
  readonly request: { readonly from: string; readonly to: string; readonly partner: string | null };
  readonly hashAlgorithm: 'sha-256';
  readonly entries: {
    readonly file: string;
    readonly format: AuditExportFormat;
    readonly count: number;
    readonly firstSeq: number | null;
    readonly lastSeq: number | null;
    /** The hash the first exported entry chains to (the last hash of the previous export). */
    readonly prevHash: string | null;
    /** Entries matching the request; the others are there to keep the chain contiguous. */
    readonly inScope: number;
  };
  readonly payloads: {
    readonly dir: 'payloads';
    readonly scope: 'all' | 'partner';
    readonly count: number;
    /** Payload hashes recorded by in-scope entries whose bytes the gateway does not keep. */
    readonly notStored: readonly string[];
  };
  readonly checkpoints: {
    readonly file: 'checkpoints.json';
    readonly count: number;
    /** The last exported seq a signed checkpoint covers; later entries are unsigned. */
    readonly coveredThroughSeq: number | null;
  };
  /** SHA-256 (hex) of every other file, by relative path. */
  readonly files: Readonly<Record<string, string>>;
}

/**
 * Write an evidence package an auditor can verify without the gateway:
 *
 *   entries.jsonl | entries.csv   the entries, contiguous in seq (see below)
 *   payloads/<sha256>             the exact bytes of every in-scope message (decrypted)
 *   checkpoints.json              the signed checkpoints in the range, with the public JWKS
 *   manifest.json                 what is where, and the SHA-256 of every file
 *   SHA256SUMS                    the same hashes (plus manifest.json) for `sha256sum -c`
 *
 * A hash chain can only be checked over contiguous entries, so the export runs from the
 * first to the last in-scope entry and then on to the next signed checkpoint, including
 * entries of other partners in between (their payloads are not exported).
 */
export async function exportAudit(
  dataSource: DataSource,
  options: ExportAuditOptions,
): Promise<AuditExportManifest> {
  if (!(AUDIT_EXPORT_FORMATS as readonly string[]).includes(options.format)) {
    throw new GatewayError(
      'INVALID_VALUE',
      `format must be one of ${AUDIT_EXPORT_FORMATS.join(', ')}`,
      '/format',
    );
  }
  const from = timeOf(options.from, 'from');
  const to = timeOf(options.to, 'to');
  if (to <= from) throw new GatewayError('INVALID_VALUE', 'to must be after from', '/to');
  if (options.partner !== undefined && options.partner === '') {
    throw new GatewayError('INVALID_VALUE', 'partner must be a non-empty partner code', '/partner');
  }
  const created = await prepareDirectory(options.outDir);
  try {
    return await writeExport(dataSource, options, from, to);
  } catch (error) {
    // Never leave half an export behind: the directory was new or empty when we started.
    if (created) await rm(options.outDir, { recursive: true, force: true });
    else
      for (const name of await readdir(options.outDir))
        await rm(join(options.outDir, name), { recursive: true, force: true });
    throw error;
  }
}

async function writeExport(
  dataSource: DataSource,
  options: ExportAuditOptions,
  from: number,
  to: number,
): Promise<AuditExportManifest> {
  const sql = sqlOf(dataSource.manager);
  const ciphers = options.ciphers ?? cipherLookup();
  const partner = options.partner ?? null;
  const files: Record<string, string> = {};

  const bounds = await sql.query<{ first: number | string | null; last: number | string | null }>(
    `SELECT MIN("seq") AS "first", MAX("seq") AS "last" FROM "audit_entry" WHERE "recorded_at" >= ? AND "recorded_at" < ?` +
      (partner === null ? '' : ` AND "partner" = ?`),
    partner === null ? [from, to] : [from, to, partner],
  );
  const firstSeq = bounds[0]?.first == null ? null : Number(bounds[0].first);
  let lastSeq = bounds[0]?.last == null ? null : Number(bounds[0].last);
  if (firstSeq !== null && lastSeq !== null) {
    const [cover] = await sql.query<{ seq: number | string | null }>(
      `SELECT MIN("seq") AS "seq" FROM "audit_checkpoint" WHERE "seq" >= ?`,
      [lastSeq],
    );
    if (cover?.seq != null) lastSeq = Number(cover.seq);
  }

  const checkpoints: AuditCheckpoint[] =
    firstSeq === null || lastSeq === null
      ? []
      : (
          await sql.query<Record<string, unknown>>(
            `SELECT "seq", "head_hash" AS "headHash", "created_at" AS "createdAt", "kid", "jws" FROM "audit_checkpoint" ` +
              `WHERE "seq" >= ? AND "seq" <= ? ORDER BY "seq"`,
            [firstSeq, lastSeq],
          )
        ).map(toCheckpoint);
  const keys: JWK[] = [];
  for (const kid of [...new Set(checkpoints.map((checkpoint) => checkpoint.kid))].sort()) {
    const jwk = options.resolveKey ? await options.resolveKey(kid) : undefined;
    if (!jwk) {
      throw new GatewayError(
        'KEY_UNKNOWN',
        `the public key of checkpoint signer '${kid}' is needed for the export (JWKS)`,
      );
    }
    keys.push({ ...publicPart(jwk), kid });
  }
  const entriesFile = `entries.${options.format}`;
  const written = await writeEntries(
    sql,
    join(options.outDir, entriesFile),
    options,
    firstSeq,
    lastSeq,
    partner,
  );
  files[entriesFile] = written.sha256;

  const payloadDir = join(options.outDir, 'payloads');
  await mkdir(payloadDir);
  const notStored: string[] = [];
  let payloadCount = 0;
  const wanted = [...written.payloads.keys()].sort();
  for (let start = 0; start < wanted.length; start += 200) {
    const results = await readPayloads(sql, wanted.slice(start, start + 200), ciphers);
    for (const [sha256, result] of results) {
      const seq = written.payloads.get(sha256)!;
      if (result.status === 'missing') {
        notStored.push(sha256);
      } else if (result.status === 'sealed') {
        throw new GatewayError(
          'PAYLOAD_UNREADABLE',
          `payload ${sha256} (entry ${seq}) is sealed with cipher '${result.cipher}', whose key is not loaded`,
        );
      } else if (result.status === 'altered') {
        throw new GatewayError(
          'PAYLOAD_ALTERED',
          `payload ${sha256} (entry ${seq}) is altered in the store: ${result.reason}`,
        );
      } else {
        await writeFile(join(payloadDir, sha256), result.bytes, { flag: 'wx' });
        files[`payloads/${sha256}`] = sha256;
        payloadCount++;
      }
    }
  }

  const checkpointsText = `${JSON.stringify({ checkpoints, jwks: { keys } }, null, 2)}\n`;
  await writeFile(join(options.outDir, 'checkpoints.json'), checkpointsText, { flag: 'wx' });
  files['checkpoints.json'] = sha256Text(checkpointsText);

  const sortedFiles = Object.fromEntries(
    Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const manifest: AuditExportManifest = {
    format: 'mra-audit-export',
    version: 1,
    generatedAt: new Date((options.clock ?? Date.now)()).toISOString(),
    request: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), partner },
    hashAlgorithm: 'sha-256',
    entries: {
      file: entriesFile,
      format: options.format,
      count: written.count,
      firstSeq: written.count > 0 ? firstSeq : null,
      lastSeq: written.count > 0 ? written.lastSeq : null,
      prevHash: written.prevHash,
      inScope: written.inScope,
    },
    payloads: {
      dir: 'payloads',
      scope: partner === null ? 'all' : 'partner',
      count: payloadCount,
      notStored,
    },
    checkpoints: {
      file: 'checkpoints.json',
      count: checkpoints.length,
      coveredThroughSeq: checkpoints.length > 0 ? checkpoints[checkpoints.length - 1].seq : null,
    },
    files: sortedFiles,
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  await writeFile(join(options.outDir, 'manifest.json'), manifestText, { flag: 'wx' });
  const sums: Record<string, string> = { ...sortedFiles, 'manifest.json': sha256Text(manifestText) };
  const sumsText = Object.keys(sums)
    .sort()
    .map((path) => `${sums[path]}  ${path}\n`)
    .join('');
  await writeFile(join(options.outDir, 'SHA256SUMS'), sumsText, { flag: 'wx' });
  return manifest;
}

async function writeEntries(
  sql: Sql,
  path: string,
  options: ExportAuditOptions,
  firstSeq: number | null,
  lastSeq: number | null,
  partner: string | null,
): Promise<{
  sha256: string;
  count: number;
  inScope: number;
  lastSeq: number | null;
  prevHash: string | null;
  payloads: Map<string, number>;
}> {
  const handle = await open(path, 'wx');
  const digest = createHash('sha256');
  const write = async (text: string) => {
    digest.update(text);
    await handle.write(text);
  };
  const payloads = new Map<string, number>();
  let count = 0;
  let inScope = 0;
  let prevHash: string | null = null;
  let last: number | null = null;
  const progressEvery = options.progressEvery ?? 10_000;
  try {
    if (options.format === 'csv') await write(`${AUDIT_CSV_COLUMNS.join(',')}\r\n`);
    if (firstSeq !== null && lastSeq !== null) {
      let next = firstSeq;
      for (;;) {
        const page = await readEntryPage(sql, next, lastSeq, options.pageSize ?? 5_000);
        if (page.length === 0) break;
        let chunk = '';
        for (const row of page) {
          prevHash ??= row.prevHash;
          chunk +=
            options.format === 'csv' ? csvLine(row) : `${canonicalJson(toAuditEntry(row, row.hash))}\n`;
          if (partner === null || row.partner === partner) {
            inScope++;
            if (row.payloadSha256 !== null && !payloads.has(row.payloadSha256))
              payloads.set(row.payloadSha256, row.seq);
          }
          count++;
          last = row.seq;
          if (options.onProgress && count % progressEvery === 0)
            options.onProgress({ entries: count, seq: row.seq });
        }
        await write(chunk);
        next = page[page.length - 1].seq + 1;
      }
    }
  } finally {
    await handle.close();
  }
  return { sha256: digest.digest('hex'), count, inScope, lastSeq: last, prevHash, payloads };
}

function csvLine(row: StoredEntryRow): string {
  return `${AUDIT_CSV_COLUMNS.map((column) => csvField(row[column])).join(',')}\r\n`;
}

/** RFC 4180: a field with a comma, quote, CR or LF is quoted, quotes doubled; null is empty. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Create the directory or accept an empty one; true when we created it. */
async function prepareDirectory(dir: string): Promise<boolean> {
  const created = (await mkdir(dir, { recursive: true })) !== undefined;
  const existing = await readdir(dir);
  if (existing.length > 0) {
    throw new GatewayError(
      'INVALID_VALUE',
      `export directory ${dir} is not empty: an export never overwrites files`,
      '/out',
    );
  }
  return created;
}

function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function timeOf(value: Date | number, name: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (!Number.isFinite(ms))
    throw new GatewayError('INVALID_VALUE', `${name} is not a valid time`, `/${name}`);
  return ms;
}
