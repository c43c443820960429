import { MESSAGE_TYPES } from '@aeo/domain';
import type { ExchangeObserver } from '@aeo/exchange';
import type { Delivery, DeliveryDecision } from '@aeo/messaging';
import { MetricsRegistry, type Counter, type Histogram } from '@aeo/observability';

/** The AMQP `type` property is the sender's to set: only known message types become label values, so a partner cannot grow our series without bound. */
const KNOWN_TYPES: ReadonlySet<string> = new Set(MESSAGE_TYPES);

const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000];

/**
 * The gateway's Prometheus metrics (GET /metrics) and the exchange observer that feeds them.
 * Gauges read at scrape time (outbox and dead-letter depth, key expiry) are registered by
 * the HTTP side, which holds the database and key store they read.
 */
export class GatewayMetrics {
  readonly registry = new MetricsRegistry();
  readonly messagesIn: Counter;
  readonly messagesOut: Counter;
  readonly receipts: Counter;
  readonly receiptLatency: Histogram;
  readonly endToEndLatency: Histogram;
  readonly outboundLatency: Histogram;
  readonly inboundLatency: Histogram;
  readonly recognitions: Counter;

  constructor() {
    this.messagesIn = this.registry.counter('mra_messages_in_total', 'Partner messages processed, by partner, type and outcome (ACCEPTED or the reason code).');
    this.messagesOut = this.registry.counter('mra_messages_out_total', 'Our messages published (SENT) or not (PUBLISH_FAILED), by partner and type.');
    this.receipts = this.registry.counter('mra_receipts_total', 'Receipts that settled our messages, by partner and outcome.');
    this.receiptLatency = this.registry.histogram('mra_receipt_latency_ms', 'Time from publishing our message to the partner receipt settling it (ms).', LATENCY_BUCKETS_MS);
    this.endToEndLatency = this.registry.histogram('mra_end_to_end_latency_ms', 'Time from a partner creating a message to our applying it (ms; includes clock skew).', LATENCY_BUCKETS_MS);
    this.outboundLatency = this.registry.histogram(
      'mra_outbound_latency_ms',
      'Time from the commit that queued our message (a register change, a receipt) to its confirmed publish (ms), by partner and type.',
      LATENCY_BUCKETS_MS,
    );
    this.inboundLatency = this.registry.histogram(
      'mra_inbound_latency_ms',
      'Time from consuming a partner message to acknowledging it after its transaction committed (ms), by partner and type.',
      LATENCY_BUCKETS_MS,
    );
    this.recognitions = this.registry.counter('mra_recognition_decisions_total', 'Recognition-on-arrival decisions, by partner and reason code.');
  }

  observer(): ExchangeObserver {
    return {
      messageIn: (partner, messageType, outcome) => this.messagesIn.inc({ partner, type: messageType, outcome }),
      messageOut: (partner, messageType, outcome, detail) => {
        this.messagesOut.inc({ partner, type: messageType, outcome });
        if (outcome === 'SENT' && detail) this.outboundLatency.observe(Math.max(0, detail.sinceQueuedMs), { partner, type: messageType });
      },
      receiptSettled: (partner, outcome, latencyMs) => {
        this.receipts.inc({ partner, outcome });
        this.receiptLatency.observe(latencyMs, { partner });
      },
      endToEnd: (partner, messageType, latencyMs) => this.endToEndLatency.observe(Math.max(0, latencyMs), { partner, type: messageType }),
    };
  }

  /**
   * A batch whose decisions are final: the acknowledged ones are acked right after this (the
   * consumer does nothing else in between), so now − receivedAt is consume-to-ack.
   */
  inboundSettled(partner: string, batch: readonly Delivery[], decisions: readonly DeliveryDecision[], now = Date.now()): void {
    batch.forEach((delivery, i) => {
      if (decisions[i]?.action !== 'ack' || delivery.receivedAt === undefined) return;
      this.inboundLatency.observe(Math.max(0, now - delivery.receivedAt), { partner, type: delivery.type !== undefined && KNOWN_TYPES.has(delivery.type) ? delivery.type : 'UNKNOWN' });
    });
  }
}
