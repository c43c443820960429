/**
 * The inbound batch transaction, on both databases, with a stand-in opener (the token is the
 * partner's plain bytes) and sealer (a receipt's token names its message id): the batch is
 * applied as a set with the outcome of applying its messages one after another; duplicates,
 * replays and refusals keep their meaning; any failure leaves nothing behind.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { AuditLog, auditSinkFor } from '@aeo/audit';
import { GatewayError, type AeoRecord, type CanonicalMessage } from '@aeo/domain';
import { InboundProcessor, OutboundComposer, OutboxStore, type MessageOpener, type MessageSealer } from '@aeo/exchange';
import type { Delivery } from '@aeo/messaging';
import { adapterFor } from '@aeo/partners';
import { foreignRegister } from '@aeo/registry';
import { openGatewayDatabase } from '@aeo/schema';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { fictionalRecord } from '../../apps/partner-sim/src/fictional-register.js';
import { DATABASES, type TestDatabase } from '../support/databases.js';

jest.setTimeout(120_000);

const PARTNER = 'tr';
const adapter = adapterFor(PARTNER);
const PROGRAMME = adapter.profile.recordProgrammes[0];

/** Version `version` of fictional AEO `serial`; the status moves with the version so states differ. */
function update(serial: number, version: number): AeoRecord {
  return {
    ...fictionalRecord(PROGRAMME, serial),
    status: version % 2 === 0 ? 'SUSPENDED' : 'ACTIVE',
    recordVersion: version,
    lastChangedAt: `2024-06-01T10:${String(version).padStart(2, '0')}:00Z`,
  };
}

function delta(records: AeoRecord[], messageId: string = randomUUID()): CanonicalMessage {
  return {
    envelope: {
      messageId,
      sender: adapter.profile.programme,
      recipient: 'KZ-SRC',
      createdAt: '2024-06-01T10:00:00Z',
      messageType: 'AEO_STATUS_DELTA',
      schemaVersion: '1.0',
      environment: 'production',
    },
    body: { programme: PROGRAMME, records },
  };
}

/** Our opener stand-in: these "tokens" are the partner bytes themselves, a verified test key signed them. */
const opener: MessageOpener = {
  async open({ token }) {
    const text = Buffer.from(token).toString('utf8');
    if (text === 'not a token') throw new GatewayError('JWS_MALFORMED', 'not a compact JWS');
    const message = await adapter.decode(token);
    return { payload: token, keyId: 'test-key', algorithm: 'ES256', messageId: message.envelope.messageId, messageType: message.envelope.messageType, encrypted: true };
  },
};

class TestSealer implements MessageSealer {
  failOnReceiptNumber: number | undefined;
  sealed = 0;
  async seal({ envelope }: Parameters<MessageSealer['seal']>[0]): Promise<string> {
    this.sealed += 1;
    if (this.sealed === this.failOnReceiptNumber) throw new Error('the key store is unavailable');
    await new Promise((resolve) => setImmediate(resolve));
    return `sealed.${envelope.messageId}`;
  }
}

function snapshotChunk(snapshotId: string, chunkIndex: number, chunkCount: number, records: AeoRecord[]): CanonicalMessage {
  const { envelope } = delta([]);
  return {
    envelope: { ...envelope, messageType: 'AEO_SNAPSHOT' },
    body: { snapshotId, programme: PROGRAMME, asOf: '2024-07-01T00:00:00Z', chunkIndex, chunkCount, records },
  };
}

function detailsOf(entry: { details: string }): Record<string, unknown> {
  return JSON.parse(entry.details) as Record<string, unknown>;
}

function deliveryOf(message: CanonicalMessage): Delivery {
  return { body: Buffer.from(adapter.encode(message).bytes), routingKey: `${PARTNER}.delta`, messageId: message.envelope.messageId, headers: {}, attempts: 0, redelivered: false };
}

describe.each(DATABASES)('InboundProcessor batches on %s', (_name, create) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let processor: InboundProcessor;
  let sealer: TestSealer;
  /** When set, opening fails as it does when a crypto worker dies mid-batch. */
  let openingFails = false;

  beforeAll(async () => {
    db = await create();
    dataSource = await openGatewayDatabase(db.url);
    sealer = new TestSealer();
    const clock = { now: () => Date.now() };
    const audit = auditSinkFor(new AuditLog(dataSource));
    processor = new InboundProcessor({
      dataSource,
      adapters: new Map([[PARTNER, adapter]]),
      opener: {
        open: (input) => (openingFails ? Promise.reject(new GatewayError('TRANSIENT_FAILURE', 'a crypto worker stopped: exit code 1')) : opener.open(input)),
      },
      composer: new OutboundComposer(sealer, clock, 'KZ-SRC', (partner, type) => `${partner}.${type}`),
      outbox: new OutboxStore(audit, clock),
      audit,
      clock,
      home: 'KZ-SRC',
      missingRecordRule: () => 'mark-expired',
    });
  });

  beforeEach(() => {
    sealer.failOnReceiptNumber = undefined;
    openingFails = false;
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  /** Receipt message id by the message id it answers. */
  async function receiptsFor(messageIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await dataSource.query<{ message_id: string; correlation_id: string }[]>(`SELECT message_id, correlation_id FROM outbound_message WHERE message_type = 'RECEIPT'`);
    return new Map(rows.filter((r) => messageIds.includes(r.correlation_id)).map((r) => [r.correlation_id, r.message_id]));
  }

  async function stored(serial: number): Promise<AeoRecord | undefined> {
    const record = update(serial, 1);
    return (await foreignRegister.find(dataSource.manager, 'production', record.programme, record.aeoIdNormalized))?.record;
  }

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const [row] = await dataSource.query<{ n: string | number }[]>(sql, params);
    return Number(row.n);
  }

  it('applies a batch as if message by message: per-record outcomes, latest state, history, one receipt each', async () => {
    // AEO 101 gets versions 2, 5, 3 (3 arrives after 5: ignored); AEO 102 gets 1 then 1 again (ignored).
    const messages = [delta([update(101, 2), update(102, 1)]), delta([update(101, 5)]), delta([update(101, 3), update(102, 1)])];
    const decisions = await processor.handle(PARTNER, messages.map(deliveryOf));
    expect(decisions).toEqual([{ action: 'ack' }, { action: 'ack' }, { action: 'ack' }]);

    expect((await stored(101))?.recordVersion).toBe(5);
    expect((await stored(101))?.status).toBe('ACTIVE');
    expect((await stored(102))?.recordVersion).toBe(1);
    const ids = messages.map((m) => m.envelope.messageId);
    const history = await dataSource.query<{ record_version: string | number; source_message_id: string; aeo_id_normalized: string }[]>(
      `SELECT record_version, source_message_id, aeo_id_normalized FROM foreign_aeo_history ORDER BY id`,
    );
    expect(history.map((h) => [Number(h.record_version), ids.indexOf(h.source_message_id)])).toEqual([[2, 0], [1, 0], [5, 1]]);

    // The receipts carry what each message did, as the audit entries do.
    const accepted = await dataSource.query<{ message_id: string; details: string }[]>(`SELECT message_id, details FROM audit_entry WHERE type = 'MESSAGE_ACCEPTED' ORDER BY seq`);
    expect(accepted.map((a) => [ids.indexOf(a.message_id), detailsOf(a).applied, detailsOf(a).ignoredOlder])).toEqual([[0, 2, 0], [1, 1, 0], [2, 0, 2]]);
    const inbox = await dataSource.query<{ message_id: string; receipt_message_id: string }[]>(`SELECT message_id, receipt_message_id FROM inbound_message`);
    expect(inbox).toHaveLength(3);
    const receipts = await receiptsFor(ids);
    expect(receipts.size).toBe(3);
    for (const row of inbox) expect(receipts.get(row.message_id)).toBe(row.receipt_message_id);
    const bodies = await dataSource.query<{ body: string; correlation_id: string }[]>(`SELECT body, correlation_id FROM outbound_message WHERE message_type = 'RECEIPT'`);
    expect(bodies.every((b) => b.body.startsWith('sealed.'))).toBe(true);
  });

  it('answers a duplicate with the original receipt, refuses a replay, and dead-letters what fails verification', async () => {
    const original = delta([update(103, 4)]);
    await processor.handle(PARTNER, [deliveryOf(original)]);
    const receiptsBefore = await count(`SELECT COUNT(*) AS n FROM outbound_message`);

    const replay = delta([update(103, 9)], original.envelope.messageId);
    const fresh = delta([update(104, 1)]);
    sealer.sealed = 0;
    const decisions = await processor.handle(PARTNER, [
      deliveryOf(original),
      deliveryOf(replay),
      { ...deliveryOf(fresh), body: Buffer.from('not a token') },
      deliveryOf(fresh),
      deliveryOf(fresh),
    ]);
    expect(decisions).toEqual([
      { action: 'ack' },
      { action: 'dead-letter', reason: 'REPLAYED_MESSAGE', detail: 'message id reused with different content' },
      { action: 'dead-letter', reason: 'JWS_MALFORMED', detail: 'not a compact JWS' },
      { action: 'ack' },
      { action: 'ack' },
    ]);
    // The replay changed nothing; the fresh message was applied once.
    expect((await stored(103))?.recordVersion).toBe(4);
    expect((await stored(104))?.recordVersion).toBe(1);
    // Two negative receipts and one positive: the duplicates of the batch get none, not even sealed.
    expect(await count(`SELECT COUNT(*) AS n FROM outbound_message`)).toBe(receiptsBefore + 3);
    expect(sealer.sealed).toBe(3);
    const duplicates = await dataSource.query<{ message_id: string; details: string }[]>(`SELECT message_id, details FROM audit_entry WHERE type = 'MESSAGE_DUPLICATE' ORDER BY seq`);
    const inbox = await dataSource.query<{ message_id: string; receipt_message_id: string }[]>(`SELECT message_id, receipt_message_id FROM inbound_message`);
    const receiptOf = (id: string) => inbox.find((r) => r.message_id === id)?.receipt_message_id;
    expect(duplicates.map((d) => [d.message_id, detailsOf(d).originalReceipt])).toEqual([
      [original.envelope.messageId, receiptOf(original.envelope.messageId)],
      [fresh.envelope.messageId, receiptOf(fresh.envelope.messageId)],
    ]);
    const rejected = await dataSource.query<{ outcome: string }[]>(`SELECT outcome FROM audit_entry WHERE type = 'MESSAGE_REJECTED' ORDER BY seq`);
    expect(rejected.map((r) => r.outcome)).toEqual(['REPLAYED_MESSAGE', 'JWS_MALFORMED']);
  });

  it('stores nothing from a batch whose receipt cannot be sealed, and all of it on the retry', async () => {
    const before = {
      inbox: await count(`SELECT COUNT(*) AS n FROM inbound_message`),
      outbox: await count(`SELECT COUNT(*) AS n FROM outbound_message`),
      history: await count(`SELECT COUNT(*) AS n FROM foreign_aeo_history`),
      audit: await count(`SELECT COUNT(*) AS n FROM audit_entry`),
    };
    const batch = [delta([update(105, 1)]), delta([update(106, 1)]), delta([update(105, 2)])].map(deliveryOf);
    sealer.sealed = 0;
    sealer.failOnReceiptNumber = 2;
    await expect(processor.handle(PARTNER, batch)).rejects.toThrow('the key store is unavailable');
    expect(await stored(105)).toBeUndefined();
    expect(await stored(106)).toBeUndefined();
    expect({
      inbox: await count(`SELECT COUNT(*) AS n FROM inbound_message`),
      outbox: await count(`SELECT COUNT(*) AS n FROM outbound_message`),
      history: await count(`SELECT COUNT(*) AS n FROM foreign_aeo_history`),
      audit: await count(`SELECT COUNT(*) AS n FROM audit_entry`),
    }).toEqual(before);

    sealer.failOnReceiptNumber = undefined;
    expect(await processor.handle(PARTNER, batch)).toEqual([{ action: 'ack' }, { action: 'ack' }, { action: 'ack' }]);
    expect((await stored(105))?.recordVersion).toBe(2);
    expect(await count(`SELECT COUNT(*) AS n FROM inbound_message`)).toBe(before.inbox + 3);
  });

  it('retries, never rejects, a batch whose messages could not be opened for a reason of ours (TRANSIENT_FAILURE)', async () => {
    const before = { inbox: await count(`SELECT COUNT(*) AS n FROM inbound_message`), outbox: await count(`SELECT COUNT(*) AS n FROM outbound_message`) };
    const batch = [delta([update(107, 1)]), delta([update(108, 1)])].map(deliveryOf);
    openingFails = true;
    await expect(processor.handle(PARTNER, batch)).rejects.toMatchObject({ code: 'TRANSIENT_FAILURE' });
    // No negative receipt, no dead letter, nothing stored: the consumer puts the batch round the backoff.
    expect({ inbox: await count(`SELECT COUNT(*) AS n FROM inbound_message`), outbox: await count(`SELECT COUNT(*) AS n FROM outbound_message`) }).toEqual(before);
    openingFails = false;
    expect(await processor.handle(PARTNER, batch)).toEqual([{ action: 'ack' }, { action: 'ack' }]);
    expect((await stored(107))?.recordVersion).toBe(1);
  });

  it('reconciles a snapshot once its last chunk is in, before the deltas that follow it in the batch', async () => {
    // Held before the snapshot: 300 (listed again) and 301 (not listed: expired by the MRA's rule).
    await processor.handle(PARTNER, [deliveryOf(delta([update(300, 1), update(301, 1)]))]);
    const snapshotId = randomUUID();
    const decisions = await processor.handle(PARTNER, [
      deliveryOf(snapshotChunk(snapshotId, 1, 2, [update(300, 2)])),
      deliveryOf(snapshotChunk(snapshotId, 2, 2, [update(302, 1)])),
      // Not in the snapshot, but after it: not missing from it.
      deliveryOf(delta([update(303, 1)])),
    ]);
    expect(decisions.every((d) => d.action === 'ack')).toBe(true);
    expect((await stored(300))?.recordVersion).toBe(2);
    expect((await stored(301))?.status).toBe('EXPIRED');
    expect((await stored(302))?.status).toBe('ACTIVE');
    expect((await stored(303))?.status).toBe('ACTIVE');
    const [reconciled] = await dataSource.query<{ outcome: string; details: string }[]>(`SELECT outcome, details FROM audit_entry WHERE type = 'SNAPSHOT_RECONCILED'`);
    expect(reconciled.outcome).toBe('MISSING_RECORDS');
    const missing = (JSON.parse(reconciled.details) as { missing: string[] }).missing;
    // Every AEO the earlier tests stored is missing from this snapshot too; 303 is not among them.
    expect(missing).toContain(update(301, 1).aeoIdNormalized);
    expect(missing).not.toContain(update(303, 1).aeoIdNormalized);
    expect(missing).not.toContain(update(300, 1).aeoIdNormalized);
    expect(await count(`SELECT COUNT(*) AS n FROM foreign_aeo_history WHERE change = 'MISSING_FROM_SNAPSHOT'`)).toBe(missing.length);
  });

  it('ends in the latest state whatever the order of the updates and the batch split', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 4; round++) {
      const serials = [200 + round * 10, 201 + round * 10, 202 + round * 10];
      const updates = serials.flatMap((serial) => [1, 2, 3, 4, 5].map((version) => update(serial, version)));
      for (let i = updates.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [updates[i], updates[j]] = [updates[j], updates[i]];
      }
      // Messages of one to three records, batches of one to six messages.
      const messages: CanonicalMessage[] = [];
      for (let i = 0; i < updates.length; ) {
        const size = 1 + Math.floor(random() * 3);
        messages.push(delta(updates.slice(i, i + size)));
        i += size;
      }
      for (let i = 0; i < messages.length; ) {
        const size = 1 + Math.floor(random() * 6);
        await processor.handle(PARTNER, messages.slice(i, i + size).map(deliveryOf));
        i += size;
      }
      for (const serial of serials) expect(await stored(serial)).toEqual(update(serial, 5));
    }
  });
});
