/**
 * HomeRegisterService.change composes the partners' deltas before its transaction, from the
 * versions it read first. These tests pin what that design promises, on both databases: one
 * audit append per change, deltas that carry exactly the stored version, and what happens
 * when another change moves a record on between the read and the write.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { GatewayError, type AeoRecord, type CanonicalMessage } from '@aeo/domain';
import { OutboundMessageEntity, type HomeRecordChange } from '@aeo/exchange';
import { DEFAULT_TOPOLOGY } from '@aeo/messaging';
import { homeRegister, loadMraConfigs } from '@aeo/registry';
import { ExchangeRuntime } from '@aeo/runtime';
import { openGatewayDatabase } from '@aeo/schema';
import { loadPartnerKeyRegistry, systemClock } from '@aeo/trust';
import type { DataSource } from 'typeorm';
import { homeChangeOf, homeRecord } from '../support/builders.js';
import { DATABASES, type TestDatabase } from '../support/databases.js';
import { testHomeKeyRing } from '../support/test-keys.js';

jest.setTimeout(120_000);


describe.each(DATABASES)('home register changes on %s', (_kind, createDatabase) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let runtime: ExchangeRuntime;
  /** Every composed delta, by message id, as the partner will decode it. */
  const composed = new Map<string, CanonicalMessage>();
  /** Called before each compose; a test sets it to interleave another change. */
  let beforeCompose: () => Promise<void> = async () => undefined;
  /** Types of the events of each audit append call. */
  let appends: { types: string[]; actors: string[] }[] = [];

  beforeAll(async () => {
    db = await createDatabase();
    dataSource = await openGatewayDatabase(db.url);
    const mra = loadMraConfigs();
    const keyRing = await testHomeKeyRing();
    const partnerKeys = await loadPartnerKeyRegistry({ partners: [...mra.keys()] });
    runtime = new ExchangeRuntime({ dataSource, amqpUrl: 'amqp://unused', topology: { ...DEFAULT_TOPOLOGY, prefix: 'outbound-change' }, mra, keyRing, partnerKeys, clock: systemClock });
    const compose = runtime.composer.compose.bind(runtime.composer);
    runtime.composer.compose = async (...args: Parameters<typeof compose>) => {
      await beforeCompose();
      const result = await compose(...args);
      composed.set(result.outbound.messageId, result.canonical);
      return result;
    };
    const append = runtime.audit.append.bind(runtime.audit);
    runtime.audit.append = async (...args: Parameters<typeof append>) => {
      appends.push({ types: args[0].map((e) => e.type), actors: args[0].map((e) => String(e.actor)) });
      return append(...args);
    };
  });

  beforeEach(() => {
    beforeCompose = async () => undefined;
    appends = [];
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  async function deltasFor(aeoId: string): Promise<{ partner: string; recordVersion: number; status: string; messageId: string }[]> {
    const rows = await dataSource.getRepository(OutboundMessageEntity).findBy({ messageType: 'AEO_STATUS_DELTA' });
    return rows
      .filter((row) => row.aeoIds === aeoId)
      .map((row) => {
        const message = composed.get(row.messageId);
        if (!message) throw new Error(`no composed message for outbox row ${row.messageId}`);
        const [record] = (message.body as unknown as { records: AeoRecord[] }).records;
        return { partner: row.partner, recordVersion: record.recordVersion, status: record.status, messageId: row.messageId };
      });
  }

  it('stores the change and queues one delta per sharing partner, with the stored version, in one audit append', async () => {
    const record = homeRecord({}, 101);
    const result = await runtime.homeRegister.change([homeChangeOf(record)], 'operator');
    expect(result.queued.length).toBeGreaterThan(1);
    expect(appends).toEqual([
      { types: ['REGISTER_CHANGE', ...result.queued.map(() => 'MESSAGE_QUEUED')], actors: [...result.queued.map(() => 'operator'), 'operator'] },
    ]);
    const stored = await homeRegister.find(dataSource.manager, 'production', 'KZ-SRC', record.aeoIdNormalized);
    expect(stored?.record.recordVersion).toBe(1);
    const deltas = await deltasFor(record.aeoIdNormalized);
    expect(deltas.map((d) => d.messageId).sort()).toEqual(result.queued.map((q) => q.messageId).sort());
    expect(deltas.every((d) => d.recordVersion === 1 && d.status === 'ACTIVE')).toBe(true);
  });

  it('prepares a change again when another change stored a newer version meanwhile: no delta carries a version it did not store', async () => {
    const record = homeRecord({}, 102);
    await runtime.homeRegister.change([homeChangeOf(record)], 'operator');
    let rivalDone = false;
    beforeCompose = async () => {
      if (rivalDone) return;
      rivalDone = true;
      // Runs after our change read version 1 and before it writes: the rival stores version 2.
      await runtime.homeRegister.change([homeChangeOf({ ...record, status: 'SUSPENDED', statusReason: 'rival' })], 'rival');
    };
    const ours = await runtime.homeRegister.change([homeChangeOf({ ...record, status: 'REVOKED', statusReason: 'ours' })], 'operator');
    expect(ours.records[0].recordVersion).toBe(3);
    const stored = await homeRegister.find(dataSource.manager, 'production', 'KZ-SRC', record.aeoIdNormalized);
    expect(stored?.record).toMatchObject({ recordVersion: 3, status: 'REVOKED' });
    const deltas = await deltasFor(record.aeoIdNormalized);
    const partners = ours.queued.map((q) => q.partner).sort();
    // Per partner exactly one delta of each stored version, each with the status stored at that version.
    for (const [version, status] of [[1, 'ACTIVE'], [2, 'SUSPENDED'], [3, 'REVOKED']] as const) {
      expect(deltas.filter((d) => d.recordVersion === version).map((d) => d.partner).sort()).toEqual(partners);
      expect(deltas.filter((d) => d.recordVersion === version).every((d) => d.status === status)).toBe(true);
    }
    // The first attempt's deltas (version 2, REVOKED) were composed but never queued.
    expect(deltas.some((d) => d.status === 'REVOKED' && d.recordVersion !== 3)).toBe(false);
  });

  it('gives up with TRANSIENT_FAILURE when the record moves on before every attempt, and writes nothing of its own', async () => {
    const record = homeRecord({}, 103);
    await runtime.homeRegister.change([homeChangeOf(record)], 'operator');
    let inRival = false;
    let rivals = 0;
    beforeCompose = async () => {
      if (inRival) return;
      inRival = true;
      rivals++;
      await runtime.homeRegister.change([homeChangeOf({ ...record, status: 'SUSPENDED', statusReason: `rival ${rivals}` })], 'rival');
      inRival = false;
    };
    appends = [];
    const error = await runtime.homeRegister.change([homeChangeOf({ ...record, status: 'REVOKED' })], 'loser').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('TRANSIENT_FAILURE');
    expect(rivals).toBe(3);
    expect(appends.flatMap((a) => a.actors)).not.toContain('loser');
    const stored = await homeRegister.find(dataSource.manager, 'production', 'KZ-SRC', record.aeoIdNormalized);
    expect(stored?.record).toMatchObject({ recordVersion: 4, status: 'SUSPENDED', statusReason: 'rival 3' });
    expect((await deltasFor(record.aeoIdNormalized)).some((d) => d.status === 'REVOKED')).toBe(false);
  });

  it('commits concurrent changes, grouped, and serialises concurrent changes of one record: every version stored once, each delta with its own', async () => {
    const shared = homeRecord({}, 110);
    const others = [111, 112, 113].map((serial) => homeRecord({}, serial));
    const statuses = ['ACTIVE', 'SUSPENDED', 'REVOKED'] as const;
    const results = await Promise.all([
      ...others.map((r) => runtime.homeRegister.change([homeChangeOf(r)], 'operator')),
      ...statuses.map((status) => runtime.homeRegister.change([homeChangeOf({ ...shared, status })], 'operator')),
    ]);
    expect(results.every((r) => r.queued.length > 0)).toBe(true);
    const versions = results.slice(3).map((r) => r.records[0].recordVersion).sort();
    expect(versions).toEqual([1, 2, 3]);
    const stored = await homeRegister.find(dataSource.manager, 'production', 'KZ-SRC', shared.aeoIdNormalized);
    const last = results.slice(3).find((r) => r.records[0].recordVersion === 3)!;
    expect(stored?.record).toMatchObject({ recordVersion: 3, status: last.records[0].status });
    const deltas = await deltasFor(shared.aeoIdNormalized);
    for (const result of results.slice(3)) {
      const { recordVersion, status } = result.records[0];
      const mine = deltas.filter((d) => d.recordVersion === recordVersion);
      expect(mine.map((d) => d.messageId).sort()).toEqual(result.queued.map((q) => q.messageId).sort());
      expect(mine.every((d) => d.status === status)).toBe(true);
    }
    for (const r of others) expect((await deltasFor(r.aeoIdNormalized)).length).toBeGreaterThan(0);
  });

  it('still refuses a record the canonical schema does not allow, before anything is stored', async () => {
    const record = homeRecord({}, 104);
    const bad = { ...homeChangeOf(record), unexpected: 'field' } as unknown as HomeRecordChange;
    const error = await runtime.homeRegister.change([bad], 'operator').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('UNEXPECTED_FIELD');
    expect(await homeRegister.find(dataSource.manager, 'production', 'KZ-SRC', record.aeoIdNormalized)).toBeUndefined();
  });

  it('leaves out, per partner, a record its format cannot carry and still sends it to the others', async () => {
    // No TR-YFKS number for this serial: Türkiye cannot identify it.
    const record = homeRecord({}, 105);
    const result = await runtime.homeRegister.change([homeChangeOf(record)], 'operator');
    expect(result.notSent).toEqual([expect.objectContaining({ partner: 'tr', reasonCode: 'CANNOT_ENCODE' })]);
    expect(result.queued.map((q) => q.partner)).not.toContain('tr');
    expect(result.queued.length).toBeGreaterThan(0);
  });
});
