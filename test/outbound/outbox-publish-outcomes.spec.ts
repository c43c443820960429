/**
 * OutboxStore.recordPublishOutcomes moves confirmed rows set-based. The transitions must be
 * exactly those of the state machine, a row a receipt settled meanwhile must be left alone,
 * and each moved row audited once, in the same transaction, on both databases.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DEFAULT_OUTBOX_POLICY, OutboundMessageEntity, OutboxStore, type AuditEvent, type AuditSink, type NewOutboundMessage } from '@aeo/exchange';
import { openGatewayDatabase } from '@aeo/schema';
import type { DataSource } from 'typeorm';
import { DATABASES, type TestDatabase } from '../support/databases.js';

jest.setTimeout(120_000);

const SLA_MINUTES: Record<string, number> = { cn: 15, kr: 30 };

describe.each(DATABASES)('publish outcomes on %s', (_kind, createDatabase) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let now = 1_800_000_000_000;
  const appends: AuditEvent[][] = [];
  const sink: AuditSink = {
    async append(_manager, events) {
      appends.push([...events]);
    },
  };
  const store = new OutboxStore(sink, { now: () => now }, { ...DEFAULT_OUTBOX_POLICY, receiptSlaMs: (partner) => SLA_MINUTES[partner] * 60_000 });
  let serial = 0;

  const message = (partner: string, expectsReceipt = true): NewOutboundMessage => {
    serial++;
    return {
      messageId: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
      environment: 'production',
      partner,
      messageType: expectsReceipt ? 'AEO_STATUS_DELTA' : 'RECEIPT',
      routingKey: `to.${partner}`,
      body: `token-${serial}`,
      expectsReceipt,
    };
  };
  const rowOf = (messageId: string) => dataSource.getRepository(OutboundMessageEntity).findOneByOrFail({ messageId });

  beforeAll(async () => {
    db = await createDatabase();
    dataSource = await openGatewayDatabase(db.url);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('marks confirmed rows SENT with their receipt deadline, failed ones RETRYING, skips one a receipt settled, and audits in one append', async () => {
    const messages = [message('cn'), message('cn'), message('kr'), message('kr', false), message('kr'), message('cn')];
    await dataSource.transaction((m) => store.enqueue(m, messages, 'test'));
    const claimed = await store.claimDue(dataSource, 100, 60_000);
    expect(claimed.map((r) => r.messageId).sort()).toEqual(messages.map((m) => m.messageId).sort());
    const [settled, failed] = [messages[5], messages[4]];
    // The partner's receipt overtakes the broker's confirm.
    const settledRow = claimed.find((r) => r.messageId === settled.messageId)!;
    await dataSource.transaction((m) =>
      store.applyReceipt(m, 'cn', { receivedMessageId: settled.messageId, receivedSha256: settledRow.bodySha256, outcome: 'ACCEPTED', recordResults: [] }, '11111111-1111-4111-8111-111111111111'),
    );
    appends.length = 0;
    now += 1_000;
    await store.recordPublishOutcomes(
      dataSource,
      claimed.map((row) => (row.messageId === failed.messageId ? { row, ok: false, error: 'nack' } : { row, ok: true })),
    );

    for (const m of messages.slice(0, 4)) {
      expect(await rowOf(m.messageId)).toMatchObject({
        state: 'SENT',
        attempts: 1,
        sentAt: now,
        leaseUntil: 0,
        updatedAt: now,
        receiptDueAt: m.expectsReceipt ? now + SLA_MINUTES[m.partner] * 60_000 : null,
      });
    }
    expect(await rowOf(settled.messageId)).toMatchObject({ state: 'ACKNOWLEDGED', attempts: 0 });
    const retrying = await rowOf(failed.messageId);
    expect(retrying).toMatchObject({ state: 'RETRYING', attempts: 1, reasonCode: 'PUBLISH_FAILED', leaseUntil: 0 });
    expect(retrying.nextAttemptAt).toBeGreaterThanOrEqual(now + DEFAULT_OUTBOX_POLICY.publishBackoffMs(1));

    expect(appends).toHaveLength(1);
    const events = appends[0].map((e) => [e.messageId, e.outcome, (e.details as { from: string }).from]);
    expect(events.sort()).toEqual(
      [...messages.slice(0, 4).map((m) => [m.messageId, 'SENT', 'QUEUED']), [failed.messageId, 'RETRYING', 'QUEUED']].sort(),
    );
  });

  it('moves a RETRYING row to SENT on its next confirmed attempt, counting attempts on', async () => {
    const [m] = [message('kr')];
    await dataSource.transaction((manager) => store.enqueue(manager, [m], 'test'));
    const [first] = await store.claimDue(dataSource, 100, 60_000);
    await store.recordPublishOutcomes(dataSource, [{ row: first, ok: false, error: 'broker down' }]);
    now += 10 * 60_000;
    const again = (await store.claimDue(dataSource, 100, 60_000)).find((r) => r.messageId === m.messageId)!;
    expect(again.state).toBe('RETRYING');
    appends.length = 0;
    await store.recordPublishOutcomes(dataSource, [{ row: again, ok: true }]);
    expect(await rowOf(m.messageId)).toMatchObject({ state: 'SENT', attempts: 2, reasonCode: 'PUBLISH_FAILED', sentAt: now });
    expect(appends.flat().map((e) => [e.outcome, (e.details as { from: string }).from])).toEqual([['SENT', 'RETRYING']]);
  });

  it('moves a round larger than one IN list (600 rows) in full', async () => {
    const messages = Array.from({ length: 600 }, (_, i) => message(i % 2 ? 'cn' : 'kr'));
    await dataSource.transaction((m) => store.enqueue(m, messages, 'test'));
    now += 1_000;
    const claimed = await store.claimDue(dataSource, 1_000, 60_000);
    expect(claimed).toHaveLength(600);
    appends.length = 0;
    await store.recordPublishOutcomes(dataSource, claimed.map((row) => ({ row, ok: true })));
    expect(await dataSource.getRepository(OutboundMessageEntity).countBy({ state: 'SENT', sentAt: now })).toBe(600);
    expect(appends.flat()).toHaveLength(600);
  });
});
