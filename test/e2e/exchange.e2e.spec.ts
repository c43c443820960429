/**
 * End to end, as deployed: the built gateway and four partner simulators as separate
 * processes, the real RabbitMQ, and SQLite or PostgreSQL. Polling with timeouts, never sleeps.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { openDataSource } from '@aeo/persistence';
import { GATEWAY_ENTITIES, GATEWAY_MIGRATIONS } from '@aeo/schema';
import { foreignRegister } from '@aeo/registry';
import type { DataSource } from 'typeorm';
import { homeRecord, kzBin } from '../support/builders.js';
import { DATABASES, type TestDatabase } from '../support/databases.js';
import { eventually } from '../support/eventually.js';
import { AUDITOR_TOKEN, OPERATOR_TOKEN, RISK_TOKEN, gatewayEnvironment, http, startGatewayProcess, startSimulatorProcess, type Started } from '../support/processes.js';
import { deleteTopology, drainQueue, uniquePrefix } from '../support/rabbit.js';
import { DEFAULT_TOPOLOGY, topologyNames } from '@aeo/messaging';

jest.setTimeout(60_000);

const PARTNERS = ['cn', 'eaeu', 'kr', 'tr'] as const;
type Stats = {
  latestStatus: Record<string, { status: string; recordVersion: number }>;
  sent: Record<string, { receipt?: { outcome: string; reasonCode?: string } }>;
  duplicates: number;
  byType: Record<string, number>;
};

describe.each(DATABASES)('AEO status exchange end to end on %s', (kind, createDatabase) => {
  const prefix = uniquePrefix('e2e');
  let db: TestDatabase;
  let gateway: Started;
  const sims = new Map<string, Started>();
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createDatabase();
    // The built gateway's crypto on worker threads (dist/.../crypto-worker.js) on one database, on the event loop on the other.
    gateway = await startGatewayProcess({ ...gatewayEnvironment({ databaseUrl: db.url, prefix }), MRA_CRYPTO_WORKERS: kind === 'postgres' ? '2' : '0' });
    const started = await Promise.all(PARTNERS.map((p) => startSimulatorProcess(p, gateway.url, prefix)));
    started.forEach((sim, i) => sims.set(PARTNERS[i], sim));
    dataSource = await openDataSource({ url: db.url, entities: GATEWAY_ENTITIES, migrations: GATEWAY_MIGRATIONS });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...sims.values()].map((s) => s.stop()));
    await gateway?.stop();
    await dataSource?.destroy();
    await deleteTopology({ ...DEFAULT_TOPOLOGY, prefix, partners: [...PARTNERS] });
    await db?.drop();
  }, 60_000);

  const stats = async (partner: string) => (await http<Stats>('GET', `${sims.get(partner)!.url}/stats`)).body;
  const sim = (partner: string, path: string, body: unknown) => http<Record<string, unknown>>('POST', `${sims.get(partner)!.url}${path}`, body);

  it('sends a home-register suspension to all four partners, verified, and moves each to ACKNOWLEDGED on receipt', async () => {
    // KZ/0001 has a YFKS number in tr.yaml, so Türkiye's format can carry it; type 3 is in every partner's scope.
    const record = { ...homeRecord({}, 1), traderIds: [{ scheme: 'KZ-BIN', value: kzBin(1) }] };
    const { recordVersion: _v, lastChangedAt: _t, ...change } = record;
    const created = await http('POST', `${gateway.url}/v1/register/records`, { records: [change] }, OPERATOR_TOKEN);
    expect(created.status).toBe(201);
    const suspended = await http<{ queued: { partner: string; messageId: string }[] }>(
      'POST',
      `${gateway.url}/v1/register/records/${encodeURIComponent(record.aeoIdNormalized)}/status`,
      { status: 'SUSPENDED', reason: 'post-audit findings (fictional)', effectiveFrom: '2026-11-28' },
      OPERATOR_TOKEN,
    );
    expect(suspended.status).toBe(201);
    expect(suspended.body.queued.map((q) => q.partner).sort()).toEqual([...PARTNERS]);

    for (const partner of PARTNERS) {
      await eventually(async () => expect((await stats(partner)).latestStatus[record.aeoIdNormalized]).toEqual({ status: 'SUSPENDED', recordVersion: 2 }), { timeoutMs: 30_000 });
    }
    await eventually(
      async () => {
        const outbox = await http<{ messages: { messageId: string; state: string }[] }>('GET', `${gateway.url}/v1/outbox?limit=500`, undefined, OPERATOR_TOKEN);
        for (const { messageId } of suspended.body.queued) {
          expect(outbox.body.messages.find((m) => m.messageId === messageId)?.state).toBe('ACKNOWLEDGED');
        }
      },
      { timeoutMs: 30_000 },
    );
  });

  it('sends a full snapshot of our register on demand, chunked, and each chunk is receipted', async () => {
    const sent = await http<{ queued: { partner: string; messageId: string }[]; records: unknown[] }>('POST', `${gateway.url}/v1/snapshots`, { partner: 'eaeu' }, OPERATOR_TOKEN);
    expect(sent.status).toBe(201);
    expect(sent.body.records.length).toBeGreaterThan(0);
    await eventually(async () => expect((await stats('eaeu')).byType.AEO_SNAPSHOT).toBeGreaterThanOrEqual(sent.body.queued.length), { timeoutMs: 30_000 });
    await eventually(
      async () => {
        const outbox = await http<{ messages: { messageId: string; state: string }[] }>('GET', `${gateway.url}/v1/outbox?partner=eaeu&limit=500`, undefined, OPERATOR_TOKEN);
        for (const { messageId } of sent.body.queued) expect(outbox.body.messages.find((m) => m.messageId === messageId)?.state).toBe('ACKNOWLEDGED');
      },
      { timeoutMs: 30_000 },
    );
  });

  it.each([
    ['cn', 'EXPIRED'],
    ['tr', 'ACTIVE'],
  ])("reconciles %s's full snapshot: a record it no longer lists becomes %s by the MRA's rule, and is reported", async (partner, expected) => {
    const records = (await http<{ aeoIdNormalized: string; programme: string }[]>('GET', `${sims.get(partner)!.url}/records`)).body;
    const gone = records[records.length - 1];
    await sim(partner, '/send/delta', { status: 'ACTIVE', aeoIds: [gone.aeoIdNormalized] });
    await eventually(async () => expect((await foreignRegister.find(dataSource.manager, 'production', gone.programme, gone.aeoIdNormalized))?.record.status).toBe('ACTIVE'), { timeoutMs: 30_000 });
    await sim(partner, '/records/remove', { aeoIds: [gone.aeoIdNormalized] });
    const snapshot = await sim(partner, '/send/snapshot', { chunkSize: 7 });
    const last = (snapshot.body.messageIds as string[]).at(-1)!;
    await eventually(
      async () => {
        const audit = await http<{ entries: { type: string; outcome: string; details: { missing: string[] } }[] }>('GET', `${gateway.url}/v1/audit?type=SNAPSHOT_RECONCILED&messageId=${last}`, undefined, AUDITOR_TOKEN);
        expect(audit.body.entries[0]).toMatchObject({ outcome: 'MISSING_RECORDS', details: { missing: expect.arrayContaining([gone.aeoIdNormalized]) } });
      },
      { timeoutMs: 30_000 },
    );
    expect((await foreignRegister.find(dataSource.manager, 'production', gone.programme, gone.aeoIdNormalized))?.record.status).toBe(expected);
  });

  it.each(PARTNERS)("applies %s's delta and snapshot to the foreign registry and answers each with a receipt", async (partner) => {
    const snapshot = await sim(partner, '/send/snapshot', { chunkSize: 10 });
    const delta = await sim(partner, '/send/delta', { status: 'SUSPENDED', count: 2 });
    const ids = [...(snapshot.body.messageIds as string[]), delta.body.messageId as string];
    await eventually(
      async () => {
        const sent = (await stats(partner)).sent;
        for (const id of ids) expect(sent[id]?.receipt?.outcome).toBe('ACCEPTED');
      },
      { timeoutMs: 30_000 },
    );
    for (const record of delta.body.records as { programme: string; aeoIdNormalized: string; recordVersion: number }[]) {
      const stored = await foreignRegister.find(dataSource.manager, 'production', record.programme, record.aeoIdNormalized);
      expect(stored?.record).toMatchObject({ status: 'SUSPENDED', recordVersion: record.recordVersion });
      expect(stored?.sourceMessageId).toBe(delta.body.messageId);
    }
  });

  it.each([
    ['cn', 'bad-signature', 'SIGNATURE_INVALID'],
    ['kr', 'bad-signature', 'SIGNATURE_INVALID'],
    ['tr', 'unknown-code', 'UNKNOWN_STATUS_CODE'],
    ['eaeu', 'unknown-code', 'UNKNOWN_STATUS_CODE'],
    ['cn', 'malformed-body', 'MALFORMED_XML'],
    ['kr', 'malformed-body', 'MALFORMED_JSON'],
    ['eaeu', 'bad-encryption-tag', 'JWE_DECRYPTION_FAILED'],
    // Half a token no longer has the five segments of a JWE, so it is refused as a malformed compact token.
    ['tr', 'truncated', 'JWS_MALFORMED'],
  ])('%s sending a %s message is rejected with %s, audited, dead-lettered, registers unchanged', async (partner, defect, code) => {
    const before = await foreignRegister.count(dataSource.manager, 'production');
    const history = await dataSource.query('SELECT COUNT(*) AS n FROM foreign_aeo_history');
    const sent = await sim(partner, '/send/delta', { status: 'REVOKED', count: 1, defect });
    const messageId = sent.body.messageId as string;
    await eventually(async () => expect((await stats(partner)).sent[messageId]?.receipt).toEqual({ outcome: 'REJECTED', reasonCode: code, at: expect.any(Number) }), { timeoutMs: 30_000 });
    const audit = await http<{ entries: { type: string; outcome: string }[] }>('GET', `${gateway.url}/v1/audit?messageId=${messageId}`, undefined, AUDITOR_TOKEN);
    expect(audit.body.entries).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'MESSAGE_REJECTED', outcome: code })]));
    const dead = await drainQueue(topologyNames(prefix).deadLetterQueue);
    expect(dead.map((m) => [String(m.properties.messageId), String(m.properties.headers?.['x-mra-reason'])])).toContainEqual([messageId, code]);
    expect(await foreignRegister.count(dataSource.manager, 'production')).toBe(before);
    expect(await dataSource.query('SELECT COUNT(*) AS n FROM foreign_aeo_history')).toEqual(history);
  });

  it('lists a dead letter and replays it through the inbound pipeline, audited', async () => {
    await drainQueue(topologyNames(prefix).deadLetterQueue);
    const sent = await sim('cn', '/send/delta', { status: 'REVOKED', count: 1, defect: 'bad-signature' });
    const messageId = sent.body.messageId as string;
    const listed = await eventually(
      async () => {
        const dlq = await http<{ messages: { messageId: string; reason: string; partner: string }[] }>('GET', `${gateway.url}/v1/dlq`, undefined, OPERATOR_TOKEN);
        const found = dlq.body.messages.find((m) => m.messageId === messageId);
        expect(found).toBeDefined();
        return found!;
      },
      { timeoutMs: 30_000 },
    );
    expect(listed).toMatchObject({ reason: 'SIGNATURE_INVALID', partner: 'cn' });
    expect((await http('POST', `${gateway.url}/v1/dlq/${messageId}/replay`, {}, AUDITOR_TOKEN)).status).toBe(403);
    const replay = await http<{ replayed: { messageId: string } }>('POST', `${gateway.url}/v1/dlq/${messageId}/replay`, {}, OPERATOR_TOKEN);
    expect(replay.status).toBe(201);
    // Still forged, so it is rejected again and parked again: with one more rejection audited.
    await eventually(
      async () => {
        const audit = await http<{ entries: { type: string; outcome: string }[] }>('GET', `${gateway.url}/v1/audit?messageId=${messageId}`, undefined, AUDITOR_TOKEN);
        expect(audit.body.entries.filter((e) => e.type === 'MESSAGE_REJECTED')).toHaveLength(2);
        expect(audit.body.entries).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'OPERATOR_ACTION', outcome: 'DLQ_REPLAYED' })]));
      },
      { timeoutMs: 30_000 },
    );
    const denied = await http<{ entries: { type: string }[] }>('GET', `${gateway.url}/v1/audit?type=ACCESS_DENIED`, undefined, AUDITOR_TOKEN);
    expect(denied.body.entries.length).toBeGreaterThan(0);
  });

  it("changes the recognition answer within seconds of a partner's suspension, and audits every decision", async () => {
    const records = (await http<{ aeoId: string; aeoIdNormalized: string }[]>('GET', `${sims.get('cn')!.url}/records`)).body;
    const target = records[7];
    const declared = target.aeoIdNormalized.slice(2); // the bare 10-digit customs code, as declared
    const ask = () =>
      http<{ recognised: boolean; reasonCode: string; benefits: string[]; evidence: { sourceMessageId: string } | null }>(
        'POST',
        `${gateway.url}/v1/recognitions`,
        { declaredAeoId: declared, declarationReference: 'DECL-E2E-1', role: 'EXPORTER' },
        RISK_TOKEN,
      );
    const active = await sim('cn', '/send/delta', { status: 'ACTIVE', aeoIds: [target.aeoIdNormalized] });
    await eventually(async () => expect((await ask()).body).toMatchObject({ recognised: true, reasonCode: 'ACTIVE', evidence: { sourceMessageId: active.body.messageId } }), { timeoutMs: 15_000 });
    expect((await ask()).body.benefits.length).toBeGreaterThan(0);
    const suspended = await sim('cn', '/send/delta', { status: 'SUSPENDED', aeoIds: [target.aeoIdNormalized] });
    const started = Date.now();
    await eventually(async () => expect((await ask()).body).toMatchObject({ recognised: false, reasonCode: 'SUSPENDED', benefits: [], evidence: { sourceMessageId: suspended.body.messageId } }), { timeoutMs: 15_000 });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await http('POST', `${gateway.url}/v1/recognitions`, { declaredAeoId: declared, declarationReference: 'X' }, AUDITOR_TOKEN)).status).toBe(403);
    const invalid = await http<{ reasonCode: string }>('POST', `${gateway.url}/v1/recognitions`, { declaredAeoId: 'CN12345', declarationReference: 'X' }, RISK_TOKEN);
    expect(invalid.body.reasonCode).toBe('INVALID_IDENTIFIER');
    const audit = await http<{ entries: { type: string; outcome: string }[] }>('GET', `${gateway.url}/v1/audit?type=RECOGNITION_DECISION&aeoId=${target.aeoIdNormalized}`, undefined, AUDITOR_TOKEN);
    expect(audit.body.entries.map((e) => e.outcome)).toEqual(expect.arrayContaining(['ACTIVE', 'SUSPENDED']));
  });

  it('serves Prometheus metrics that move when messages flow', async () => {
    const scrape = async () => {
      const response = await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } });
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return response.text();
    };
    const accepted = (text: string) =>
      text
        .split('\n')
        .filter((line) => line.startsWith('mra_messages_in_total{') && line.includes('partner="tr"') && line.includes('outcome="ACCEPTED"'))
        .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
    const before = await scrape();
    // Every non-comment line is `name{labels} value` or `name value`: the exposition format.
    for (const line of before.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).toMatch(/^[a-z_:][a-z0-9_:]*(\{[^}]*\})? -?[0-9.e+-]+$/);
    await sim('tr', '/send/delta', { status: 'ACTIVE', count: 1 });
    await eventually(async () => expect(accepted(await scrape())).toBe(accepted(before) + 1), { timeoutMs: 15_000 });
    expect(await scrape()).toMatch(/mra_outbox_messages\{partner="tr",state="ACKNOWLEDGED"\} \d+/);
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(401);
  });

  it('applies a duplicate once and answers it with the original receipt', async () => {
    const delta = await sim('kr', '/send/delta', { status: 'ACTIVE', count: 1 });
    const messageId = delta.body.messageId as string;
    await eventually(async () => expect((await stats('kr')).sent[messageId]?.receipt?.outcome).toBe('ACCEPTED'), { timeoutMs: 30_000 });
    const duplicatesBefore = (await stats('kr')).duplicates;
    const historyBefore = await dataSource.query('SELECT COUNT(*) AS n FROM foreign_aeo_history');
    await sim('kr', '/send/again', { messageId });
    // The original receipt (same message id) arrives a second time at the partner.
    await eventually(async () => expect((await stats('kr')).duplicates).toBe(duplicatesBefore + 1), { timeoutMs: 30_000 });
    expect(await dataSource.query('SELECT COUNT(*) AS n FROM foreign_aeo_history')).toEqual(historyBefore);
  });

  it('keeps the newest status when versions arrive out of order', async () => {
    const records = (await http<{ aeoIdNormalized: string; programme: string; recordVersion: number }[]>('GET', `${sims.get('eaeu')!.url}/records`)).body;
    const target = records[5];
    const sent = await sim('eaeu', '/send/out-of-order', { aeoId: target.aeoIdNormalized, steps: ['SUSPENDED', 'ACTIVE', 'REVOKED'] });
    const ids = sent.body.messageIds as string[];
    await eventually(
      async () => {
        const sentStats = (await stats('eaeu')).sent;
        for (const id of ids) expect(sentStats[id]?.receipt?.outcome).toBe('ACCEPTED');
      },
      { timeoutMs: 30_000 },
    );
    const stored = await foreignRegister.find(dataSource.manager, 'production', target.programme, target.aeoIdNormalized);
    expect(stored?.record.status).toBe('REVOKED');
    expect(stored?.record.recordVersion).toBe(target.recordVersion + 3);
  });
});
