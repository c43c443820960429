import { readFileSync } from 'node:fs';
import { GatewayError } from '@aeo/domain';
import {
  AUDIT_EXPORT_FORMATS,
  aes256GcmPayloadCipher,
  cipherLookup,
  exportAudit,
  jwksKeyResolver,
  parseTime,
  verifyAuditLog,
  type AuditExportFormat,
  type AuditKeyResolver,
  type AuditVerifyReport,
  type PayloadCipher,
} from '@aeo/audit';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { JWK } from 'jose';
import { action, writeStdout } from '../cli-io.js';
import { openCliDatabase } from '../database.js';

/** `mra audit verify` found the log damaged (0 = intact, 1 = our fault, 2 = bad input). */
export const EXIT_AUDIT_BROKEN = 3;

const PROGRESS_EVERY = 10_000;
const DAY = 86_400_000;

function seqArgument(value: string): number {
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('expected a sequence number >= 1');
  return Number(value);
}

function timeArgument(value: string): string {
  try {
    parseTime(value, 'time');
  } catch {
    throw new InvalidArgumentError(
      'expected a date (2026-01-31), a date-time with zone (2026-01-31T12:00:00Z) or epoch ms',
    );
  }
  return value;
}

function repeatable(flags: string, description: string): Option {
  return new Option(flags, description)
    .argParser((value: string, previous: string[]) => [...previous, value])
    .default([], 'none');
}

function readText(file: string, option: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new GatewayError(
      'INVALID_VALUE',
      `${option}: cannot read ${file}: ${(error as Error).message}`,
      `/${option}`,
    );
  }
}

/** The gateway's public keys, from a JWKS file (the one the gateway publishes). */
function keysFrom(file: string | undefined): AuditKeyResolver | undefined {
  if (file === undefined) return undefined;
  let jwks: { keys?: unknown };
  try {
    jwks = JSON.parse(readText(file, 'jwks')) as { keys?: unknown };
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError('INVALID_VALUE', `--jwks: ${file} is not JSON`, '/jwks');
  }
  if (!Array.isArray(jwks.keys))
    throw new GatewayError('INVALID_VALUE', `--jwks: ${file} has no "keys" array`, '/jwks');
  return jwksKeyResolver({ keys: jwks.keys as JWK[] });
}

/** Checkpoint JWSs held outside the database: compact JWSs, or an export's checkpoints.json. */
function anchorsFrom(files: readonly string[]): string[] {
  return files.flatMap((file) => {
    const text = readText(file, 'anchor').trim();
    if (text.startsWith('{')) {
      const document = JSON.parse(text) as { checkpoints?: Array<{ jws?: unknown }> };
      return (document.checkpoints ?? []).flatMap((checkpoint) =>
        typeof checkpoint.jws === 'string' ? [checkpoint.jws] : [],
      );
    }
    return text.split(/\s+/).filter(Boolean);
  });
}

/** `--payload-key ID=FILE`: the AES-256 key (64 hex digits or base64 text, or 32 raw bytes) payloads were sealed with. */
function ciphersFrom(specs: readonly string[]): PayloadCipher[] {
  return specs.map((spec) => {
    const at = spec.indexOf('=');
    if (at <= 0)
      throw new GatewayError('INVALID_VALUE', `--payload-key expects ID=FILE, got '${spec}'`, '/payload-key');
    const file = spec.slice(at + 1);
    let raw: Buffer;
    try {
      raw = readFileSync(file);
    } catch (error) {
      throw new GatewayError(
        'INVALID_VALUE',
        `--payload-key: cannot read ${file}: ${(error as Error).message}`,
        '/payload-key',
      );
    }
    const text = raw.toString('utf8').trim();
    const key = /^[0-9a-fA-F]{64}$/.test(text)
      ? Buffer.from(text, 'hex')
      : /^[A-Za-z0-9+/_-]{43}=?$/.test(text)
        ? Buffer.from(text, 'base64')
        : raw;
    return aes256GcmPayloadCipher(spec.slice(0, at), key);
  });
}

function progress(verb: string) {
  return ({ entries, seq }: { entries: number; seq: number }) => {
    process.stderr.write(`${verb} ${entries.toLocaleString('en-US')} entries (seq ${seq})\n`);
  };
}

function summary(report: AuditVerifyReport): string {
  const lines: string[] = [];
  const range = report.entries > 0 ? `entries ${report.firstSeq}..${report.lastSeq}` : 'no entries';
  lines.push(
    report.ok
      ? `audit log verified: ${range} (${report.entries} entries)`
      : `AUDIT LOG NOT VERIFIED (${range} checked before the problem)`,
  );
  if (report.problem) {
    lines.push(
      `  first bad seq: ${report.problem.seq}${report.problem.lastSeq !== undefined && report.problem.lastSeq !== report.problem.seq ? ` (through ${report.problem.lastSeq})` : ''}`,
    );
    lines.push(`  problem: ${report.problem.kind}: ${report.problem.message}`);
  }
  if (report.headHash) lines.push(`  head hash: ${report.headHash}`);
  lines.push(
    `  chain start: ${
      report.start === 'genesis'
        ? 'genesis'
        : report.start === 'entry'
          ? `entry ${report.from - 1}`
          : `unanchored (entry ${report.from - 1} is not in the database; compare entry ${report.from}'s prevHash with its archive)`
    }`,
  );
  const { checkpoints } = report;
  const after =
    report.lastSeq !== null && checkpoints.lastCoveredSeq !== null
      ? report.lastSeq - checkpoints.lastCoveredSeq
      : null;
  lines.push(
    `  checkpoints: ${checkpoints.checked} checked, signatures ${checkpoints.signatures === 'verified' ? 'verified' : 'NOT checked (pass --jwks)'}` +
      (checkpoints.lastCoveredSeq === null
        ? ', none covers these entries'
        : `, covered through seq ${checkpoints.lastCoveredSeq}${after ? ` (${after} later entries not yet checkpointed)` : ''}`),
  );
  if (report.payloads) {
    lines.push(
      `  payloads: ${report.payloads.checked} checked, ${report.payloads.notStored} not stored (metadata only), ${report.payloads.sealed} sealed without a key`,
    );
  }
  lines.push(
    `  ${report.entriesPerSecond.toLocaleString('en-US')} entries/s, ${(report.durationMs / 1000).toFixed(2)} s`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Exclusive end of a --to value: a date alone means "through the end of that day" (UTC),
 * a date-time is the exact (exclusive) end.
 */
function exportEnd(value: string): number {
  const ms = parseTime(value, 'to');
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? ms + DAY : ms;
}

/** `mra audit verify`, `mra audit export`: the tamper-evident log, checked and handed to an auditor. */
export function registerAuditCommands(program: Command): void {
  const audit = program
    .command('audit')
    .description('the hash-chained audit log: verify it, export evidence');

  audit
    .command('verify')
    .description(
      'recompute the hash chain and check the signed checkpoints; exit 0 when intact, ' +
        `${EXIT_AUDIT_BROKEN} naming the first bad sequence number when not`,
    )
    .option('--from <seq>', 'first sequence number to check (default 1)', seqArgument)
    .option('--to <seq>', 'last sequence number to check (default: the head)', seqArgument)
    .option('--jwks <file>', "the gateway's public JWKS, to verify checkpoint signatures")
    .addOption(
      repeatable(
        '--anchor <file>',
        'checkpoint JWSs kept outside the database (a partner copy, an earlier checkpoints.json); repeatable',
      ),
    )
    .option('--payloads', 'also check every stored message against its SHA-256')
    .addOption(
      repeatable('--payload-key <id=file>', 'AES-256 key that stored payloads were sealed with; repeatable'),
    )
    .option('--json', 'print the report as JSON')
    .action(
      action(
        async (options: {
          from?: number;
          to?: number;
          jwks?: string;
          anchor: string[];
          payloads?: boolean;
          payloadKey: string[];
          json?: boolean;
        }) => {
          const resolveKey = keysFrom(options.jwks);
          const anchors = anchorsFrom(options.anchor);
          const ciphers = cipherLookup(ciphersFrom(options.payloadKey));
          const dataSource = await openCliDatabase();
          try {
            const report = await verifyAuditLog(dataSource, {
              ...(options.from !== undefined ? { from: options.from } : {}),
              ...(options.to !== undefined ? { to: options.to } : {}),
              ...(resolveKey ? { resolveKey } : {}),
              anchors,
              checkPayloads: options.payloads === true,
              ciphers,
              progressEvery: PROGRESS_EVERY,
              onProgress: progress('verified'),
            });
            writeStdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : summary(report));
            if (report.problem) {
              const { kind, seq, message } = report.problem;
              process.stderr.write(
                `${JSON.stringify({ error: { code: kind, message, path: `/seq/${seq}`, seq } })}\n`,
              );
              return EXIT_AUDIT_BROKEN;
            }
            return undefined;
          } finally {
            await dataSource.destroy();
          }
        },
      ),
    );

  audit
    .command('export')
    .description(
      'write the entries recorded in a time range, their messages, the covering signed checkpoints and a manifest, ' +
        'for verification without the gateway (tools/verify-audit-export.mjs, sha256sum, any JOSE tool)',
    )
    .addOption(
      new Option('--from <time>', 'start, inclusive: 2026-01-01, 2026-01-01T00:00:00Z or epoch ms')
        .argParser(timeArgument)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--to <time>', 'end: a date includes that whole day (UTC); a date-time is exclusive')
        .argParser(timeArgument)
        .makeOptionMandatory(),
    )
    .option(
      '--partner <partner>',
      "only this partner's entries in scope (others in between are kept for the chain, without payloads)",
    )
    .addOption(
      new Option('--format <format>', 'entries file format')
        .choices([...AUDIT_EXPORT_FORMATS])
        .makeOptionMandatory(),
    )
    .requiredOption('--out <dir>', 'output directory (new or empty)')
    .option('--jwks <file>', "the gateway's public JWKS: the keys of the checkpoints go into the export")
    .addOption(
      repeatable('--payload-key <id=file>', 'AES-256 key that stored payloads were sealed with; repeatable'),
    )
    .action(
      action(
        async (options: {
          from: string;
          to: string;
          partner?: string;
          format: AuditExportFormat;
          out: string;
          jwks?: string;
          payloadKey: string[];
        }) => {
          const resolveKey = keysFrom(options.jwks);
          const ciphers = cipherLookup(ciphersFrom(options.payloadKey));
          const dataSource = await openCliDatabase();
          try {
            const manifest = await exportAudit(dataSource, {
              from: parseTime(options.from, 'from'),
              to: exportEnd(options.to),
              ...(options.partner !== undefined ? { partner: options.partner } : {}),
              format: options.format,
              outDir: options.out,
              ...(resolveKey ? { resolveKey } : {}),
              ciphers,
              progressEvery: PROGRESS_EVERY,
              onProgress: progress('exported'),
            });
            const { entries, payloads, checkpoints } = manifest;
            writeStdout(
              `${JSON.stringify({
                exported: options.out,
                entries: entries.count,
                firstSeq: entries.firstSeq,
                lastSeq: entries.lastSeq,
                inScope: entries.inScope,
                payloads: payloads.count,
                payloadsNotStored: payloads.notStored.length,
                checkpoints: checkpoints.count,
                coveredThroughSeq: checkpoints.coveredThroughSeq,
              })}\n`,
            );
          } catch (error) {
            if (error instanceof GatewayError && error.code === 'KEY_UNKNOWN' && options.jwks === undefined) {
              throw new GatewayError(
                'KEY_UNKNOWN',
                `${error.message}: pass --jwks with the gateway's public JWKS`,
                '/jwks',
              );
            }
            throw error;
          } finally {
            await dataSource.destroy();
          }
        },
      ),
    );
}
