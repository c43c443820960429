/**
 * Operations surface of the gateway against the real RabbitMQ and SQLite or PostgreSQL, with
 * a simulated partner (Türkiye, in-process) on the other side: readiness and its indicators,
 * Prometheus metrics that move when messages flow, and structured logs that carry the
 * request's correlation id and never a secret.
 *
 * The gateway runs in-process (startGateway, as main.ts calls it) with its log lines going to
 * an array instead of stdout. Everything it imports must therefore load under Jest's ESM mode:
 * no CommonJS package that requires the ESM-only Nest 12 (tech-notes §4).
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { repoPath } from '@aeo/config';
import { DEFAULT_TOPOLOGY } from '@aeo/messaging';
import { adapterFor } from '@aeo/partners';
import { loadMraConfigs } from '@aeo/registry';
import { PartnerSimulator } from '../../apps/partner-sim/src/partner-simulator.js';
import { openDataSource } from '@aeo/persistence';
import { GATEWAY_ENTITIES, GATEWAY_MIGRATIONS } from '@aeo/schema';
import type { DataSource } from 'typeorm';
import { homeRecord, kzBin } from '../support/builders.js';
import { DATABASES, type TestDatabase } from '../support/databases.js';
import { eventually } from '../support/eventually.js';
import { OPERATOR_TOKEN, RISK_TOKEN, gatewayEnvironment } from '../support/processes.js';
import { startGateway, type RunningGateway } from '../../apps/gateway/src/gateway.js';
import { READINESS_REUSE_MS } from '../../apps/gateway/src/health/health.controller.js';
import { ReadinessIndicators } from '../../apps/gateway/src/health/readiness.indicators.js';
import { AMQP_URL, deleteTopology, uniquePrefix } from '../support/rabbit.js';
import { parsePrometheusText, total } from './prometheus-text.js';

jest.setTimeout(60_000);

const PARTNERS = ['cn', 'eaeu', 'kr', 'tr'];
const PASSPHRASE = `ops-test-passphrase-${randomBytes(8).toString('hex')}`;

type Readiness = {
  status: 'ok' | 'degraded' | 'error';
  info: Record<string, Record<string, unknown>>;
  error: Record<string, Record<string, unknown>>;
  details: Record<string, { status: string } & Record<string, unknown>>;
};

async function call<T>(method: string, url: string, options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: (text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined) as T };
}

describe.each(DATABASES)('gateway operations on %s', (_kind, createDatabase) => {
  const prefix = uniquePrefix('ops');
  let db: TestDatabase;
  let gateway: RunningGateway;
  const output: string[] = [];
  let simulator: PartnerSimulator;
  let dataSource: DataSource;
  let defectiveMessageId = '';
  // gatewayEnvironment sets LOG_LEVEL=warn: MRA_LOG_LEVEL must win for the debug lines below to appear.
  const environment = () => ({ ...gatewayEnvironment({ databaseUrl: db.url, prefix }), AMQP_URL, MRA_KEY_PASSPHRASE: PASSPHRASE, MRA_LOG_LEVEL: 'debug' });
  const capture = (lines: string[]) => ({ logDestination: { write: (line: string) => void lines.push(line) } });
  const parsed = (lines: readonly string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const logLines = () => parsed(output);

  const scrape = async () => {
    const response = await call<never>('GET', `${gateway.url}/metrics`, { token: OPERATOR_TOKEN });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(response.text);
  };
  const ready = () => call<Readiness>('GET', `${gateway.url}/health/ready`);

  beforeAll(async () => {
    db = await createDatabase();
    gateway = await startGateway(environment(), undefined, capture(output));
    dataSource = await openDataSource({ url: db.url, entities: GATEWAY_ENTITIES, migrations: GATEWAY_MIGRATIONS });
    const jwks = (await call<unknown>('GET', `${gateway.url}/.well-known/jwks.json`)).body;
    simulator = new PartnerSimulator({
      adapter: adapterFor('tr'),
      amqpUrl: AMQP_URL,
      prefix,
      gatewayJwks: jwks,
      privateJwksFile: repoPath('test', 'keys', 'partners', 'tr', 'private.jwks.json'),
      registerSize: 5,
    });
    await simulator.start();
  }, 120_000);

  afterAll(async () => {
    await simulator?.stop();
    await gateway?.close();
    await dataSource?.destroy();
    await deleteTopology({ ...DEFAULT_TOPOLOGY, prefix, partners: PARTNERS });
    await db?.drop();
  }, 60_000);

  it('answers liveness with 200 and readiness with every indicator up', async () => {
    const live = await call<{ status: string; warnings: string[] }>('GET', `${gateway.url}/health`);
    expect(live.status).toBe(200);
    expect(live.body.status).toBe('ok');
    expect(live.body.warnings.some((w) => w.startsWith('generated '))).toBe(true);

    const readiness = await ready();
    expect(readiness.status).toBe(200);
    expect(readiness.body.status).toBe('ok');
    expect(Object.keys(readiness.body.details).sort()).toEqual(['broker', 'database', 'deadLetters', 'keys', 'outbox', 'partnerReceipts']);
    expect(Object.values(readiness.body.details).map((d) => d.status)).toEqual(Array(6).fill('up'));
    expect(readiness.body.details.deadLetters).toMatchObject({ depth: 0 });
    expect(readiness.body.details.outbox).toMatchObject({ backlog: 0 });
    const keys = readiness.body.details.keys.keys as { type: string; daysLeft: number }[];
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key.daysLeft).toBeGreaterThanOrEqual(30);
    const partners = readiness.body.details.partnerReceipts.partners as { partner: string; lastReceiptAt: string | null; late: boolean }[];
    expect(partners.map((p) => p.partner).sort()).toEqual(PARTNERS);
    expect(partners.every((p) => p.lastReceiptAt === null && !p.late)).toBe(true);
  });

  it('serves Prometheus text in which every family moves when messages flow both ways', async () => {
    const before = await scrape();

    // Out: a home-register change goes to every partner; the simulated Türkiye answers with a receipt.
    const record = { ...homeRecord({}, 1), traderIds: [{ scheme: 'KZ-BIN', value: kzBin(1) }] };
    const { recordVersion: _v, lastChangedAt: _t, ...change } = record;
    expect((await call('POST', `${gateway.url}/v1/register/records`, { body: { records: [change] }, token: OPERATOR_TOKEN })).status).toBe(201);
    const suspended = await call<{ queued: { partner: string; messageId: string }[] }>(
      'POST',
      `${gateway.url}/v1/register/records/${encodeURIComponent(record.aeoIdNormalized)}/status`,
      { body: { status: 'SUSPENDED', reason: 'ops test (fictional)', effectiveFrom: '2026-11-28' }, token: OPERATOR_TOKEN },
    );
    expect(suspended.body.queued.map((q) => q.partner)).toContain('tr');
    // In: one good delta and one with a broken signature (dead-lettered).
    await simulator.sendDelta({ status: 'ACTIVE', count: 1 });
    defectiveMessageId = (await simulator.sendDelta({ status: 'ACTIVE', count: 1, defect: 'bad-signature' })).messageId;
    // A recognition decision.
    expect((await call('POST', `${gateway.url}/v1/recognitions`, { body: { declaredAeoId: 'CN12345', declarationReference: 'OPS-1' }, token: RISK_TOKEN })).status).toBeLessThan(300);

    const after = await eventually(
      async () => {
        const now = await scrape();
        expect(total(now, 'mra_receipts_total', { partner: 'tr' })).toBeGreaterThan(0);
        // The receipt counter moves when the receipt is applied, the state gauge once its batch has committed.
        expect(total(now, 'mra_outbox_messages', { partner: 'tr', state: 'ACKNOWLEDGED' })).toBeGreaterThan(total(before, 'mra_outbox_messages', { partner: 'tr', state: 'ACKNOWLEDGED' }));
        expect(total(now, 'mra_dead_letter_messages')).toBe(1);
        expect(total(now, 'mra_messages_in_total', { partner: 'tr', outcome: 'ACCEPTED' })).toBeGreaterThanOrEqual(2);
        return now;
      },
      { timeoutMs: 30_000 },
    );
    const moved = (name: string, labels: Record<string, string> = {}) => [name, total(after, name, labels) > total(before, name, labels)];
    expect([
      moved('mra_messages_in_total', { partner: 'tr', outcome: 'ACCEPTED' }),
      moved('mra_messages_in_total', { partner: 'tr', outcome: 'SIGNATURE_INVALID' }),
      moved('mra_messages_out_total', { partner: 'tr', outcome: 'SENT' }),
      moved('mra_outbound_latency_ms', { partner: 'tr' }),
      moved('mra_inbound_latency_ms', { partner: 'tr' }),
      moved('mra_end_to_end_latency_ms', { partner: 'tr' }),
      moved('mra_receipt_latency_ms', { partner: 'tr' }),
      moved('mra_receipts_total', { partner: 'tr', outcome: 'ACKNOWLEDGED' }),
      moved('mra_outbox_messages', { partner: 'tr', state: 'ACKNOWLEDGED' }),
      moved('mra_dead_letter_messages'),
      moved('mra_recognition_decisions_total'),
    ]).toEqual([
      ['mra_messages_in_total', true],
      ['mra_messages_in_total', true],
      ['mra_messages_out_total', true],
      ['mra_outbound_latency_ms', true],
      ['mra_inbound_latency_ms', true],
      ['mra_end_to_end_latency_ms', true],
      ['mra_receipt_latency_ms', true],
      ['mra_receipts_total', true],
      ['mra_outbox_messages', true],
      ['mra_dead_letter_messages', true],
      ['mra_recognition_decisions_total', true],
    ]);
    const keyDays = after.get('mra_key_days_to_expiry')!;
    expect(keyDays.type).toBe('gauge');
    expect(keyDays.samples.length).toBeGreaterThan(0);
    for (const sample of keyDays.samples) expect(sample.labels.kid).toMatch(/\S/);
    expect((await call('GET', `${gateway.url}/metrics`)).status).toBe(401);
  });

  it('answers probes arriving within a second from one readiness check (the route is public)', async () => {
    const indicators = gateway.app.get(ReadinessIndicators);
    const database = indicators.database.bind(indicators);
    let checks = 0;
    indicators.database = () => {
      checks += 1;
      return database();
    };
    try {
      await new Promise((resolve) => setTimeout(resolve, READINESS_REUSE_MS + 50));
      const answers = await Promise.all(Array.from({ length: 20 }, () => ready()));
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      expect(checks).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, READINESS_REUSE_MS + 50));
      await ready();
      expect(checks).toBe(2);
    } finally {
      indicators.database = database;
    }
  });

  it('reports parked messages and a partner that owes receipts as degraded, still 200', async () => {
    // A message to China (no simulator here) sent longer ago than its 15-minute receipt SLA, unanswered.
    const cnSla = loadMraConfigs().get('cn')!.receiptSlaMinutes;
    const sentToCn = async () => Number((await dataSource.query<{ n: string | number }[]>(`SELECT COUNT(*) AS n FROM outbound_message WHERE partner = 'cn' AND state = 'SENT'`))[0].n);
    await eventually(async () => expect(await sentToCn()).toBeGreaterThan(0));
    const longAgo = Date.now() - (cnSla + 60) * 60_000;
    await dataSource.query(`UPDATE outbound_message SET sent_at = ${longAgo} WHERE partner = 'cn' AND state = 'SENT'`);

    // Readiness answers are reused for a second (READINESS_REUSE_MS): ask until a fresh one comes.
    let readiness = await ready();
    await eventually(async () => {
      readiness = await ready();
      expect(readiness.body.details.partnerReceipts.status).toBe('degraded');
    });
    expect(readiness.status).toBe(200);
    expect(readiness.body.status).toBe('degraded');
    expect(readiness.body.details.deadLetters).toMatchObject({ status: 'degraded', depth: 1 });
    expect(readiness.body.details.partnerReceipts.status).toBe('degraded');
    const partners = readiness.body.details.partnerReceipts.partners as { partner: string; lastReceiptAt: string | null; late: boolean; unansweredBeyondSla: number }[];
    expect(partners.find((p) => p.partner === 'cn')).toMatchObject({ late: true, lastReceiptAt: null });
    // Türkiye answered: its last receipt is known and it is not late.
    expect(partners.find((p) => p.partner === 'tr')).toMatchObject({ late: false, lastReceiptAt: expect.any(String) });
    expect(readiness.body.details.database.status).toBe('up');
    expect(readiness.body.details.broker.status).toBe('up');
  });

  it('writes JSON log lines that carry the request correlation id and no token or passphrase', async () => {
    const correlationId = `ops-${randomBytes(6).toString('hex')}`;
    const response = await call('GET', `${gateway.url}/v1/outbox?limit=5`, { token: OPERATOR_TOKEN, headers: { 'X-Correlation-Id': correlationId } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-correlation-id')).toBe(correlationId);
    // A hostile correlation id is not echoed: a fresh UUID replaces it.
    const hostile = await call('GET', `${gateway.url}/health`, { headers: { 'X-Correlation-Id': 'x'.repeat(65) } });
    expect(hostile.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);

    const lines = await eventually(() => {
      const parsed = logLines();
      expect(parsed.some((l) => l.correlationId === correlationId && l.message === 'request completed')).toBe(true);
      return parsed;
    });
    for (const line of output) expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
    for (const line of lines) expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String), message: expect.any(String) });
    expect(lines.find((l) => l.correlationId === correlationId)).toMatchObject({ method: 'GET', path: '/v1/outbox', status: 200 });
    // Nest's own lines, the exchange's and the lifecycle line all went through the same logger.
    expect(lines.some((l) => l.component === 'nest')).toBe(true);
    expect(lines.some((l) => l.component === 'exchange' && l.message === 'outbound message published' && typeof l.messageId === 'string')).toBe(true);
    // The dead-lettered message is named by its id and reason, and its bytes are not in the log.
    expect(lines.find((l) => l.component === 'exchange' && l.messageId === defectiveMessageId)).toMatchObject({ level: 'warn', reason: 'SIGNATURE_INVALID', partner: 'tr' });
    expect(lines.some((l) => l.message === 'gateway started')).toBe(true);
    const everything = output.join('');
    expect(everything).not.toContain(OPERATOR_TOKEN);
    expect(everything).not.toContain(RISK_TOKEN);
    expect(everything).not.toContain(PASSPHRASE);
    expect(everything).not.toMatch(/"authorization"\s*:\s*"Bearer/i);
    // No message bytes: every JOSE token (a JWS or JWE header) starts with base64url '{"' = 'eyJ'.
    expect(everything).not.toContain('eyJ');
  });

  it('answers readiness 503 with the Terminus body while the broker is unreachable, stays live, and logs the failure under the request id', async () => {
    const strandedOutput: string[] = [];
    const stranded = await startGateway({ ...environment(), AMQP_URL: 'amqp://guest:guest@127.0.0.1:1', MRA_AMQP_PREFIX: uniquePrefix('ops-nobroker') }, undefined, capture(strandedOutput));
    try {
      const correlationId = `ready-${randomBytes(6).toString('hex')}`;
      const readiness = await call<Readiness>('GET', `${stranded.url}/health/ready`, { headers: { 'X-Correlation-Id': correlationId } });
      expect(readiness.status).toBe(503);
      expect(readiness.body.status).toBe('error');
      expect(readiness.body.error.broker).toMatchObject({ status: 'down' });
      expect(readiness.body.details.database.status).toBe('up');
      expect(readiness.body.details.keys.status).toBe('up');
      expect((await call('GET', `${stranded.url}/health`)).status).toBe(200);
      await eventually(() => {
        const lines = parsed(strandedOutput);
        expect(lines.find((l) => l.correlationId === correlationId && l.level === 'error' && l.component === 'nest')).toBeDefined();
        expect(lines.find((l) => l.correlationId === correlationId && l.message === 'request completed')).toMatchObject({ status: 503 });
      });
    } finally {
      await stranded.close();
    }
  });
});
