/**
 * Full snapshots of 100,000 records, out and in, in seconds and peak RSS, on SQLite and
 * PostgreSQL. Every case runs in a child process of its own, so its RSS is its own.
 *
 *   npx tsx bench/snapshot-bench.ts [--quick] [--records 100000] [--out-partners cn,eaeu,kr,tr]
 *                                   [--in-partners cn,eaeu,kr,tr] [--only sqlite|postgres] [--timeout-s 30]
 *
 * Out: our home register holds --records AEOs (stored before the case starts); the case
 *   times the product's `homeRegister.snapshot(adapter, 'production', chunkSize, actor)`:
 *   page through the register finding what the partner's format can carry and cutting chunks
 *   by the MRA's chunkSize (config/mra/<p>.yaml) and the profile's maxBytes, then encode and
 *   seal (sign + encrypt) every chunk, queue them held a few per transaction, and release them
 *   all with the SNAPSHOT_QUEUED audit entry in a last one. Publishing is the relay's job and
 *   is not included.
 * In: the partner simulator (its keys, its sealer) seals --records of its fictional AEOs as an
 *   AEO_SNAPSHOT in chunks (once per partner; the tokens are kept in a temp file and published
 *   to our inbound queue, as the simulator publishes them, before each case); the case starts
 *   the gateway's runtime and times until every chunk is ACCEPTED: consume → decrypt →
 *   verify → decode → apply → audit → receipt → commit → ack. The chunk is the MRA's
 *   chunkSize unless that encodes to more than the partner profile's maxBytes (our own
 *   decoder would refuse it); then the largest whole hundred that fits, reported.
 * A case still running after --timeout-s (default 30 s, three times the target) reports how
 *   far it got and its RSS so far, and counts as missed.
 * RSS: process.memoryUsage.rss() sampled every 5 ms during the timed phase (peak), the
 *   value before it (baseline), and getrusage's maxRSS for the whole child (including set-up).
 * Floor: none — the bound is the target (≤ 10 s each way under 300 MB RSS). The
 *   codec bench gives the per-record codec floors.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqplib from 'amqplib';
import { randomUUID } from 'node:crypto';
import { HOME_PROGRAMME, type CanonicalMessage } from '@aeo/domain';
import { DEFAULT_TOPOLOGY, declareTopology } from '@aeo/messaging';
import { adapterFor, type PartnerAdapter } from '@aeo/partners';
import { foreignRegister, homeRegister, loadMraConfigs } from '@aeo/registry';
import { openGatewayDatabase } from '@aeo/schema';
import { repoPath } from '@aeo/config';
import { tokenLimitsFor } from '@aeo/trust';
import { PartnerSimulator } from '../apps/partner-sim/src/partner-simulator.js';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type TestDatabase,
} from '../test/support/databases.js';
import { startProfile } from './support/cpu-profile.js';
import {
  AMQP_URL,
  PARTNERS,
  benchHomeRecord,
  benchPrefix,
  buildRuntime,
  deleteBenchTopology,
  homePublicJwks,
  partnerRecords,
} from './support/fixtures.js';
import {
  QUICK,
  RssSampler,
  argument,
  atMost,
  fmt,
  formatTable,
  load,
  numberArgument,
  progress,
  round,
  summaryMetric,
  waitFor,
  writeResult,
  type SummaryMetric,
} from './support/kit.js';

const RECORDS = numberArgument('records', QUICK ? 2_000 : 100_000);
const TIMEOUT_S = numberArgument('timeout-s', 30);
const CASE = argument('case', '');
/** --profile PATH: a V8 CPU profile (0.5 ms sampling) of each case's timed phase, to PATH-<in|out>-<partner>-<database>.cpuprofile. */
const PROFILE = argument('profile', '');
const partnerList = (name: string, fallback: string) =>
  argument(name, fallback)
    .split(',')
    .filter((p): p is (typeof PARTNERS)[number] => (PARTNERS as readonly string[]).includes(p));

interface CaseResult {
  direction: 'out' | 'in';
  partner: string;
  database: string;
  records: number;
  chunkSize: number;
  configuredChunkSize: number;
  chunks: number;
  seconds: number | null;
  recordsPerSec: number | null;
  baselineMb: number;
  peakMb: number;
  maxRssMb: number;
  largestTokenBytes?: number;
  partnerMaxBytes: number;
  error?: string;
  loadavg1: number;
}

// ---------------------------------------------------------------- child process: one case

/** The largest whole hundred of records up to `wanted` whose encoding fits the profile's byte limit (5 % spare). */
function fittingChunk(adapter: PartnerAdapter, wanted: number): number {
  const programme = adapter.profile.programme;
  const probe = {
    envelope: {
      messageId: randomUUID(),
      sender: programme,
      recipient: HOME_PROGRAMME,
      createdAt: '2026-11-28T00:00:00Z',
      messageType: 'AEO_SNAPSHOT',
      schemaVersion: '1.0',
      environment: 'production',
    },
    body: {
      snapshotId: randomUUID(),
      programme,
      asOf: '2026-11-28T00:00:00Z',
      chunkIndex: 1,
      chunkCount: 1,
      records: partnerRecords(adapter.profile.recordProgrammes, 100),
    },
  } as unknown as CanonicalMessage;
  const perRecord = adapter.encode(probe).bytes.byteLength / 100;
  return Math.min(wanted, Math.floor((adapter.profile.limits.maxBytes * 0.95) / perRecord / 100) * 100);
}

async function runOutCase(partner: string, url: string, database: string): Promise<CaseResult> {
  const adapter = adapterFor(partner);
  const chunkSize = loadMraConfigs().get(partner)!.snapshot.chunkSize;
  const dataSource = await openGatewayDatabase(url);
  const runtime = await buildRuntime(dataSource, benchPrefix('snap-out'));
  let composed = 0;
  const compose = runtime.composer.compose.bind(runtime.composer);
  runtime.composer.compose = async (...args: Parameters<typeof compose>) => {
    const result = await compose(...args);
    composed++;
    return result;
  };
  const base = {
    direction: 'out' as const,
    partner,
    database,
    chunkSize,
    configuredChunkSize: chunkSize,
    partnerMaxBytes: adapter.profile.limits.maxBytes,
  };
  try {
    const sampler = new RssSampler().start();
    watchdog(() => ({
      ...base,
      records: RECORDS,
      chunks: composed,
      seconds: null,
      recordsPerSec: null,
      ...sampler.stop(),
      error: `not finished after ${TIMEOUT_S} s (${composed} of ${Math.ceil(RECORDS / chunkSize)} chunks sealed)`,
      loadavg1: load().loadavg1,
    }));
    const profiler = await startProfile(PROFILE);
    const start = performance.now();
    const result = await runtime.homeRegister.snapshot(adapter, 'production', chunkSize, 'bench');
    const seconds = (performance.now() - start) / 1000;
    await profiler.stop(`out-${partner}-${database}`);
    const rss = sampler.stop();
    const lengths = await dataSource.query<{ largest: number | string }[]>(
      `SELECT MAX(LENGTH("body")) AS "largest" FROM "outbound_message" WHERE "message_type" = 'AEO_SNAPSHOT' AND "partner" = '${partner}'`,
    );
    const records = result.records.length;
    return {
      ...base,
      records,
      chunks: result.queued.length,
      seconds: round(seconds, 2),
      recordsPerSec: Math.round(records / seconds),
      ...rss,
      largestTokenBytes: Number(lengths[0]?.largest ?? 0),
      loadavg1: load().loadavg1,
    };
  } finally {
    await dataSource.destroy();
  }
}

/** After --timeout-s, report what the case got to (a partial result) and end the process. */
function watchdog(partial: () => CaseResult): void {
  setTimeout(() => {
    process.stdout.write(`RESULT ${JSON.stringify(partial())}\n`);
    process.exit(0);
  }, TIMEOUT_S * 1000).unref();
}

async function runInCase(
  partner: string,
  url: string,
  database: string,
  prefix: string,
  chunks: number,
  chunkSize: number,
): Promise<CaseResult> {
  const adapter = adapterFor(partner);
  const dataSource = await openGatewayDatabase(url);
  const runtime = await buildRuntime(dataSource, prefix);
  const accepted = () =>
    runtime.metrics.messagesIn.get({ partner, type: 'AEO_SNAPSHOT', outcome: 'ACCEPTED' });
  const before = await foreignRegister.count(dataSource.manager, 'production');
  const base = {
    direction: 'in' as const,
    partner,
    database,
    chunkSize,
    configuredChunkSize: loadMraConfigs().get(partner)!.snapshot.chunkSize,
    chunks,
    partnerMaxBytes: adapter.profile.limits.maxBytes,
  };
  try {
    const sampler = new RssSampler().start();
    watchdog(() => ({
      ...base,
      records: RECORDS,
      seconds: null,
      recordsPerSec: null,
      ...sampler.stop(),
      error: `not finished after ${TIMEOUT_S} s (${accepted()} of ${chunks} chunks accepted)`,
      loadavg1: load().loadavg1,
    }));
    const profiler = await startProfile(PROFILE);
    const start = performance.now();
    await runtime.start();
    await waitFor(
      `${chunks} snapshot chunks ACCEPTED`,
      () => accepted() >= chunks,
      TIMEOUT_S * 1000 + 60_000,
      20,
    );
    const seconds = (performance.now() - start) / 1000;
    await profiler.stop(`in-${partner}-${database}`);
    const rss = sampler.stop();
    await runtime.stop();
    const stored = (await foreignRegister.count(dataSource.manager, 'production')) - before;
    return {
      ...base,
      records: stored,
      seconds: round(seconds, 2),
      recordsPerSec: Math.round(stored / seconds),
      ...rss,
      loadavg1: load().loadavg1,
    };
  } finally {
    await runtime.stop().catch(() => undefined);
    await dataSource.destroy();
  }
}

/**
 * The partner's side of an inbound case: its simulator seals and publishes the whole
 * snapshot (on a throw-away prefix), and the sealed tokens are written to `tokensFile`, so
 * the same snapshot can be put in front of each database's run without sealing it again.
 */
async function sealSnapshot(
  partner: string,
  prefix: string,
  records: number,
  chunkSize: number,
  tokensFile: string,
): Promise<number> {
  const simulator = new PartnerSimulator({
    adapter: adapterFor(partner),
    amqpUrl: AMQP_URL,
    prefix,
    gatewayJwks: await homePublicJwks(),
    privateJwksFile: repoPath('test', 'keys', 'partners', partner, 'private.jwks.json'),
    registerSize: records,
  });
  await simulator.start();
  try {
    const ids = await simulator.sendSnapshot(chunkSize);
    // The simulator keeps every token it sent (for republishing duplicates); take them from there.
    const sent = (simulator as unknown as { sentTokens: Map<string, SealedToken> }).sentTokens;
    writeFileSync(tokensFile, ids.map((id) => JSON.stringify(sent.get(id))).join('\n'));
    return ids.length;
  } finally {
    await simulator.stop();
  }
}

interface SealedToken {
  readonly token: string;
  readonly envelope: { readonly messageId: string; readonly messageType: string };
}

/** Publish sealed tokens to a prefix's inbound exchange as the simulator does (persistent, with confirms). */
async function publishTokens(prefix: string, partner: string, tokensFile: string): Promise<void> {
  const connection = await amqplib.connect(AMQP_URL, { noDelay: true });
  try {
    const channel = await connection.createConfirmChannel();
    const names = await declareTopology(channel, { ...DEFAULT_TOPOLOGY, prefix, partners: [partner] });
    for (const line of readFileSync(tokensFile, 'utf8').split('\n')) {
      const { token, envelope } = JSON.parse(line) as SealedToken;
      channel.publish(
        names.inboundExchange,
        names.routingKey(partner, envelope.messageType),
        Buffer.from(token, 'ascii'),
        {
          persistent: true,
          messageId: envelope.messageId,
          type: envelope.messageType,
          contentType: 'application/jose',
          timestamp: Math.floor(Date.now() / 1000),
          headers: {},
        },
      );
    }
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}

if (CASE) {
  const partner = argument('partner', 'cn');
  const url = argument('db-url', '');
  const database = argument('database', '');
  let output: unknown;
  if (CASE === 'out') output = await runOutCase(partner, url, database);
  else if (CASE === 'seal')
    output = {
      chunks: await sealSnapshot(
        partner,
        argument('prefix', ''),
        RECORDS,
        numberArgument('chunk-size', 2_000),
        argument('tokens-file', ''),
      ),
    };
  else if (CASE === 'in')
    output = await runInCase(
      partner,
      url,
      database,
      argument('prefix', ''),
      numberArgument('chunks', 0),
      numberArgument('chunk-size', 2_000),
    );
  else throw new Error(`unknown case ${CASE}`);
  process.stdout.write(`RESULT ${JSON.stringify(output)}\n`);
  process.exit(0);
}

// ---------------------------------------------------------------- orchestrator

function child<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      [
        ...process.execArgv,
        process.argv[1],
        ...args,
        ...(QUICK ? ['--quick'] : []),
        '--records',
        String(RECORDS),
        '--timeout-s',
        String(TIMEOUT_S),
      ],
      {
        cwd: repoPath(),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    // The case reports by itself after --timeout-s; this only catches a hung child (set-up included).
    const timer = setTimeout(() => proc.kill('SIGKILL'), (TIMEOUT_S + 180) * 1000);
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (line) resolve(JSON.parse(line.slice(7)) as T);
      else reject(new Error(`case ${args.join(' ')} ended with ${code ?? signal}:\n${out.slice(-2000)}`));
    });
  });
}

function failed(
  direction: 'out' | 'in',
  partner: string,
  database: string,
  error: unknown,
  chunkSize = 0,
): CaseResult {
  return {
    direction,
    partner,
    database,
    records: RECORDS,
    chunkSize,
    configuredChunkSize: loadMraConfigs().get(partner)!.snapshot.chunkSize,
    chunks: 0,
    seconds: null,
    recordsPerSec: null,
    baselineMb: 0,
    peakMb: 0,
    maxRssMb: 0,
    partnerMaxBytes: adapterFor(partner).profile.limits.maxBytes,
    error: (error as Error).message.split('\n')[0].slice(0, 300),
    loadavg1: load().loadavg1,
  };
}

// Default: China (XML; its configured chunk fits its byte limit). Every partner at 100,000
// records each way on both databases would not fit the suite's ten minutes; pass
// --out-partners / --in-partners cn,eaeu,kr,tr for all of them.
const OUT_PARTNERS = partnerList('out-partners', 'cn');
const IN_PARTNERS = partnerList('in-partners', 'cn');
const ONLY = argument('only', '');
const results: CaseResult[] = [];
const databases: Array<[string, () => Promise<TestDatabase>]> = [
  ['sqlite', createSqliteDatabase],
  ['postgres', createPostgresDatabase],
];
// Inbound snapshots are sealed once per partner by its simulator and put in front of each database's run.
const sealed = new Map<string, { file: string; chunks: number; chunkSize: number }>();
const tokensDir = mkdtempSync(join(tmpdir(), 'mra-bench-snapshot-'));
for (const partner of IN_PARTNERS) {
  const prefix = benchPrefix('snap-seal');
  const chunkSize = fittingChunk(adapterFor(partner), loadMraConfigs().get(partner)!.snapshot.chunkSize);
  const file = join(tokensDir, `${partner}.jsonl`);
  try {
    progress(`snapshot in ${partner}: the simulator seals ${fmt(RECORDS)} records in chunks of ${chunkSize}`);
    const { chunks } = await child<{ chunks: number }>([
      '--case',
      'seal',
      '--partner',
      partner,
      '--prefix',
      prefix,
      '--chunk-size',
      String(chunkSize),
      '--tokens-file',
      file,
    ]);
    sealed.set(partner, { file, chunks, chunkSize });
  } catch (error) {
    for (const [database] of databases)
      if (!ONLY || ONLY === database) results.push(failed('in', partner, database, error, chunkSize));
  } finally {
    await deleteBenchTopology(prefix);
  }
}

for (const [database, create] of databases) {
  if (ONLY && ONLY !== database) continue;
  const db = await create();
  try {
    if (OUT_PARTNERS.length > 0) {
      progress(`snapshot ${database}: storing ${fmt(RECORDS)} home records`);
      const dataSource = await openGatewayDatabase(db.url);
      const storedAt = Date.now();
      for (let i = 0; i < RECORDS; i += 1_000) {
        const records = Array.from({ length: Math.min(1_000, RECORDS - i) }, (_, k) =>
          benchHomeRecord(i + k + 1),
        );
        await dataSource.transaction((manager) =>
          homeRegister.apply(manager, {
            environment: 'production',
            records,
            source: 'bench',
            sourceMessageId: null,
            storedAt,
          }),
        );
      }
      await dataSource.destroy();
    }
    for (const partner of OUT_PARTNERS) {
      progress(`snapshot out ${partner} ${database}: ${fmt(RECORDS)} records`);
      results.push(
        await child<CaseResult>([
          '--case',
          'out',
          '--partner',
          partner,
          '--db-url',
          db.url,
          '--database',
          database,
          ...(PROFILE ? ['--profile', PROFILE] : []),
        ]).catch((e: unknown) => failed('out', partner, database, e)),
      );
    }
    for (const [partner, { file, chunks, chunkSize }] of sealed) {
      const prefix = benchPrefix('snap-in');
      try {
        await publishTokens(prefix, partner, file);
        progress(
          `snapshot in ${partner} ${database}: the gateway takes ${chunks} chunks of ${chunkSize} records`,
        );
        results.push(
          await child<CaseResult>([
            '--case',
            'in',
            '--partner',
            partner,
            '--db-url',
            db.url,
            '--database',
            database,
            '--prefix',
            prefix,
            '--chunks',
            String(chunks),
            '--chunk-size',
            String(chunkSize),
            ...(PROFILE ? ['--profile', PROFILE] : []),
          ]).catch((e: unknown) => failed('in', partner, database, e, chunkSize)),
        );
      } catch (error) {
        results.push(failed('in', partner, database, error, chunkSize));
      } finally {
        await deleteBenchTopology(prefix);
      }
    }
  } finally {
    await db.drop();
  }
}
rmSync(tokensDir, { recursive: true, force: true });

console.log(
  `\nsnapshot-bench: ${fmt(RECORDS)} records per snapshot; each case in its own process; RSS in MB\n`,
);
console.log(
  formatTable(
    [
      'case',
      'database',
      'chunk',
      'chunks',
      'seconds',
      'rec/s',
      'RSS before',
      'peak RSS',
      'maxRSS',
      'largest token B',
      'load1',
      'error',
    ],
    results.map((r) => [
      `${r.direction} ${r.partner}`,
      r.database,
      r.chunkSize === r.configuredChunkSize
        ? fmt(r.chunkSize)
        : `${fmt(r.chunkSize)} (cfg ${fmt(r.configuredChunkSize)})`,
      fmt(r.chunks),
      fmt(r.seconds, 2),
      fmt(r.recordsPerSec),
      fmt(r.baselineMb),
      fmt(r.peakMb),
      fmt(r.maxRssMb),
      r.largestTokenBytes
        ? `${fmt(r.largestTokenBytes)}${r.largestTokenBytes > tokenLimitsFor(r.partnerMaxBytes).maxJweChars ? ' (over limit)' : ''}`
        : '',
      fmt(r.loadavg1, 2),
      r.error ?? '',
    ]),
  ),
);
const oversize = results.filter((r) => r.direction === 'in' && r.chunkSize < r.configuredChunkSize);
const overLimit = results.filter(
  (r) => r.largestTokenBytes && r.largestTokenBytes > tokenLimitsFor(r.partnerMaxBytes).maxJweChars,
);
if (overLimit.length > 0)
  console.log(
    `\nout: chunks larger than the partner profile's own token limit (the partner, if it applies the same limit, refuses them): ${[...new Set(overLimit.map((r) => r.partner))].join(', ')}`,
  );
if (oversize.length > 0)
  console.log(
    `\nchunk of the MRA's chunkSize over the partner's maxBytes, so measured with a smaller one: ${[...new Set(oversize.map((r) => r.partner))].join(', ')}`,
  );

const summary: SummaryMetric[] = results.flatMap((r) => {
  const note = r.error ? { note: r.error } : {};
  return [
    {
      ...summaryMetric(
        'snapshot',
        `${r.direction} ${r.partner}, ${r.database}, ${fmt(r.records)} records: time`,
        's',
        r.seconds ?? Number.NaN,
        null,
        atMost(10, 's'),
      ),
      ...note,
    },
    {
      ...summaryMetric(
        'snapshot',
        `${r.direction} ${r.partner}, ${r.database}: peak RSS`,
        'MB',
        r.peakMb || Number.NaN,
        null,
        atMost(300, 'MB'),
      ),
      ...note,
    },
  ];
});
const file = writeResult('snapshot', { records: RECORDS, results, summary });
console.log(`\nwritten ${file}`);
