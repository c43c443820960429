/**
 * `npm run bench`: every benchmark in its own child process, one after the other (so each
 * one's memory is its own and they do not compete for the two cores), then one summary:
 * metric, gateway figure, the raw floor measured in the same run, ratio, target, met?
 *
 *   npm run bench                 # the full run (about ten minutes on 2 quiet cores)
 *   npm run bench -- --quick      # a smoke run of about a minute or two: tiny sizes, one repetition
 *   npm run bench -- --only codec,pipeline
 *
 * Each benchmark prints its own table and writes bench/results/<name>-<timestamp>.json; this
 * script picks up the file each one wrote, and writes bench/results/summary-<timestamp>.json.
 * The load average is sampled throughout: other work on the machine shows in every figure.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '@aeo/config';
import {
  QUICK,
  argument,
  fmt,
  formatTable,
  load,
  progress,
  round,
  summaryMetric,
  writeResult,
  atLeast,
  type SummaryMetric,
} from './support/kit.js';

interface Benchmark {
  readonly name: string;
  readonly script: string;
  /** Result files of this benchmark are named <prefix><ISO timestamp>.json. */
  readonly prefix: string;
  readonly args: readonly string[];
  readonly quickArgs: readonly string[];
  /** Summary lines from the result file (new scripts carry `summary`; the older three are mapped here). */
  readonly summarise: (result: Record<string, unknown>) => SummaryMetric[];
}

const own = (result: Record<string, unknown>) => (result.summary as SummaryMetric[] | undefined) ?? [];

interface TrustRow {
  operation: string;
  raw: { opsPerSecond: number };
  joseSequential: { opsPerSecond: number };
  jose32: { opsPerSecond: number; opsPerCpuSecond: number };
  fullVerifier?: { sequential: { opsPerSecond: number }; inFlight32: { opsPerSecond: number } };
}

function trustSummary(result: Record<string, unknown>): SummaryMetric[] {
  // trust-bench.ts now writes its own summary (the product's seal/open beside the floor).
  if (Array.isArray(result.summary)) return own(result);
  return (result.rows as TrustRow[]).flatMap((row) => {
    const floor = {
      value: row.raw.opsPerSecond,
      label: row.operation.startsWith('JWE') ? 'ECDH floor (node:crypto)' : 'node:crypto, synchronous',
    };
    const lines = [
      summaryMetric(
        'trust',
        `${row.operation}, jose sequential`,
        'ops/s',
        Math.round(row.joseSequential.opsPerSecond),
        floor,
      ),
      summaryMetric(
        'trust',
        `${row.operation}, jose 32 in flight`,
        'ops/s',
        Math.round(row.jose32.opsPerSecond),
        floor,
      ),
    ];
    if (row.fullVerifier) {
      lines.push(
        summaryMetric(
          'trust',
          `${row.operation}, MessageVerifier sequential`,
          'ops/s',
          Math.round(row.fullVerifier.sequential.opsPerSecond),
          floor,
        ),
        summaryMetric(
          'trust',
          `${row.operation}, MessageVerifier 32 in flight`,
          'ops/s',
          Math.round(row.fullVerifier.inFlight32.opsPerSecond),
          floor,
        ),
      );
    }
    return lines;
  });
}

interface AuditRow {
  database: string;
  appendBatchPerSec: number;
  appendSinglePerSec: number;
  verifyPerSec: number;
  recomputePerSec: number;
  sha256FloorPerSec: number;
}

function auditSummary(result: Record<string, unknown>): SummaryMetric[] {
  return (result.rows as AuditRow[]).flatMap((row) => {
    const floor = { value: row.sha256FloorPerSec, label: 'SHA-256 chain over the same bytes' };
    return [
      summaryMetric(
        'audit',
        `append, batches of 500, ${row.database}`,
        'entries/s',
        row.appendBatchPerSec,
        floor,
      ),
      summaryMetric(
        'audit',
        `append, 1 entry per transaction, ${row.database}`,
        'entries/s',
        row.appendSinglePerSec,
        floor,
      ),
      summaryMetric(
        'audit',
        `verify from the database, ${row.database}`,
        'entries/s',
        row.verifyPerSec,
        floor,
        atLeast(200_000, 'entries/s'),
      ),
      summaryMetric(
        'audit',
        `recompute in memory (canonical form + hash), ${row.database}`,
        'entries/s',
        row.recomputePerSec,
        floor,
      ),
    ];
  });
}

interface RecognitionRow {
  path: string;
  opsPerSec: number;
  p50Micros: number;
  p99Micros: number;
}

function recognitionSummary(result: Record<string, unknown>): SummaryMetric[] {
  const rows = result.rows as RecognitionRow[];
  const floor = rows.find((r) => r.path.startsWith('Map.get'))!;
  return rows
    .filter((r) => r !== floor)
    .flatMap((r) => [
      summaryMetric('recognition', `${r.path} (${String(result.database)})`, 'ops/s', r.opsPerSec, {
        value: floor.opsPerSec,
        label: 'Map.get of a precomputed key',
      }),
      summaryMetric('recognition', `${r.path}: p99`, 'µs', round(r.p99Micros, 2), {
        value: round(floor.p99Micros, 2),
        label: 'Map.get of a precomputed key',
      }),
    ]);
}

const BENCHMARKS: Benchmark[] = [
  {
    name: 'trust',
    script: 'trust-bench.ts',
    prefix: 'trust-bench-',
    args: ['--duration-ms', '400', '--repetitions', '3'],
    quickArgs: ['--duration-ms', '100', '--repetitions', '1'],
    summarise: trustSummary,
  },
  {
    name: 'audit',
    script: 'audit-bench.ts',
    prefix: 'audit-',
    args: ['--entries', '50000'],
    quickArgs: ['--entries', '5000'],
    summarise: auditSummary,
  },
  {
    name: 'recognition',
    script: 'recognition-bench.ts',
    prefix: 'recognition-',
    args: ['--records', '100000', '--decisions', '30000'],
    quickArgs: ['--records', '5000', '--decisions', '5000'],
    summarise: recognitionSummary,
  },
  {
    name: 'codec',
    script: 'codec-bench.ts',
    prefix: 'codec-',
    args: [],
    quickArgs: ['--quick'],
    summarise: own,
  },
  {
    name: 'pipeline',
    script: 'pipeline-bench.ts',
    prefix: 'pipeline-',
    args: [],
    quickArgs: ['--quick'],
    summarise: own,
  },
  {
    name: 'snapshot',
    script: 'snapshot-bench.ts',
    prefix: 'snapshot-',
    args: [],
    quickArgs: ['--quick'],
    summarise: own,
  },
  {
    name: 'recognition-http',
    script: 'recognition-http-bench.ts',
    prefix: 'recognition-http-',
    args: [],
    quickArgs: ['--quick'],
    summarise: own,
  },
];

interface RunRecord {
  name: string;
  args: readonly string[];
  exitCode: number | null;
  seconds: number;
  peakRssMb: number | null;
  resultFile: string | null;
  loadBefore: number;
  loadAfter: number;
}

const RESULTS = repoPath('bench', 'results');
const listResults = () => new Set(readdirSync(RESULTS).filter((f) => f.endsWith('.json')));

/** VmHWM (peak resident set) of a running process in MB, from /proc; null when unavailable. */
function peakRss(pid: number | undefined): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmHWM:'));
    return line ? round(Number(line.replace(/\D+/g, '')) / 1024, 1) : null;
  } catch {
    return null;
  }
}

function run(benchmark: Benchmark): Promise<RunRecord> {
  const args = QUICK ? benchmark.quickArgs : benchmark.args;
  const before = listResults();
  const loadBefore = load().loadavg1;
  const start = performance.now();
  progress(`=== ${benchmark.name}: tsx bench/${benchmark.script} ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, repoPath('bench', benchmark.script), ...args],
      {
        cwd: repoPath(),
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    // The child's own high-water mark; read until it exits (its children are not included).
    let peak: number | null = null;
    const poll = setInterval(() => (peak = peakRss(child.pid) ?? peak), 250);
    child.on('exit', (code) => {
      clearInterval(poll);
      const created = [...listResults()]
        .filter(
          (f) =>
            !before.has(f) &&
            f.startsWith(benchmark.prefix) &&
            /^\d{4}-/.test(f.slice(benchmark.prefix.length)),
        )
        .sort();
      resolve({
        name: benchmark.name,
        args,
        exitCode: code,
        seconds: round((performance.now() - start) / 1000, 1),
        peakRssMb: peak,
        resultFile: created.length > 0 ? join(RESULTS, created[created.length - 1]) : null,
        loadBefore,
        loadAfter: load().loadavg1,
      });
    });
  });
}

const only = argument('only', '')
  .split(',')
  .filter((name) => name.length > 0);
const selected = BENCHMARKS.filter((b) => only.length === 0 || only.includes(b.name));
const loadSamples: number[] = [load().loadavg1];
const sampler = setInterval(() => loadSamples.push(load().loadavg1), 10_000);
const started = new Date();
const runs: RunRecord[] = [];
const metrics: SummaryMetric[] = [];
for (const benchmark of selected) {
  const record = await run(benchmark);
  runs.push(record);
  if (record.resultFile) {
    try {
      metrics.push(
        ...benchmark.summarise(
          JSON.parse(readFileSync(record.resultFile, 'utf8')) as Record<string, unknown>,
        ),
      );
    } catch (error) {
      progress(`${benchmark.name}: cannot read ${record.resultFile}: ${(error as Error).message}`);
    }
  }
  if (record.exitCode !== 0)
    progress(
      `${benchmark.name} exited with ${record.exitCode}${record.resultFile ? '' : ' and wrote no result'}`,
    );
}
clearInterval(sampler);
loadSamples.push(load().loadavg1);

const ratioText = (m: SummaryMetric) =>
  m.ratio === null ? '–' : m.ratio >= 0.1 ? m.ratio.toFixed(2) : m.ratio.toFixed(3);
const value = (m: SummaryMetric) =>
  Number.isFinite(m.gateway)
    ? `${fmt(m.gateway, m.unit === 'ms' || m.unit === 's' ? 2 : 0)} ${m.unit}`
    : `– (${m.note ?? 'no figure'})`;
console.log(
  `\n\n=== npm run bench${QUICK ? ' --quick' : ''}: summary (${started.toISOString()}, node ${process.version}, ${load().cpus} CPUs)\n`,
);
console.log(
  `load average (1 min) during the run: min ${fmt(Math.min(...loadSamples), 2)}, median ${fmt([...loadSamples].sort((a, b) => a - b)[Math.floor(loadSamples.length / 2)], 2)}, max ${fmt(Math.max(...loadSamples), 2)} on ${load().cpus} CPUs. Above ~1 the benchmarks shared the CPUs with other work.\n`,
);
console.log(
  formatTable(
    ['benchmark', 'seconds', 'exit', 'peak RSS MB', 'load1 before / after', 'result'],
    runs.map((r) => [
      r.name,
      fmt(r.seconds, 1),
      String(r.exitCode),
      fmt(r.peakRssMb),
      `${fmt(r.loadBefore, 2)} / ${fmt(r.loadAfter, 2)}`,
      r.resultFile ? r.resultFile.replace(`${repoPath()}/`, '') : 'none',
    ]),
  ),
);
console.log('');
console.log(
  formatTable(
    ['metric', 'gateway', 'floor', 'ratio', 'target', 'met?'],
    metrics.map((m) => [
      `${m.group}: ${m.metric}`,
      value(m),
      m.floor === null ? '–' : `${fmt(m.floor, m.unit === 'ms' || m.unit === 's' ? 2 : 0)} (${m.floorLabel})`,
      ratioText(m),
      m.target ?? '',
      m.met === null ? '' : m.met ? 'yes' : 'NO',
    ]),
  ),
);
const targeted = metrics.filter((m) => m.met !== null);
console.log(
  `\nratio = gateway / floor (for times and sizes floor / gateway): the share of the raw floor the gateway reaches.\ntargets met: ${targeted.filter((m) => m.met).length} of ${targeted.length}`,
);

const file = writeResult('summary', {
  startedAt: started.toISOString(),
  loadSamples,
  runs,
  summary: metrics,
});
console.log(`written ${file}`);
