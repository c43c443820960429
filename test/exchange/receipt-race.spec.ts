/**
 * A partner's receipt can arrive while the relay is recording the broker's confirm of the same
 * message: the relay's QUEUED→SENT update holds the row, uncommitted, when the receipt is
 * applied. On PostgreSQL (several connections) the receipt used to read the row as QUEUED,
 * then find it SENT at its guarded UPDATE, and answer the partner's valid receipt with
 * ILLEGAL_STATE_TRANSITION (found by the chaos suite). The receipt must wait for the row and
 * settle it from the state it finds. SQLite runs one transaction at a time and cannot race.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DEFAULT_OUTBOX_POLICY, OutboundMessageEntity, OutboxStore, type AuditSink, type NewOutboundMessage } from '@aeo/exchange';
import { openGatewayDatabase } from '@aeo/schema';
import type { DataSource } from 'typeorm';
import { createPostgresDatabase, type TestDatabase } from '../support/databases.js';
import { eventually } from '../support/eventually.js';

jest.setTimeout(60_000);

describe('a receipt racing the relay on PostgreSQL', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const now = 1_800_000_000_000;
  const sink: AuditSink = { async append() {} };
  const store = new OutboxStore(sink, { now: () => now }, { ...DEFAULT_OUTBOX_POLICY, receiptSlaMs: () => 15 * 60_000 });

  beforeAll(async () => {
    db = await createPostgresDatabase();
    dataSource = await openGatewayDatabase(db.url);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('waits for the confirm being recorded and settles the message ACKNOWLEDGED', async () => {
    const message: NewOutboundMessage = {
      messageId: '00000000-0000-4000-8000-00000000a001',
      environment: 'production',
      partner: 'cn',
      messageType: 'AEO_STATUS_DELTA',
      routingKey: 'to.cn',
      body: 'token-a001',
      expectsReceipt: true,
    };
    await dataSource.transaction((manager) => store.enqueue(manager, [message], 'test'));
    const [claimed] = await store.claimDue(dataSource, 10, 60_000);

    // The relay's confirm, in flight: the row is updated to SENT but not committed yet.
    const relay = dataSource.createQueryRunner();
    await relay.connect();
    await relay.startTransaction();
    await relay.query(`UPDATE outbound_message SET state = 'SENT', sent_at = $1 WHERE message_id = $2`, [now, message.messageId]);

    const receipt = dataSource.transaction((manager) =>
      store.applyReceipt(
        manager,
        'cn',
        { receivedMessageId: message.messageId, receivedSha256: claimed.bodySha256, outcome: 'ACCEPTED', recordResults: [] },
        '11111111-1111-4111-8111-11111111a001',
      ),
    );
    // The receipt's transaction is now waiting for the relay's row lock.
    await eventually(async () => {
      const waiting: Array<{ n: string }> = await relay.query(
        `SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      expect(Number(waiting[0].n)).toBe(1);
    });
    await relay.commitTransaction();
    await relay.release();

    await expect(receipt).resolves.toBe('ACKNOWLEDGED');
    const row = await dataSource.getRepository(OutboundMessageEntity).findOneByOrFail({ messageId: message.messageId });
    expect(row).toMatchObject({ state: 'ACKNOWLEDGED', receiptMessageId: '11111111-1111-4111-8111-11111111a001' });
  });
});
