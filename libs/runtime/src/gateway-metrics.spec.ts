import { describe, expect, it } from '@jest/globals';
import type { Delivery } from '@aeo/messaging';
import { GatewayMetrics } from './gateway-metrics.js';

function delivery(type: string | undefined, receivedAt: number | undefined): Delivery {
  return { body: Buffer.from('x'), routingKey: 'tr.x', headers: {}, attempts: 0, redelivered: false, ...(type ? { type } : {}), ...(receivedAt === undefined ? {} : { receivedAt }) };
}

describe('GatewayMetrics', () => {
  it('observes consume-to-ack latency for acknowledged deliveries only, labelled by known message type', async () => {
    const metrics = new GatewayMetrics();
    metrics.inboundSettled(
      'tr',
      [delivery('AEO_STATUS_DELTA', 1_000), delivery('AEO_STATUS_DELTA', 1_000), delivery('made-up-type-123', 1_900), delivery('RECEIPT', undefined)],
      [{ action: 'ack' }, { action: 'dead-letter', reason: 'SIGNATURE_INVALID' }, { action: 'ack' }, { action: 'ack' }],
      2_000,
    );
    const text = await metrics.registry.render();
    expect(text).toContain('mra_inbound_latency_ms_count{partner="tr",type="AEO_STATUS_DELTA"} 1');
    expect(text).toContain('mra_inbound_latency_ms_sum{partner="tr",type="AEO_STATUS_DELTA"} 1000');
    // A sender-chosen AMQP type never becomes a label value.
    expect(text).toContain('mra_inbound_latency_ms_count{partner="tr",type="UNKNOWN"} 1');
    expect(text).not.toContain('made-up-type-123');
    expect(text).not.toContain('type="RECEIPT"');
  });

  it('observes register-change-to-confirmed-publish latency for published messages only', async () => {
    const metrics = new GatewayMetrics();
    const observer = metrics.observer();
    observer.messageOut?.('cn', 'AEO_STATUS_DELTA', 'SENT', { messageId: 'm1', correlationId: null, sinceQueuedMs: 40 });
    observer.messageOut?.('cn', 'AEO_STATUS_DELTA', 'PUBLISH_FAILED', { messageId: 'm2', correlationId: null, sinceQueuedMs: 90 });
    const text = await metrics.registry.render();
    expect(text).toContain('mra_outbound_latency_ms_count{partner="cn",type="AEO_STATUS_DELTA"} 1');
    expect(text).toContain('mra_outbound_latency_ms_sum{partner="cn",type="AEO_STATUS_DELTA"} 40');
    expect(text).toContain('mra_messages_out_total{outcome="PUBLISH_FAILED",partner="cn",type="AEO_STATUS_DELTA"} 1');
  });
});
