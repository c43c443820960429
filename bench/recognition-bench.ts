/**
 * Recognition on arrival, the in-memory path: decisions per second and per-call latency with
 * a register of 100,000 foreign AEOs, beside the floor of a plain Map lookup of the same keys.
 *
 *   npx tsx bench/recognition-bench.ts [--records 100000] [--decisions 200000] [--db sqlite|postgres]
 *
 * Prints a table and writes bench/results/recognition-<timestamp>.json. The database (a
 * fresh SQLite file by default, or a fresh database on the local PostgreSQL) only feeds the
 * index at start and answers the coherence checks; the rows measure:
 *   - Map.get floor: the bare lookup of a precomputed key string, nothing else;
 *   - id parsing: DeclaredIdResolver.identify on the declared spelling (regular expressions);
 *   - recognise, in-memory: the whole service call — validation, id parsing, index lookup,
 *     status rule, MRA rules, decision object — with the coherence interval longer than the run;
 *   - recognise, 100 ms coherence: the same with a database check every 100 ms, amortised.
 * Every path runs through the same awaited loop, so even the floor pays one await. Throughput
 * is a timed loop without per-call timers; p50/p99 come from a second loop that times every
 * call. Medians of 3 runs. `heap` is the whole process (the bench's own copies included).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { vknCheckDigit, type AeoRecord } from '@aeo/domain';
import { openDataSource } from '@aeo/persistence';
import {
  DeclaredIdResolver,
  REGISTRY_ENTITIES,
  REGISTRY_MIGRATIONS,
  createRecognitionService,
  foreignRegister,
  partnerProgrammesFromProfiles,
  registerKeyString,
  type RecognitionRequest,
  type RecognitionService,
} from '@aeo/registry';
import { createPostgresDatabase, createSqliteDatabase } from '../test/support/databases.js';
import { allMraConfigs, foreignRecord } from '../test/registry/support/recognition-builders.js';

const args = process.argv.slice(2);
const argument = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const RECORDS = Number(argument('--records') ?? 100_000);
const DECISIONS = Number(argument('--decisions') ?? 200_000);
const DB = argument('--db') ?? 'sqlite';
const RUNS = 3;

interface Row {
  readonly path: string;
  readonly opsPerSec: number;
  readonly p50Micros: number;
  readonly p99Micros: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (sorted: Float64Array, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/** 40 % Chinese, 30 % Korean, 20 % Turkish, 10 % EAEU (Belarus and Russia), as the border might see them. */
function buildRecords(count: number): { records: AeoRecord[]; spellings: string[] } {
  const records: AeoRecord[] = [];
  const spellings: string[] = [];
  for (let i = 0; i < count; i++) {
    const slot = i % 10;
    const serial = String(i).padStart(8, '0');
    if (slot < 4) {
      records.push(foreignRecord('CN-GACC', `60${serial}`));
      spellings.push(i % 3 === 0 ? `60${serial}` : `AEOCN60${serial}`);
    } else if (slot < 7) {
      records.push(foreignRecord('KR-KCS', `70${serial}`));
      spellings.push(`KR70${serial}`);
    } else if (slot < 9) {
      const stem = `5${serial}`;
      const vkn = `${stem}${vknCheckDigit(stem)}`;
      records.push(foreignRecord('TR-MOT', vkn));
      spellings.push(`TR${vkn}`);
    } else {
      const member = i % 20 === 9 ? 'EAEU-BY' : 'EAEU-RU';
      records.push(foreignRecord(member, serial));
      spellings.push(`${member.slice(5).toLowerCase()}/${serial}/tip 3`);
    }
  }
  return { records, spellings };
}

async function throughput(count: number, call: (i: number) => unknown): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) await call(i);
  return (count * 1000) / (performance.now() - start);
}

async function latencies(count: number, call: (i: number) => unknown): Promise<Float64Array> {
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await call(i);
    times[i] = performance.now() - start;
  }
  return times.sort();
}

async function measure(path: string, call: (i: number) => unknown): Promise<Row> {
  await throughput(Math.min(DECISIONS, 20_000), call); // warm-up: JIT and caches
  const rates: number[] = [];
  const p50: number[] = [];
  const p99: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    rates.push(await throughput(DECISIONS, call));
    const sorted = await latencies(DECISIONS, call);
    p50.push(percentile(sorted, 0.5) * 1000);
    p99.push(percentile(sorted, 0.99) * 1000);
  }
  return { path, opsPerSec: Math.round(median(rates)), p50Micros: median(p50), p99Micros: median(p99) };
}

const db = DB === 'postgres' ? await createPostgresDatabase() : await createSqliteDatabase();
const dataSource = await openDataSource({
  url: db.url,
  entities: REGISTRY_ENTITIES,
  migrations: REGISTRY_MIGRATIONS,
});
const services: RecognitionService[] = [];
try {
  process.stderr.write(`storing ${RECORDS.toLocaleString('en-US')} foreign AEOs in ${DB}...\n`);
  const { records, spellings } = buildRecords(RECORDS);
  const storedAt = Date.now();
  for (let i = 0; i < records.length; i += 1_000) {
    await dataSource.transaction((manager) =>
      foreignRegister.apply(manager, {
        environment: 'production',
        records: records.slice(i, i + 1_000),
        source: 'bench',
        sourceMessageId: `bench-${i}`,
        storedAt,
      }),
    );
  }

  // Every 20th request names an AEO no register holds (a well-formed Chinese code).
  const requests: RecognitionRequest[] = Array.from({ length: DECISIONS }, (_, i) => ({
    declaredAeoId:
      i % 20 === 19 ? `AEOCN69${String(i).padStart(8, '0')}` : spellings[(i * 7_919) % spellings.length],
    declarationReference: `KZ-BENCH-${i}`,
    environment: 'production',
    ...(i % 4 === 0 ? { role: 'CARRIER' as const } : {}),
  }));

  const partners = partnerProgrammesFromProfiles();
  const configs = allMraConfigs();
  const inMemory = createRecognitionService({
    dataSource,
    mraConfigs: configs,
    partners,
    coherenceIntervalMs: 3_600_000,
  });
  const polled = createRecognitionService({
    dataSource,
    mraConfigs: configs,
    partners,
    coherenceIntervalMs: 100,
  });
  services.push(inMemory, polled);
  const loadStart = performance.now();
  await inMemory.start();
  const loadMs = performance.now() - loadStart;
  await polled.start();
  const heapMb = Math.round(process.memoryUsage().heapUsed / 1e6);

  const check = await inMemory.recognise(requests[0]);
  if (check.reasonCode !== 'ACTIVE' && check.reasonCode !== 'ROLE_NOT_COVERED')
    throw new Error(`unexpected decision ${check.reasonCode}`);

  const floorMap = new Map(
    records.map((r) => [registerKeyString('production', r.programme, r.aeoIdNormalized), r]),
  );
  const floorKeys = requests.map((_, i) => {
    const r = records[(i * 7_919) % records.length];
    return registerKeyString('production', r.programme, r.aeoIdNormalized);
  });
  const resolver = new DeclaredIdResolver(partners);

  const rows: Row[] = [];
  process.stderr.write(
    `measuring ${DECISIONS.toLocaleString('en-US')} decisions × ${RUNS} runs per path...\n`,
  );
  rows.push(await measure('Map.get floor (precomputed key)', (i) => floorMap.get(floorKeys[i])));
  rows.push(
    await measure('id parsing only (DeclaredIdResolver)', (i) =>
      resolver.identify(requests[i].declaredAeoId, configs),
    ),
  );
  rows.push(await measure('recognise, in-memory path', (i) => inMemory.recognise(requests[i])));
  rows.push(await measure('recognise, 100 ms coherence checks', (i) => polled.recognise(requests[i])));

  const format = (n: number, digits = 0) =>
    n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const header = ['path', 'ops/s', 'p50 µs', 'p99 µs'];
  const table = [
    header,
    ...rows.map((r) => [r.path, format(r.opsPerSec), format(r.p50Micros, 2), format(r.p99Micros, 2)]),
  ];
  const widths = header.map((_, i) => Math.max(...table.map((line) => line[i].length)));
  process.stdout.write(
    `${RECORDS.toLocaleString('en-US')} records in the index (index loaded in ${Math.round(loadMs)} ms; process heap ${heapMb} MB), ${DB}\n`,
  );
  for (const [index, line] of table.entries()) {
    process.stdout.write(
      `| ${line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |\n`,
    );
    if (index === 0)
      process.stdout.write(
        `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|\n`,
      );
  }

  const dir = join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `recognition-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ benchmark: 'recognition', node: process.version, cpus: cpus().length, loadavg: loadavg(), database: DB, records: RECORDS, decisions: DECISIONS, runs: RUNS, loadMs: Math.round(loadMs), heapMb, rows }, null, 2)}\n`,
  );
  process.stdout.write(`written ${file}\n`);
} finally {
  await dataSource.destroy();
  await db.drop();
}
