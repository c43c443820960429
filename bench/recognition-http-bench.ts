/**
 * Recognition on arrival over HTTP: POST /v1/recognitions on a started gateway (the real
 * one: tsc build, Nest, API-key guard, recognition service with its in-memory index, an
 * audit entry per decision, exchange runtime running) at a fixed request rate, beside a bare
 * Nest endpoint (bench/support/bare-nest-server.ts) measured the same way on the same machine.
 *
 *   npx tsx bench/recognition-http-bench.ts [--quick] [--rate 2000] [--duration-ms 10000]
 *                                           [--records 20000] [--connections 32] [--only sqlite|postgres]
 *                                           [--cpu-prof-dir DIR]
 *
 * Each server is its own Node process; the load generator (bench/support/load-generator.ts,
 * keep-alive node:http) runs in this one. Per server: warm-up (8 in flight), a closed loop
 * with --connections requests in flight (maximum throughput), then --duration-ms at --rate
 * (open loop: p50/p99 latency, rate of 200 answers, status codes). The gateway's
 * foreign register holds --records fictional AEOs of all four partners; 19 requests in 20
 * name one of them as a declarant would write it, 1 in 20 a well-formed id nobody holds, 1
 * in 4 asks about a role. Server CPU time per request comes from /proc/<pid>/stat. A request
 * unanswered after 2 s is abandoned and counted as a failure (status 0). With --cpu-prof-dir
 * each server process writes a V8 CPU profile (node --cpu-prof) there when it stops.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AeoRecord } from '@aeo/domain';
import { repoPath } from '@aeo/config';
import { adapterFor } from '@aeo/partners';
import { foreignRegister } from '@aeo/registry';
import { openGatewayDatabase } from '@aeo/schema';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type TestDatabase,
} from '../test/support/databases.js';
import { PARTNERS, benchPrefix, deleteBenchTopology, partnerRecords } from './support/fixtures.js';
import { buildGateway } from './support/gateway-build.js';
import { closedLoop, fixedRate, type LoadResult, type LoadTarget } from './support/load-generator.js';
import {
  QUICK,
  argument,
  atLeast,
  atMost,
  fmt,
  formatTable,
  load,
  numberArgument,
  progress,
  round,
  sleep,
  summaryMetric,
  writeResult,
  type SummaryMetric,
} from './support/kit.js';

const RATE = numberArgument('rate', 2_000);
const DURATION_MS = numberArgument('duration-ms', QUICK ? 2_000 : 10_000);
const WARM_UP_MS = QUICK ? 1_000 : 3_000;
const CLOSED_MS = QUICK ? 1_000 : 5_000;
// The index is a Map (recognition-bench.ts measures it at 100,000); storing records through the
// register takes most of the set-up time, so the HTTP run uses fewer by default.
const RECORDS = numberArgument('records', QUICK ? 2_000 : 20_000);
const CONNECTIONS = numberArgument('connections', 32);
const ONLY = argument('only', '');
const CPU_PROF_DIR = argument('cpu-prof-dir', '');
const profiling = CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF_DIR] : [];
const RISK_TOKEN = `rs-${randomBytes(12).toString('hex')}`;

interface ServerRun {
  server: string;
  fixed: LoadResult;
  closed: LoadResult;
  cpuMsPerRequest: number | null;
  loadavg1: number;
}

interface Started {
  readonly process: ChildProcess;
  readonly url: string;
  stop(): Promise<void>;
}

/** Spawn a server and wait for the JSON line that carries its URL. */
function startServer(args: string[], env: Record<string, string>, readyMessage: string): Promise<Started> {
  const child = spawn(process.execPath, args, {
    cwd: repoPath(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('\n')}`)), 120_000);
    let buffered = '';
    const feed = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        try {
          const parsed = JSON.parse(line) as { message?: string; url?: string };
          if (parsed.message === readyMessage && parsed.url) {
            clearTimeout(timer);
            resolve({ process: child, url: parsed.url, stop });
          }
        } catch {
          // not a JSON line
        }
      }
    };
    child.stdout.on('data', feed);
    child.stderr.on('data', feed);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output.slice(-40).join('\n')}`));
    });
  });
}

/** user + system CPU of a process in ms, from /proc (Linux); null elsewhere. */
function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

async function measure(server: string, started: Started, target: LoadTarget): Promise<ServerRun> {
  // Closed loops first: they cannot build a backlog. An open loop the server cannot keep up
  // with leaves it working through abandoned requests for a while, so it runs last.
  progress(
    `recognition over HTTP, ${server}: warm-up, ${CONNECTIONS} in flight for ${CLOSED_MS} ms, then ${RATE}/s for ${DURATION_MS} ms`,
  );
  await closedLoop(target, 8, WARM_UP_MS, 0);
  const closed = await closedLoop(target, CONNECTIONS, CLOSED_MS, 1_000_000);
  await sleep(200);
  const cpuBefore = cpuMs(started.process.pid);
  const fixed = await fixedRate(target, RATE, DURATION_MS, 2_000_000);
  const cpuAfter = cpuMs(started.process.pid);
  return {
    server,
    fixed,
    closed,
    cpuMsPerRequest:
      cpuBefore !== null && cpuAfter !== null ? round((cpuAfter - cpuBefore) / fixed.requests, 3) : null,
    loadavg1: load().loadavg1,
  };
}

function requestsFor(records: readonly AeoRecord[]): (i: number) => string {
  return (i) => {
    const unknown = i % 20 === 19;
    const record = records[(i * 7_919) % records.length];
    return JSON.stringify({
      declaredAeoId: unknown ? `AEOCN69${String(i % 100_000_000).padStart(8, '0')}` : record.aeoId,
      declarationReference: `KZ-BENCH-${i}`,
      ...(i % 4 === 0 ? { role: 'EXPORTER' } : {}),
    });
  };
}

const runs: ServerRun[] = [];
const records = PARTNERS.flatMap((p) =>
  partnerRecords(adapterFor(p).profile.recordProgrammes, Math.ceil(RECORDS / PARTNERS.length)),
);
const body = requestsFor(records);

// The floor: a bare Nest endpoint, a process of the same kind.
const bare = await startServer(
  [...process.execArgv, ...profiling, repoPath('bench', 'support', 'bare-nest-server.ts')],
  {},
  'bare nest started',
);
try {
  runs.push(await measure('bare Nest endpoint', bare, { url: `${bare.url}/v1/recognitions`, body }));
} finally {
  await bare.stop();
}

const build = buildGateway();
if (build.warnings)
  progress(
    `tsc reported problems (the build still emitted; figures describe that code):\n${build.warnings.slice(0, 2000)}`,
  );
const databases: Array<[string, () => Promise<TestDatabase>]> = [
  ['sqlite', createSqliteDatabase],
  ['postgres', createPostgresDatabase],
];
for (const [database, create] of databases) {
  if (ONLY && ONLY !== database) continue;
  const db = await create();
  const prefix = benchPrefix('http');
  try {
    progress(`recognition over HTTP, ${database}: storing ${fmt(records.length)} foreign AEOs`);
    const dataSource = await openGatewayDatabase(db.url);
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
    await dataSource.destroy();
    const gateway = await startServer(
      [...profiling, build.mainJs],
      {
        ...build.env,
        DATABASE_URL: db.url,
        MRA_AMQP_PREFIX: prefix,
        MRA_KEYS_DIR: mkdtempSync(join(tmpdir(), 'mra-bench-keys-')),
        MRA_KEY_PASSPHRASE: 'bench-passphrase-not-secret',
        MRA_API_KEYS: `risk:risk-system:${RISK_TOKEN}`,
        PORT: '0',
        LOG_LEVEL: 'warn',
      },
      'gateway started',
    );
    try {
      runs.push(
        await measure(`gateway, ${database}`, gateway, {
          url: `${gateway.url}/v1/recognitions`,
          headers: { authorization: `Bearer ${RISK_TOKEN}` },
          body,
        }),
      );
    } finally {
      await gateway.stop();
    }
  } finally {
    await deleteBenchTopology(prefix);
    await db.drop();
  }
}

console.log(
  `\nrecognition-http-bench: ${CONNECTIONS} in flight for ${CLOSED_MS} ms (max/s), then an open loop at ${fmt(RATE)} requests/s for ${DURATION_MS} ms (latency in ms; "corrected" counts from when each request was due; no answer in 2 s counts as a failure)\n`,
);
console.log(
  formatTable(
    [
      'server',
      '200s/s',
      'p50',
      'p90',
      'p99',
      'max',
      'p99 corrected',
      'non-200',
      'CPU ms/req',
      `max/s (${CONNECTIONS} in flight)`,
      'p99 there',
      'load1',
    ],
    runs.map((r) => [
      r.server,
      fmt(r.fixed.okRps),
      fmt(r.fixed.p50Ms, 2),
      fmt(r.fixed.p90Ms, 2),
      fmt(r.fixed.p99Ms, 2),
      fmt(r.fixed.maxMs, 1),
      fmt(r.fixed.p99CorrectedMs, 2),
      fmt(r.fixed.requests - r.fixed.ok),
      fmt(r.cpuMsPerRequest, 3),
      fmt(r.closed.okRps),
      fmt(r.closed.p99Ms, 2),
      fmt(r.loadavg1, 2),
    ]),
  ),
);
const failures = runs.filter((r) => r.fixed.ok < r.fixed.requests);
for (const r of failures) console.log(`${r.server}: status codes ${JSON.stringify(r.fixed.statuses)}`);

const floor = runs.find((r) => r.server === 'bare Nest endpoint')!;
const summary: SummaryMetric[] = runs
  .filter((r) => r !== floor)
  .flatMap((r) => [
    summaryMetric(
      'recognition-http',
      `${r.server}: p99 at ${fmt(RATE)}/s`,
      'ms',
      r.fixed.p99Ms,
      { value: floor.fixed.p99Ms, label: 'bare Nest endpoint, same rate' },
      atMost(5, 'ms'),
    ),
    summaryMetric('recognition-http', `${r.server}: p50 at ${fmt(RATE)}/s`, 'ms', r.fixed.p50Ms, {
      value: floor.fixed.p50Ms,
      label: 'bare Nest endpoint, same rate',
    }),
    summaryMetric(
      'recognition-http',
      `${r.server}: answered 200 at ${fmt(RATE)}/s offered (non-200 or no answer in 2 s: ${r.fixed.requests - r.fixed.ok})`,
      'req/s',
      r.fixed.okRps,
      { value: floor.fixed.okRps, label: 'bare Nest endpoint' },
      atLeast(RATE * 0.99, 'req/s'),
    ),
    summaryMetric(
      'recognition-http',
      `${r.server}: max throughput, ${CONNECTIONS} in flight`,
      'req/s',
      r.closed.okRps,
      { value: floor.closed.okRps, label: 'bare Nest endpoint' },
    ),
  ]);
const file = writeResult('recognition-http', {
  rate: RATE,
  durationMs: DURATION_MS,
  records: records.length,
  connections: CONNECTIONS,
  runs,
  summary,
});
console.log(`\nwritten ${file}`);
