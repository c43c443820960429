/**
 * A full snapshot of our register is planned in one pass, queued chunk by chunk in bounded
 * transactions HELD, and released in one last transaction. These tests pin what that promises
 * on both databases: chunks within the MRA's count AND the partner's byte limit, numbering that
 * covers every carriable record once in register order, nothing due before the release, and
 * what a snapshot that dies half-way leaves behind (nothing the relay would send; cleaned up
 * and audited by the next snapshot to that partner).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { auditSinkFor } from '@aeo/audit';
import { HOME_PROGRAMME, type AeoRecord, type SnapshotBody } from '@aeo/domain';
import { HELD_UNTIL_RELEASED, HomeRegisterService, OutboundMessageEntity } from '@aeo/exchange';
import { DEFAULT_TOPOLOGY } from '@aeo/messaging';
import { adapterFor, type PartnerAdapter } from '@aeo/partners';
import { loadMraConfigs } from '@aeo/registry';
import { ExchangeRuntime } from '@aeo/runtime';
import { openGatewayDatabase } from '@aeo/schema';
import { loadPartnerKeyRegistry, systemClock } from '@aeo/trust';
import type { DataSource } from 'typeorm';
import { homeChangeOf, homeRecord } from '../support/builders.js';
import { DATABASES, type TestDatabase } from '../support/databases.js';
import { testHomeKeyRing } from '../support/test-keys.js';

jest.setTimeout(120_000);

const RECORDS = 23;
/** Serial 9 has no KZ-BIN: GACC cannot carry it. */
const UNCARRIABLE = 9;


describe.each(DATABASES)('home register snapshots on %s', (_kind, createDatabase) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let runtime: ExchangeRuntime;
  let now = Date.now();
  const clock = { now: () => now };
  /** Every audit entry appended (the service's and the outbox's), in order. */
  let events: { type: string; details?: unknown }[] = [];
  let composed: { chunkIndex: number; chunkCount: number; ids: string[]; payloadBytes: number; messageId: string }[] = [];
  /** A test sets it to make the nth chunk's compose fail (a crash half-way). */
  let failAtChunk: number | undefined;
  /** A test sets it to change the register while chunk 1 is being sealed. */
  let duringChunkOne: (() => Promise<void>) | undefined;
  const cn = adapterFor('cn');

  function service(options: { chunksPerTransaction: number; shares?: (record: AeoRecord) => boolean }): HomeRegisterService {
    return new HomeRegisterService(
      dataSource,
      runtime.composer,
      runtime.outbox,
      auditSinkFor(runtime.audit),
      clock,
      { recipients: () => [cn], shares: (_adapter, record) => options.shares?.(record) ?? true },
      () => undefined,
      { pageSize: 5, chunksPerTransaction: options.chunksPerTransaction, abandonedAfterMs: 60 * 60_000 },
    );
  }

  /** The cn adapter with a smaller byte limit, so chunks are cut by bytes before the MRA's count. */
  function withMaxBytes(adapter: PartnerAdapter, maxBytes: number): PartnerAdapter {
    return { ...adapter, profile: { ...adapter.profile, limits: { ...adapter.profile.limits, maxBytes } }, encode: adapter.encode.bind(adapter), decode: adapter.decode.bind(adapter) };
  }

  beforeAll(async () => {
    db = await createDatabase();
    dataSource = await openGatewayDatabase(db.url);
    const mra = loadMraConfigs();
    const keyRing = await testHomeKeyRing();
    const partnerKeys = await loadPartnerKeyRegistry({ partners: [...mra.keys()] });
    runtime = new ExchangeRuntime({ dataSource, amqpUrl: 'amqp://unused', topology: { ...DEFAULT_TOPOLOGY, prefix: 'outbound-snapshot' }, mra, keyRing, partnerKeys, clock: systemClock });
    const records = Array.from({ length: RECORDS }, (_, i) => homeRecord(i + 1 === UNCARRIABLE ? { traderIds: [] } : {}, i + 1));
    await runtime.homeRegister.change(records.map(homeChangeOf), 'setup');
    // Nothing of the set-up may be due when a test claims: send it all.
    const setup = await runtime.outbox.claimDue(dataSource, 1_000, 60_000);
    await runtime.outbox.recordPublishOutcomes(dataSource, setup.map((row) => ({ row, ok: true })));
    const append = runtime.audit.append.bind(runtime.audit);
    runtime.audit.append = async (...args: Parameters<typeof append>) => {
      const entries = await append(...args);
      events.push(...args[0].map((e) => ({ type: e.type, details: e.details })));
      return entries;
    };
    const compose = runtime.composer.compose.bind(runtime.composer);
    runtime.composer.compose = async (...args: Parameters<typeof compose>) => {
      const body = args[2] as SnapshotBody;
      if (args[1] === 'AEO_SNAPSHOT' && body.chunkIndex === failAtChunk) throw new Error('crash while sealing');
      if (args[1] === 'AEO_SNAPSHOT' && body.chunkIndex === 1 && duringChunkOne) {
        const change = duringChunkOne;
        duringChunkOne = undefined;
        await change();
      }
      const result = await compose(...args);
      if (args[1] === 'AEO_SNAPSHOT') {
        composed.push({ chunkIndex: body.chunkIndex, chunkCount: body.chunkCount, ids: body.records.map((r) => r.aeoIdNormalized), payloadBytes: result.payloadBytes, messageId: result.outbound.messageId });
      }
      return result;
    };
  });

  beforeEach(() => {
    events = [];
    composed = [];
    failAtChunk = undefined;
    duringChunkOne = undefined;
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const carriableIds = () =>
    Array.from({ length: RECORDS }, (_, i) => homeRecord({}, i + 1))
      .filter((_, i) => i + 1 !== UNCARRIABLE)
      .map((r) => r.aeoIdNormalized)
      .sort();

  it('cuts chunks by the MRA count, numbers them, leaves out what the format cannot carry, and makes them due only at the release', async () => {
    const result = await service({ chunksPerTransaction: 2 }).snapshot(cn, 'production', 5, 'operator');
    expect(result.notSent).toEqual([expect.objectContaining({ partner: 'cn', reasonCode: 'CANNOT_ENCODE', detail: expect.stringContaining(homeRecord({}, UNCARRIABLE).aeoIdNormalized) })]);
    expect(result.records.map((r) => r.aeoIdNormalized).sort()).toEqual(carriableIds());
    expect(result.records[0]).toEqual({ programme: HOME_PROGRAMME, aeoId: expect.any(String), aeoIdNormalized: expect.any(String), status: 'ACTIVE', recordVersion: 1 });
    composed.sort((a, b) => a.chunkIndex - b.chunkIndex);
    expect(composed.map((c) => c.ids.length)).toEqual([5, 5, 5, 5, 2]);
    expect(composed.map((c) => [c.chunkIndex, c.chunkCount])).toEqual([1, 2, 3, 4, 5].map((i) => [i, 5]));
    // Every carriable record once, in register order.
    expect(composed.flatMap((c) => c.ids)).toEqual(result.records.map((r) => r.aeoIdNormalized));
    expect(result.queued.map((q) => q.messageId)).toEqual(composed.map((c) => c.messageId));
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'SNAPSHOT_QUEUED')).toHaveLength(1);
    expect(types.at(-1)).toBe('SNAPSHOT_QUEUED');
    expect(events.at(-1)!.details).toMatchObject({ snapshotId: result.snapshotId, chunkCount: 5, records: RECORDS - 1 });
    const due = await runtime.outbox.claimDue(dataSource, 1_000, 60_000);
    expect(due.map((r) => r.messageId).sort()).toEqual(result.queued.map((q) => q.messageId).sort());
    await runtime.outbox.recordPublishOutcomes(dataSource, due.map((row) => ({ row, ok: true })));
  });

  it('cuts chunks by bytes too, so none exceeds the partner profile\'s maxBytes', async () => {
    const envelope = runtime.composer.envelope(cn, 'AEO_SNAPSHOT', 'production');
    const size = (records: AeoRecord[]) =>
      cn.encode({ envelope, body: { snapshotId: envelope.messageId, programme: HOME_PROGRAMME, asOf: envelope.createdAt, chunkIndex: 1, chunkCount: 1, records } }, { checks: 'trusted' }).bytes.byteLength;
    const one = size([homeRecord({}, 1)]) - size([]);
    // Room for three records and a half: the count (10) would allow more.
    const maxBytes = size([]) + Math.floor(3.5 * one) + 16;
    const result = await service({ chunksPerTransaction: 4 }).snapshot(withMaxBytes(cn, maxBytes), 'production', 10, 'operator');
    composed.sort((a, b) => a.chunkIndex - b.chunkIndex);
    expect(composed.length).toBeGreaterThanOrEqual(Math.ceil((RECORDS - 1) / 3));
    expect(composed.every((c) => c.payloadBytes <= maxBytes)).toBe(true);
    expect(composed.every((c) => c.ids.length <= 3)).toBe(true);
    expect(composed.flatMap((c) => c.ids)).toEqual(result.records.map((r) => r.aeoIdNormalized));
    const due = await runtime.outbox.claimDue(dataSource, 1_000, 60_000);
    await runtime.outbox.recordPublishOutcomes(dataSource, due.map((row) => ({ row, ok: true })));
  });

  it('dies half-way leaving nothing due and no SNAPSHOT_QUEUED; the next snapshot discards the held chunks and audits it', async () => {
    failAtChunk = 4;
    await expect(service({ chunksPerTransaction: 1 }).snapshot(cn, 'production', 5, 'operator')).rejects.toThrow('crash while sealing');
    const held = await dataSource.getRepository(OutboundMessageEntity).findBy({ messageType: 'AEO_SNAPSHOT', nextAttemptAt: HELD_UNTIL_RELEASED });
    expect(held.map((r) => r.messageId).sort()).toEqual(composed.slice(0, 3).map((c) => c.messageId).sort());
    expect(await runtime.outbox.claimDue(dataSource, 1_000, 60_000)).toEqual([]);
    expect(events.map((e) => e.type)).not.toContain('SNAPSHOT_QUEUED');

    // Another snapshot soon after leaves them alone: the first might still be running.
    failAtChunk = undefined;
    now += 60_000;
    composed = [];
    const second = await service({ chunksPerTransaction: 3 }).snapshot(cn, 'production', 5, 'operator');
    expect(events.map((e) => e.type)).not.toContain('SNAPSHOT_ABANDONED');
    expect(await dataSource.getRepository(OutboundMessageEntity).countBy({ nextAttemptAt: HELD_UNTIL_RELEASED })).toBe(3);
    const due = await runtime.outbox.claimDue(dataSource, 1_000, 60_000);
    expect(due.map((r) => r.messageId).sort()).toEqual(second.queued.map((q) => q.messageId).sort());
    await runtime.outbox.recordPublishOutcomes(dataSource, due.map((row) => ({ row, ok: true })));

    // An hour later they count as abandoned: removed, and the removal audited.
    now += 60 * 60_000;
    events = [];
    const third = await service({ chunksPerTransaction: 3 }).snapshot(cn, 'production', 5, 'operator');
    const abandoned = events.find((e) => e.type === 'SNAPSHOT_ABANDONED');
    expect((abandoned?.details as { messageIds: string[] }).messageIds.sort()).toEqual(held.map((r) => r.messageId).sort());
    expect(await dataSource.getRepository(OutboundMessageEntity).countBy({ nextAttemptAt: HELD_UNTIL_RELEASED })).toBe(0);
    const dueNow = await runtime.outbox.claimDue(dataSource, 1_000, 60_000);
    expect(dueNow.map((r) => r.messageId).sort()).toEqual(third.queued.map((q) => q.messageId).sort());
    await runtime.outbox.recordPublishOutcomes(dataSource, dueNow.map((row) => ({ row, ok: true })));
  });

  it('leaves out, and reports, a record that stopped being shared while the snapshot was being queued', async () => {
    const late = homeRecord({}, 20);
    // The MRA shares a holder until it withdraws consent (which makes version 2 here).
    const shares = (record: AeoRecord) => record.consent.granted;
    duringChunkOne = async () => {
      await runtime.homeRegister.change([homeChangeOf(homeRecord({ consent: { granted: false, recordedOn: '2026-12-01' } }, 20))], 'operator');
    };
    const result = await service({ chunksPerTransaction: 1, shares }).snapshot(cn, 'production', 5, 'operator');
    const sentIds = composed.flatMap((c) => c.ids);
    expect(sentIds).not.toContain(late.aeoIdNormalized);
    expect(sentIds.sort()).toEqual(carriableIds().filter((id) => id !== late.aeoIdNormalized));
    expect(result.records.map((r) => r.aeoIdNormalized)).not.toContain(late.aeoIdNormalized);
    expect(result.notSent).toContainEqual(expect.objectContaining({ partner: 'cn', reasonCode: 'BUSINESS_RULE_VIOLATION', detail: expect.stringContaining(late.aeoIdNormalized) }));
    const queuedEvent = events.find((e) => e.type === 'SNAPSHOT_QUEUED')!;
    expect((queuedEvent.details as { notSent: { detail: string }[] }).notSent.some((n) => n.detail.includes(late.aeoIdNormalized))).toBe(true);
    // Leave nothing due for the tests after this one.
    const due = await runtime.outbox.claimDue(dataSource, 1_000, 60_000);
    await runtime.outbox.recordPublishOutcomes(dataSource, due.map((row) => ({ row, ok: true })));
  });

  it('sends one empty chunk when the partner shares none of our records', async () => {
    const none = new HomeRegisterService(dataSource, runtime.composer, runtime.outbox, auditSinkFor(runtime.audit), clock, { recipients: () => [cn], shares: () => false });
    const result = await none.snapshot(cn, 'production', 5, 'operator');
    expect(result.records).toEqual([]);
    expect(composed.map((c) => [c.chunkIndex, c.chunkCount, c.ids.length])).toEqual([[1, 1, 0]]);
    const due = await runtime.outbox.claimDue(dataSource, 1_000, 60_000);
    expect(due.map((r) => r.messageId)).toEqual(result.queued.map((q) => q.messageId));
  });
});
