/**
 * The exchange pipelines end to end on the real broker, on SQLite and on PostgreSQL, each
 * beside the raw amqplib floor for messages of the same size measured in the same run.
 *
 *   npx tsx bench/pipeline-bench.ts [--quick] [--changes 600] [--inbound 3000] [--only sqlite|postgres]
 *                                   [--records-per-change 1] [--pg-concurrency 8] [--sqlite-concurrency 8]
 *                                   [--phases outbound,inbound] [--crypto-workers 0] [--profile PATH]
 *
 * Outbound: `homeRegister.change([one record], actor)` called --changes times (each call is
 *   one operator change: the record is stored, and one signed and encrypted status delta per
 *   partner goes into the outbox with its audit entries, in one transaction), while the
 *   runtime's outbox relay publishes with confirms. Timed from the first change to the last
 *   SENT; messages = changes × 4 partners. Each database is measured with one call at a time,
 *   then with --sqlite-concurrency / --pg-concurrency calls in flight (change() composes and
 *   seals outside its transaction, so calls overlap there; on SQLite the transactions
 *   themselves queue on the one connection). Floor: amqplib ConfirmChannel, pipelined (window 1,000), the same number of
 *   persistent messages of the average outbound token size.
 * Inbound: the four partner simulators (their own keys and sealer) pre-publish --inbound
 *   one-record status deltas in total, signed and encrypted to us; then the gateway's runtime
 *   starts and its consumers drain them: consume → decrypt → verify → decode → apply →
 *   audit → signed receipt into the outbox → commit → ack. Timed from runtime.start() to the
 *   last message ACCEPTED (metrics counter); the receipts' relay runs meanwhile, as in
 *   production, and the time until the last receipt is SENT is reported beside it. Floor:
 *   amqplib consume with manual ack at the gateway's prefetch (400), the same number of
 *   persistent messages of the average inbound token size.
 * Every run uses its own AMQP prefix and deletes its topology afterwards.
 * CPU: each timed phase reports CPU ms per message of the gateway process (worker threads
 *   included), RabbitMQ (beam.smp) and PostgreSQL (all its processes), read from /proc: on
 *   2 cores that run all three, 3,000 messages/s leaves 0.667 ms of CPU per message for their sum.
 */
import { DEFAULT_TOPOLOGY } from '@aeo/messaging';
import { OutboundMessageEntity } from '@aeo/exchange';
import { adapterFor } from '@aeo/partners';
import type { ExchangeRuntime } from '@aeo/runtime';
import { openGatewayDatabase } from '@aeo/schema';
import { repoPath } from '@aeo/config';
import type { DataSource } from 'typeorm';
import { PartnerSimulator } from '../apps/partner-sim/src/partner-simulator.js';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type TestDatabase,
} from '../test/support/databases.js';
import { consumeFloor, publishFloor } from './support/amqp-floor.js';
import { startProfile } from './support/cpu-profile.js';
import { CpuMeter, type CpuSplit } from './support/process-cpu.js';
import {
  AMQP_URL,
  PARTNERS,
  benchPrefix,
  buildRuntime,
  deleteBenchTopology,
  homeChange,
  homePublicJwks,
} from './support/fixtures.js';
import {
  QUICK,
  argument,
  atLeast,
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

const CHANGES = numberArgument('changes', QUICK ? 60 : 600);
/** Records per change() call, so per status delta: 1 is the everyday case; more shows records/s when changes come in bulk. */
const RECORDS_PER_CHANGE = numberArgument('records-per-change', 1);
const INBOUND = numberArgument('inbound', QUICK ? 400 : 3_000);
const PG_CONCURRENCY = numberArgument('pg-concurrency', 8);
const SQLITE_CONCURRENCY = numberArgument('sqlite-concurrency', 8);
const ONLY = argument('only', '');
const PHASES = argument('phases', 'outbound,inbound').split(',');
/** Worker threads for the gateway's per-message crypto (MRA_CRYPTO_WORKERS); 0 = on the event loop. */
const CRYPTO_WORKERS = numberArgument('crypto-workers', 0);
const WARM_UP_CHANGES = QUICK ? 5 : 40;
const PREFETCH = 400; // the runtime's default: batch 200 × 2
/** --profile PATH: a V8 CPU profile (0.5 ms sampling) of each timed phase, written to PATH-<phase>-<database>.cpuprofile. */
const PROFILE = argument('profile', '');

interface OutboundRun {
  database: string;
  concurrency: number;
  changes: number;
  messages: number;
  avgTokenBytes: number;
  enqueueSeconds: number;
  totalSeconds: number;
  messagesPerSec: number;
  changesPerSec: number;
  recordsPerChange: number;
  recordsPerSec: number;
  floorMessagesPerSec: number;
  loadavg1: number;
  /** CPU per message over the timed phase (to the last SENT), split by process. */
  cpuMsPerMessage: CpuSplit;
}

interface InboundRun {
  database: string;
  messages: number;
  avgTokenBytes: number;
  prepublishSeconds: number;
  drainSeconds: number;
  messagesPerSec: number;
  receiptsSentSeconds: number;
  floorMessagesPerSec: number;
  loadavg1: number;
  /** CPU per message over the drain and its receipts' relay (to the last receipt SENT), split by process. */
  cpuMsPerMessage: CpuSplit;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function perMessage(cpu: CpuSplit, messages: number): CpuSplit {
  return { gatewayMs: round(cpu.gatewayMs / messages, 3), rabbitMs: round(cpu.rabbitMs / messages, 3), postgresMs: round(cpu.postgresMs / messages, 3) };
}

/** CPU ms per message: gateway / RabbitMQ / PostgreSQL, and their sum. */
const cpuColumns = ['CPU ms/msg: gateway', 'RabbitMQ', 'PostgreSQL', 'sum'];
function cpuCells(cpu: CpuSplit): string[] {
  const total = cpu.gatewayMs + cpu.rabbitMs + cpu.postgresMs;
  return [cpu.gatewayMs.toFixed(3), cpu.rabbitMs.toFixed(3), cpu.postgresMs.toFixed(3), total.toFixed(3)];
}

function sentCount(runtime: ExchangeRuntime, type: string): number {
  return sum(PARTNERS.map((partner) => runtime.metrics.messagesOut.get({ partner, type, outcome: 'SENT' })));
}

function acceptedCount(runtime: ExchangeRuntime): number {
  return sum(
    PARTNERS.map((partner) =>
      runtime.metrics.messagesIn.get({ partner, type: 'AEO_STATUS_DELTA', outcome: 'ACCEPTED' }),
    ),
  );
}

async function averageBodyBytes(dataSource: DataSource, messageType: string): Promise<number> {
  const rows = await dataSource
    .getRepository(OutboundMessageEntity)
    .find({ where: { messageType }, order: { createdAt: 'DESC' }, take: 40 });
  return rows.length === 0 ? 0 : Math.round(sum(rows.map((r) => r.body.length)) / rows.length);
}

async function diagnose(runtime: ExchangeRuntime): Promise<string> {
  return (await runtime.metrics.registry.render())
    .split('\n')
    .filter((line) => line.startsWith('mra_messages_'))
    .join('\n');
}

let serial = 1_000;

async function outbound(database: string, dataSource: DataSource, concurrency: number): Promise<OutboundRun> {
  const prefix = benchPrefix('out');
  const runtime = await buildRuntime(dataSource, prefix, undefined, CRYPTO_WORKERS);
  await runtime.start();
  try {
    // Warm-up: JIT, prepared statements, connections, the publisher channel.
    for (let i = 0; i < WARM_UP_CHANGES; i++)
      await runtime.homeRegister.change([homeChange(serial++)], 'bench');
    await waitFor(
      'warm-up deltas SENT',
      () => sentCount(runtime, 'AEO_STATUS_DELTA') >= WARM_UP_CHANGES * PARTNERS.length,
      60_000,
    );
    const before = sentCount(runtime, 'AEO_STATUS_DELTA');
    const first = serial;
    serial += CHANGES * RECORDS_PER_CHANGE;
    progress(`outbound ${database}: ${CHANGES} changes, ${concurrency} in flight`);
    const profiler = await startProfile(PROFILE);
    const cpu = new CpuMeter();
    const start = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < CHANGES) {
          const i = next++;
          const changes = Array.from({ length: RECORDS_PER_CHANGE }, (_, k) =>
            homeChange(first + i * RECORDS_PER_CHANGE + k),
          );
          const result = await runtime.homeRegister.change(changes, 'bench');
          if (result.queued.length !== PARTNERS.length)
            throw new Error(
              `change ${i} queued ${result.queued.length} deltas: ${JSON.stringify(result.notSent)}`,
            );
        }
      }),
    );
    const enqueueSeconds = (performance.now() - start) / 1000;
    const messages = CHANGES * PARTNERS.length;
    await waitFor(
      'outbound deltas SENT',
      () => sentCount(runtime, 'AEO_STATUS_DELTA') - before >= messages,
      300_000,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await diagnose(runtime)}`);
    });
    const totalSeconds = (performance.now() - start) / 1000;
    const cpuMsPerMessage = perMessage(cpu.read(), CHANGES * PARTNERS.length);
    await profiler.stop(`outbound-${database}-${concurrency}`);
    const avgTokenBytes = await averageBodyBytes(dataSource, 'AEO_STATUS_DELTA');
    const loadavg1 = load().loadavg1;
    await runtime.stop();
    progress(`outbound ${database}: floor, ${messages} messages of ${avgTokenBytes} bytes`);
    const floor = await publishFloor(`${prefix}.floor`, Buffer.alloc(avgTokenBytes, 'a'), messages);
    return {
      database,
      concurrency,
      changes: CHANGES,
      messages,
      avgTokenBytes,
      enqueueSeconds: round(enqueueSeconds, 2),
      totalSeconds: round(totalSeconds, 2),
      messagesPerSec: Math.round(messages / totalSeconds),
      changesPerSec: Math.round(CHANGES / totalSeconds),
      recordsPerChange: RECORDS_PER_CHANGE,
      recordsPerSec: Math.round((CHANGES * RECORDS_PER_CHANGE) / totalSeconds),
      floorMessagesPerSec: Math.round(floor),
      loadavg1,
      cpuMsPerMessage,
    };
  } finally {
    await runtime.close().catch(() => undefined);
    await deleteBenchTopology(prefix);
  }
}

async function inbound(database: string, dataSource: DataSource): Promise<InboundRun> {
  const prefix = benchPrefix('in');
  const perPartner = Math.ceil(INBOUND / PARTNERS.length);
  const gatewayJwks = await homePublicJwks();
  try {
    progress(
      `inbound ${database}: the simulators pre-publish ${perPartner * PARTNERS.length} signed and encrypted deltas`,
    );
    const prepublishStart = performance.now();
    let tokenBytes = 0;
    for (const partner of PARTNERS) {
      const simulator = new PartnerSimulator({
        adapter: adapterFor(partner),
        amqpUrl: AMQP_URL,
        prefix,
        gatewayJwks,
        privateJwksFile: repoPath('test', 'keys', 'partners', partner, 'private.jwks.json'),
        registerSize: perPartner,
      });
      await simulator.start();
      const ids = simulator.records().map((r) => r.aeoIdNormalized);
      let next = 0;
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (next < ids.length) {
            const id = ids[next++];
            await simulator.sendDelta({ status: 'SUSPENDED', aeoIds: [id] });
          }
        }),
      );
      // The simulator keeps what it sent; the size of one token stands for the rest (same shape).
      const sent = (simulator as unknown as { sentTokens: Map<string, { token: string }> }).sentTokens;
      tokenBytes +=
        [...sent.values()].slice(0, 20).reduce((a, s) => a + s.token.length, 0) / Math.min(20, sent.size);
      await simulator.stop();
    }
    const avgTokenBytes = Math.round(tokenBytes / PARTNERS.length);
    const prepublishSeconds = (performance.now() - prepublishStart) / 1000;
    const messages = perPartner * PARTNERS.length;

    const runtime = await buildRuntime(dataSource, prefix, undefined, CRYPTO_WORKERS);
    progress(`inbound ${database}: the gateway drains ${messages} messages`);
    const profiler = await startProfile(PROFILE);
    const cpu = new CpuMeter();
    const start = performance.now();
    try {
      await runtime.start();
      await waitFor('inbound messages ACCEPTED', () => acceptedCount(runtime) >= messages, 300_000).catch(
        async (error: Error) => {
          throw new Error(`${error.message}\n${await diagnose(runtime)}`);
        },
      );
      const drainSeconds = (performance.now() - start) / 1000;
      await profiler.stop(`inbound-${database}`);
      await waitFor('receipts SENT', () => sentCount(runtime, 'RECEIPT') >= messages, 300_000);
      const receiptsSentSeconds = (performance.now() - start) / 1000;
      const cpuMsPerMessage = perMessage(cpu.read(), messages);
      const loadavg1 = load().loadavg1;
      await runtime.stop();
      progress(`inbound ${database}: floor, ${messages} messages of ${avgTokenBytes} bytes`);
      const floor = await consumeFloor(
        `${prefix}.floor`,
        Buffer.alloc(avgTokenBytes, 'a'),
        messages,
        PREFETCH,
      );
      return {
        database,
        messages,
        avgTokenBytes,
        prepublishSeconds: round(prepublishSeconds, 2),
        drainSeconds: round(drainSeconds, 2),
        messagesPerSec: Math.round(messages / drainSeconds),
        receiptsSentSeconds: round(receiptsSentSeconds, 2),
        floorMessagesPerSec: Math.round(floor),
        loadavg1,
        cpuMsPerMessage,
      };
    } finally {
      await runtime.close().catch(() => undefined);
    }
  } finally {
    await deleteBenchTopology(prefix);
  }
}

const outboundRuns: OutboundRun[] = [];
const inboundRuns: InboundRun[] = [];
const targets: Array<[string, () => Promise<TestDatabase>]> = [
  ['sqlite', createSqliteDatabase],
  ['postgres', createPostgresDatabase],
];
for (const [name, create] of targets) {
  if (ONLY && ONLY !== name) continue;
  const db = await create();
  const dataSource = await openGatewayDatabase(db.url);
  try {
    if (PHASES.includes('outbound')) {
      outboundRuns.push(await outbound(name, dataSource, 1));
      const concurrency = name === 'postgres' ? PG_CONCURRENCY : SQLITE_CONCURRENCY;
      if (concurrency > 1) outboundRuns.push(await outbound(name, dataSource, concurrency));
    }
    if (PHASES.includes('inbound')) inboundRuns.push(await inbound(name, dataSource));
  } finally {
    await dataSource.destroy();
    await db.drop();
  }
}

console.log(
  `\npipeline-bench: ${DEFAULT_TOPOLOGY.queueType} queues, ${PARTNERS.length} partners, every message signed (ES256/PS256 per profile) and encrypted (ECDH-ES+A256KW), ${CRYPTO_WORKERS} crypto worker${CRYPTO_WORKERS === 1 ? '' : 's'}\n`,
);
console.log(
  formatTable(
    [
      'outbound',
      'in flight',
      'changes',
      'records/change',
      'messages',
      'token B',
      'enqueue s',
      'total s',
      'msgs/s',
      'records/s',
      'floor msgs/s',
      'ratio',
      ...cpuColumns,
      'load1',
    ],
    outboundRuns.map((r) => [
      r.database,
      String(r.concurrency),
      fmt(r.changes),
      fmt(r.recordsPerChange),
      fmt(r.messages),
      fmt(r.avgTokenBytes),
      fmt(r.enqueueSeconds, 2),
      fmt(r.totalSeconds, 2),
      fmt(r.messagesPerSec),
      fmt(r.recordsPerSec),
      fmt(r.floorMessagesPerSec),
      (r.messagesPerSec / r.floorMessagesPerSec).toFixed(3),
      ...cpuCells(r.cpuMsPerMessage),
      fmt(r.loadavg1, 2),
    ]),
  ),
);
console.log('');
console.log(
  formatTable(
    [
      'inbound',
      'messages',
      'token B',
      'drain s',
      'msgs/s',
      'receipts SENT s',
      'floor msgs/s',
      'ratio',
      ...cpuColumns,
      'load1',
    ],
    inboundRuns.map((r) => [
      r.database,
      fmt(r.messages),
      fmt(r.avgTokenBytes),
      fmt(r.drainSeconds, 2),
      fmt(r.messagesPerSec),
      fmt(r.receiptsSentSeconds, 2),
      fmt(r.floorMessagesPerSec),
      (r.messagesPerSec / r.floorMessagesPerSec).toFixed(3),
      ...cpuCells(r.cpuMsPerMessage),
      fmt(r.loadavg1, 2),
    ]),
  ),
);

const target = atLeast(3_000, 'msgs/s');
const summary: SummaryMetric[] = [
  ...outboundRuns.map((r) =>
    summaryMetric(
      'pipeline',
      `outbound, ${r.database}, ${r.concurrency} change${r.concurrency > 1 ? 's' : ''} in flight, ${r.recordsPerChange} record${r.recordsPerChange > 1 ? 's' : ''} per delta`,
      'msgs/s',
      r.messagesPerSec,
      { value: r.floorMessagesPerSec, label: 'amqplib confirmed publish, window 1,000' },
      target,
    ),
  ),
  ...inboundRuns.map((r) =>
    summaryMetric(
      'pipeline',
      `inbound, ${r.database}`,
      'msgs/s',
      r.messagesPerSec,
      { value: r.floorMessagesPerSec, label: `amqplib consume + ack, prefetch ${PREFETCH}` },
      target,
    ),
  ),
];
const file = writeResult('pipeline', {
  changes: CHANGES,
  recordsPerChange: RECORDS_PER_CHANGE,
  inboundMessages: INBOUND,
  pgConcurrency: PG_CONCURRENCY,
  sqliteConcurrency: SQLITE_CONCURRENCY,
  cryptoWorkers: CRYPTO_WORKERS,
  outbound: outboundRuns,
  inbound: inboundRuns,
  summary,
});
console.log(`\nwritten ${file}`);
