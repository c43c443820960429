/**
 * Fault injection (npm run test:chaos, issue #9). A partner streams CHAOS_MESSAGES deltas to
 * the gateway while an operator changes our register through the HTTP API, and a seeded
 * plan (CHAOS_SEED, printed) kills the gateway with SIGKILL, cuts every connection to its
 * PostgreSQL database and restarts RabbitMQ at points measured in messages applied. Then we
 * count at both ends: nothing lost, nothing applied twice, every partner on the latest
 * version of every record, the audit chain intact. SQLite and PostgreSQL (pg_terminate_backend
 * only on PostgreSQL).
 *
 * CHAOS_FAULTS=kill,pgterm,rabbit  which faults (the RabbitMQ restart affects everyone on the broker); none: a baseline
 * CHAOS_KILLS, CHAOS_PGTERMS, CHAOS_RABBIT_RESTARTS  how many of each (3, 3, 1)
 * CHAOS_DATABASES=sqlite,postgres  CHAOS_MESSAGES=100000  CHAOS_SEED=mra-chaos-2026
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { verifyAuditLog } from '@aeo/audit';
import { DEFAULT_TOPOLOGY } from '@aeo/messaging';
import { openGatewayDatabase } from '@aeo/schema';
import { createPostgresDatabase, createSqliteDatabase, type TestDatabase } from '../support/databases.js';
import { gatewayEnvironment, http, startSimulatorProcess, type Started } from '../support/processes.js';
import { deleteTopology, uniquePrefix } from '../support/rabbit.js';
import { chaosSettings, describePlan, faultsFor, planFaults } from './fault-plan.js';
import { GatewaySupervisor, inject } from './faults.js';
import { HomeRegisterLoad } from './home-register-load.js';
import { GatewayLedger, type RecordVersion } from './ledger.js';
import { waitFor } from './waiting.js';

const settings = chaosSettings();
const N = settings.messages;
const PARTNERS = ['cn', 'eaeu', 'kr', 'tr'] as const;
/** The partner that streams to us; the others only receive our deltas. */
const STREAMER = 'kr';
const HOME_RECORDS = 8;

// Generous caps, there to end a stuck run, not to measure it (the suite prints its timings):
// a slow machine may take its time, but no progress for STALL_MS fails the run at once.
const STREAM_CAP_MS = 10 * 60_000 + N * 40;
const STALL_MS = 3 * 60_000;
jest.setTimeout(STREAM_CAP_MS + 20 * 60_000);

type SimStats = {
  received: number;
  uniqueMessages: number;
  duplicates: number;
  byType: Record<string, number>;
  rejected: Record<string, number>;
  latestStatus: Record<string, RecordVersion>;
  sent: Record<string, { type: string; receipt?: { outcome: string } }>;
  stream: { requested: number; confirmed: number; publishRetries: number; done: boolean };
};

const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** How many of each: a failure shows `{ SENT: 36 }`, not 36 message ids. */
function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

describe.each(settings.databases)('the exchange under faults on %s', (database) => {
  const plan = planFaults(settings, faultsFor(database, settings.faults));
  const sims = new Map<string, Started>();
  let db: TestDatabase | undefined;
  let prefix = '';
  let gateway: GatewaySupervisor | undefined;
  let load: HomeRegisterLoad | undefined;
  let t0 = Date.now();
  const log = (line: string) => process.stdout.write(`[chaos ${database} +${seconds(Date.now() - t0)}s] ${line}\n`);

  afterAll(async () => {
    await load?.stop();
    await Promise.all([...sims.values()].map((sim) => sim.stop('SIGKILL')));
    await gateway?.stop('SIGKILL');
    if (prefix) await deleteTopology({ ...DEFAULT_TOPOLOGY, prefix, partners: [...PARTNERS] });
    await db?.drop();
  }, 120_000);

  it(`${N} partner messages in and our register changes out, through ${describePlan(plan)}: none lost, none applied twice, audit chain intact`, async () => {
    t0 = Date.now();
    const faults = settings.faults.length === 0 ? 'none' : settings.faults.join(',');
    log(`plan: ${describePlan(plan)}`);
    log(`replay: CHAOS_SEED=${settings.seed} CHAOS_MESSAGES=${N} CHAOS_FAULTS=${faults} CHAOS_KILLS=${settings.counts.kill} CHAOS_PGTERMS=${settings.counts.pgterm} CHAOS_RABBIT_RESTARTS=${settings.counts.rabbit} CHAOS_DATABASES=${database} CHAOS_CRYPTO_WORKERS=${settings.cryptoWorkers} npm run test:chaos`);
    db = database === 'postgres' ? await createPostgresDatabase() : await createSqliteDatabase();
    prefix = uniquePrefix('chaos');
    const ledger = new GatewayLedger(db.url);
    gateway = new GatewaySupervisor({
      ...gatewayEnvironment({ databaseUrl: db.url, prefix, keysDir: mkdtempSync(join(tmpdir(), 'mra-chaos-keys-')) }),
      MRA_CRYPTO_WORKERS: String(settings.cryptoWorkers),
    });
    await gateway.start();
    for (const partner of PARTNERS) sims.set(partner, await startSimulatorProcess(partner, gateway.url, prefix));
    const stats = async (partner: string) => (await http<SimStats>('GET', `${sims.get(partner)!.url}/stats`)).body;
    const wait = { abortIf: () => gateway!.assertAlive() };

    load = new HomeRegisterLoad(() => gateway!.url, { records: HOME_RECORDS, perChange: 2, pauseMs: 100 });
    load.start();
    const streamStarted = Date.now();
    expect((await http('POST', `${sims.get(STREAMER)!.url}/send/stream`, { messages: N })).status).toBe(202);

    // The plan, fault by fault, on the clock of messages applied.
    const fired: string[] = [];
    let appliedAtLastFault = -1;
    for (const fault of plan) {
      // Never two faults without progress between them: each one must hit a gateway that had recovered from the last.
      const due = Math.max(fault.at, appliedAtLastFault + 1);
      const applied = await waitFor(
        `${due} messages applied before ${fault.kind}#${fault.ordinal}`,
        async () => {
          const n = await ledger.applied(STREAMER);
          return n >= due ? { done: true, value: n } : { done: false, seen: n };
        },
        { ...wait, timeoutMs: STREAM_CAP_MS, stallMs: STALL_MS, intervalMs: 100 },
      );
      appliedAtLastFault = applied;
      const outcome = await inject(fault.kind, { gateway, databaseUrl: db.url });
      const line = `${fault.kind}#${fault.ordinal} planned at ${fault.at}, fired at ${applied} applied: ${outcome}`;
      fired.push(line);
      log(line);
    }

    let lastProgress = 0;
    await waitFor(
      `all ${N} messages applied`,
      async () => {
        const n = await ledger.applied(STREAMER);
        return n >= N ? { done: true, value: n } : { done: false, seen: n };
      },
      {
        ...wait,
        timeoutMs: STREAM_CAP_MS,
        stallMs: STALL_MS,
        intervalMs: 250,
        onObservation: (n) => {
          if (Date.now() - lastProgress < 10_000) return;
          lastProgress = Date.now();
          log(`${String(n)}/${N} applied`);
        },
      },
    );
    const appliedMs = Date.now() - streamStarted;
    log(`all ${N} applied in ${seconds(appliedMs)} s: ${(N / (appliedMs / 1000)).toFixed(0)} messages/s through the faults`);

    // The partner's end: its stream confirmed by the broker, each message answered ACCEPTED.
    const streamer = await waitFor(
      `a receipt for each of the ${N} stream messages at the partner`,
      async () => {
        const s = await stats(STREAMER);
        const accepted = Object.values(s.sent).filter((m) => m.type === 'AEO_STATUS_DELTA' && m.receipt?.outcome === 'ACCEPTED').length;
        return s.stream.done && accepted === N && (s.byType.RECEIPT ?? 0) >= N ? { done: true, value: s } : { done: false, seen: { ...s.stream, accepted, receipts: s.byType.RECEIPT } };
      },
      { ...wait, timeoutMs: STREAM_CAP_MS, stallMs: STALL_MS, intervalMs: 3_000 },
    );

    await load.stop();
    const confirmedChanges = load.confirmed.length;
    log(`operator changes: ${confirmedChanges} confirmed, unconfirmed ${JSON.stringify(load.unconfirmed)}`);
    let settledMs: number | undefined;
    try {
      await waitFor(
        'every outbound message published and every delta acknowledged',
        async () => {
          const open = await ledger.unsettled();
          return open === 0 ? { done: true, value: open } : { done: false, seen: { outbox: await ledger.outboxStates(), rejected: await ledger.rejections() } };
        },
        { ...wait, timeoutMs: STREAM_CAP_MS, stallMs: STALL_MS, intervalMs: 1_000 },
      );
      settledMs = Date.now() - streamStarted;
    } catch (error) {
      gateway.assertAlive();
      // A stuck outbox is one finding among others: count everything below, so the failure shows the whole picture.
      log(`NOT SETTLED: ${(error as Error).message}`);
    }

    // Graceful stop: the counts below are final, and a clean shutdown after the faults is part of the test.
    const simStats = Object.fromEntries(await Promise.all(PARTNERS.map(async (p) => [p, await stats(p)] as const)));
    const partnerRecords = (await http<{ aeoIdNormalized: string; status: string; recordVersion: number }[]>('GET', `${sims.get(STREAMER)!.url}/records`)).body;
    await gateway.stop('SIGTERM');

    const inbound = await ledger.inbound(STREAMER);
    const homeHistory = await ledger.homeHistory();
    const home = await ledger.currentVersions('home');
    const outbound: Record<string, unknown> = {};
    const expectedOutbound: Record<string, unknown> = {};
    for (const partner of PARTNERS) {
      const deltas = await ledger.deltasTo(partner);
      const s = simStats[partner];
      const confirmedIds = load.confirmed.flatMap((c) => c.queued.filter((q) => q.partner === partner).map((q) => q.messageId));
      outbound[partner] = {
        // Every change the gateway confirmed queued one delta to this partner, and the partner's receipt settled it.
        confirmedQueued: confirmedIds.length,
        confirmedNotAcknowledged: tally(confirmedIds.map((id) => deltas.get(id)?.state ?? 'MISSING').filter((state) => state !== 'ACKNOWLEDGED')),
        // So did every change it committed without being able to answer (killed mid-request).
        deltasNotAcknowledged: tally([...deltas.values()].map((d) => d.state).filter((state) => state !== 'ACKNOWLEDGED')),
        // Applied once each at the partner: as many deltas applied as we queued, no message id applied twice.
        deltasApplied: s.byType.AEO_STATUS_DELTA ?? 0,
        messagesAppliedTwice: Object.values(s.byType).reduce((a, b) => a + b, 0) - s.uniqueMessages,
        receiptsApplied: s.byType.RECEIPT ?? 0,
        rejectedByPartner: s.rejected,
        latest: s.latestStatus,
      };
      expectedOutbound[partner] = {
        confirmedQueued: confirmedChanges,
        confirmedNotAcknowledged: {},
        deltasNotAcknowledged: {},
        deltasApplied: deltas.size,
        messagesAppliedTwice: 0,
        // The streaming partner: one per stream message; any partner: one more per message of theirs we refused.
        receiptsApplied: await ledger.receiptsTo(partner),
        rejectedByPartner: {},
        latest: home,
      };
    }
    const ds = await openGatewayDatabase(db.url);
    const audit = await verifyAuditLog(ds, {}).finally(() => ds.destroy());

    // One verdict, so a failure shows every count at once.
    expect({
      inbound: {
        inbox: inbound.inbox,
        receiptsQueued: inbound.receipts,
        acceptedAudited: inbound.acceptedAudited,
        // One record per message: applied, or ignored because a later version overtook it (a retried publish).
        appliedOrIgnored: inbound.appliedRecords + inbound.ignoredOlder,
        historyRows: inbound.historyRows,
        historyRowsPerMessage: inbound.historyRows === inbound.historyMessages ? 1 : 'more than one',
        historyWithoutInbox: inbound.historyWithoutInbox,
        // The foreign register holds exactly the partner's latest version of every record.
        foreignRegister: await ledger.currentVersions('foreign', STREAMER),
        // The partner's end: every message confirmed by the broker and answered ACCEPTED (each receipt applied once: see outbound).
        confirmedByBroker: streamer.stream.confirmed,
      },
      rejectedByGateway: await ledger.rejections(),
      // Unanswered or 5xx during a fault is expected; a 4xx would be the gateway refusing a valid change.
      changesRefused: Object.keys(load.unconfirmed).filter((status) => status.startsWith('4')),
      homeRecords: Object.keys(home).length,
      confirmedVersionsLost: load.confirmed.flatMap((c) => c.versions).filter((v) => !homeHistory.has(v)),
      outbound,
      // The whole report when the chain does not verify.
      auditChain: audit.ok ? 'verified' : audit,
    }).toEqual({
      inbound: {
        inbox: N,
        receiptsQueued: N,
        acceptedAudited: N,
        appliedOrIgnored: N,
        historyRows: inbound.appliedRecords,
        historyRowsPerMessage: 1,
        historyWithoutInbox: 0,
        foreignRegister: Object.fromEntries(partnerRecords.map((r) => [r.aeoIdNormalized, { status: r.status, recordVersion: r.recordVersion }])),
        confirmedByBroker: N,
      },
      rejectedByGateway: {},
      changesRefused: [],
      homeRecords: HOME_RECORDS,
      confirmedVersionsLost: [],
      outbound: expectedOutbound,
      auditChain: 'verified',
    });

    log(
      [
        `summary CHAOS_SEED=${settings.seed}: ${N} messages in, applied in ${seconds(appliedMs)} s (${(N / (appliedMs / 1000)).toFixed(0)}/s), all settled in ${settledMs === undefined ? '(never)' : seconds(settledMs)} s`,
        `  faults: ${fired.length === 0 ? 'none' : fired.join('; ')}`,
        `  inbound: ${inbound.appliedRecords} versions applied, ${inbound.ignoredOlder} overtaken by a newer version; partner publish retries ${streamer.stream.publishRetries}`,
        `  outbound: ${confirmedChanges} changes confirmed (unconfirmed ${JSON.stringify(load.unconfirmed)}), deltas per partner ${PARTNERS.map((p) => `${p}=${simStats[p].byType.AEO_STATUS_DELTA ?? 0}`).join(' ')}`,
        `  duplicates delivered (allowed, not applied): ${PARTNERS.map((p) => `${p}=${simStats[p].duplicates}`).join(' ')}`,
        `  audit chain: ${audit.ok ? 'verified' : 'BROKEN'}`,
      ].join('\n'),
    );
  });
});
