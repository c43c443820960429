/**
 * Audit-log costs: append (batches of 500 in one transaction, one entry per transaction for
 * contrast, and group commit: 32 callers each appending one entry and waiting for its commit,
 * as recognition requests do), verify (entries/s, and this process's CPU per entry, which a
 * loaded machine disturbs less than wall time), and the raw SHA-256 floor over the very bytes
 * the chain hashes.
 *
 *   npx tsx bench/audit-bench.ts [--entries 50000] [--only sqlite|postgres]
 *
 * Prints a table and writes bench/results/audit-<timestamp>.json. PostgreSQL is the local
 * server of test/support/databases.ts (PG_ADMIN_URL overrides); a fresh database is created
 * and dropped. Figures are medians; the machine and its fsync cost dominate the append rates.
 */
import { hash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { openDataSource } from '@aeo/persistence';
import {
  AuditLog,
  auditEntities,
  auditMigrations,
  canonicalEntry,
  entryHash,
  getAuditEntry,
  verifyAuditLog,
  canonicalJson,
  type AuditEntryInput,
  type AuditEntryRecord,
} from '@aeo/audit';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type TestDatabase,
} from '../test/support/databases.js';
import { sampleEntries } from '../test/audit/audit-support.js';

const args = process.argv.slice(2);
const argument = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const ENTRIES = Number(argument('--entries') ?? 50_000);
const ONLY = argument('--only');
const BATCH = 500;
const SINGLE = 1_000;
const GROUP_CALLERS = 32;
const GROUPED = 4_000;

interface Row {
  database: string;
  entries: number;
  appendBatchPerSec: number;
  appendSinglePerSec: number;
  appendConcurrentSinglePerSec: number;
  appendGroupCommitPerSec: number;
  verifyPerSec: number;
  verifyCpuUsPerEntry: number;
  recomputePerSec: number;
  sha256FloorPerSec: number;
  sha256FloorMBps: number;
  bytesPerEntry: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(body: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  await body();
  return performance.now() - start;
}

async function measure(name: string, create: () => Promise<TestDatabase>): Promise<Row> {
  const db = await create();
  const dataSource = await openDataSource({
    url: db.url,
    entities: auditEntities,
    migrations: auditMigrations,
  });
  try {
    const log = new AuditLog(dataSource);
    // Append: batches of 500 in one transaction each (the exchange's inbound batches).
    const inputs = Array.from({ length: ENTRIES / BATCH }, (_, i) => sampleEntries(BATCH, i * BATCH));
    const batchMs = await timed(async () => {
      for (const batch of inputs) await log.append(batch);
    });
    // Append: one entry per transaction (a synchronous commit per exchange).
    const singles = sampleEntries(SINGLE, ENTRIES);
    const singleMs = await timed(async () => {
      for (const input of singles) await log.append([input]);
    });

    // GROUP_CALLERS callers, each appending one entry and waiting for its commit: a
    // transaction per entry (appendOne), then group commit (appendGroupCommitted).
    const concurrently = async (
      inputs: readonly AuditEntryInput[],
      append: (input: AuditEntryInput) => Promise<unknown>,
    ) => {
      let next = 0;
      return timed(async () => {
        await Promise.all(
          Array.from({ length: GROUP_CALLERS }, async () => {
            while (next < inputs.length) await append(inputs[next++]);
          }),
        );
      });
    };
    const concurrentSingleMs = await concurrently(sampleEntries(SINGLE, ENTRIES + SINGLE), (input) =>
      log.appendOne(input),
    );
    const groupMs = await concurrently(sampleEntries(GROUPED, ENTRIES + 2 * SINGLE), (input) =>
      log.appendGroupCommitted(input),
    );

    // Verify the whole log from the database (3 runs).
    const verifyRates: number[] = [];
    const verifyCpu: number[] = [];
    let total = 0;
    for (let run = 0; run < 3; run++) {
      const cpuBefore = process.cpuUsage();
      const report = await verifyAuditLog(dataSource);
      const cpu = process.cpuUsage(cpuBefore);
      if (!report.ok) throw new Error(`benchmark log does not verify: ${report.problem?.message}`);
      total = report.entries;
      verifyRates.push(report.entriesPerSecond);
      verifyCpu.push((cpu.user + cpu.system) / report.entries);
    }

    // The same bytes in memory: recompute (canonical encoding + hash) and the bare SHA-256 floor.
    const records: AuditEntryRecord[] = [];
    for (let seq = 1; seq <= Math.min(total, 20_000); seq++) {
      const entry = (await getAuditEntry(dataSource, seq))!;
      records.push({ ...entry, details: canonicalJson(entry.details) });
    }
    const canonical = records.map((record) => canonicalEntry(record));
    const bytes = records.reduce(
      (sum, record, i) => sum + record.prevHash.length + Buffer.byteLength(canonical[i]),
      0,
    );
    const recomputeRates: number[] = [];
    const floorRates: number[] = [];
    for (let run = 0; run < 5; run++) {
      recomputeRates.push(
        (records.length * 1000) / (await timed(() => records.forEach((record) => entryHash(record)))),
      );
      floorRates.push(
        (records.length * 1000) /
          (await timed(() => {
            let prev = records[0].prevHash;
            for (const text of canonical) prev = hash('sha256', prev + text, 'hex');
          })),
      );
    }
    const floor = median(floorRates);
    return {
      database: name,
      entries: total,
      appendBatchPerSec: Math.round((ENTRIES * 1000) / batchMs),
      appendSinglePerSec: Math.round((SINGLE * 1000) / singleMs),
      appendConcurrentSinglePerSec: Math.round((SINGLE * 1000) / concurrentSingleMs),
      appendGroupCommitPerSec: Math.round((GROUPED * 1000) / groupMs),
      verifyPerSec: median(verifyRates),
      verifyCpuUsPerEntry: Math.round(median(verifyCpu) * 100) / 100,
      recomputePerSec: Math.round(median(recomputeRates)),
      sha256FloorPerSec: Math.round(floor),
      sha256FloorMBps: Math.round((floor * bytes) / records.length / 1e6),
      bytesPerEntry: Math.round(bytes / records.length),
    };
  } finally {
    await dataSource.destroy();
    await db.drop();
  }
}

const targets: Array<[string, () => Promise<TestDatabase>]> = [
  ['sqlite (WAL, synchronous=FULL)', createSqliteDatabase],
  ['postgres', createPostgresDatabase],
];
const rows: Row[] = [];
for (const [name, create] of targets) {
  if (ONLY && !name.startsWith(ONLY)) continue;
  process.stderr.write(`measuring ${name}: ${ENTRIES} entries in batches of ${BATCH}...\n`);
  rows.push(await measure(name, create));
}

const format = (n: number) => n.toLocaleString('en-US');
const header = [
  'database',
  'append e/s (batch 500)',
  'append e/s (1 per tx)',
  `append e/s (${GROUP_CALLERS} callers, 1 per tx)`,
  `append e/s (${GROUP_CALLERS} callers, group commit)`,
  'verify e/s (from DB)',
  'verify CPU µs/entry (this process)',
  'recompute e/s (memory)',
  'SHA-256 floor e/s',
  'floor MB/s',
  'bytes/entry',
];
const table = [
  header,
  ...rows.map((row) => [
    row.database,
    format(row.appendBatchPerSec),
    format(row.appendSinglePerSec),
    format(row.appendConcurrentSinglePerSec),
    format(row.appendGroupCommitPerSec),
    format(row.verifyPerSec),
    row.verifyCpuUsPerEntry.toFixed(2),
    format(row.recomputePerSec),
    format(row.sha256FloorPerSec),
    format(row.sha256FloorMBps),
    format(row.bytesPerEntry),
  ]),
];
const widths = header.map((_, i) => Math.max(...table.map((line) => line[i].length)));
for (const [index, line] of table.entries()) {
  process.stdout.write(
    `| ${line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |\n`,
  );
  if (index === 0)
    process.stdout.write(
      `|${widths.map((width, i) => (i === 0 ? '-'.repeat(width + 2) : `${'-'.repeat(width + 1)}:`)).join('|')}|\n`,
    );
}

const dir = join(process.cwd(), 'bench', 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `audit-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  `${JSON.stringify(
    {
      benchmark: 'audit',
      node: process.version,
      cpus: cpus().length,
      loadavg: loadavg(),
      entries: ENTRIES,
      batch: BATCH,
      rows,
    },
    null,
    2,
  )}\n`,
);
process.stdout.write(
  `\nload average at the end (1/5/15 min): ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')} on ${cpus().length} CPUs\nresults: ${file}\n`,
);
