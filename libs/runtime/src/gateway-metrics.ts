import type { ExchangeObserver } from '@aeo/exchange';
import { MetricsRegistry, type Counter, type Histogram } from '@aeo/observability';

const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000];

/** The gateway's Prometheus metrics (GET /metrics) and the exchange observer that feeds them. */
export class GatewayMetrics {
  readonly registry = new MetricsRegistry();
  readonly messagesIn: Counter;
  readonly messagesOut: Counter;
  readonly receipts: Counter;
  readonly receiptLatency: Histogram;
  readonly endToEndLatency: Histogram;
  readonly recognitions: Counter;

  constructor() {
    this.messagesIn = this.registry.counter('mra_messages_in_total', 'Partner messages processed, by partner, type and outcome (ACCEPTED or the reason code).');
    this.messagesOut = this.registry.counter('mra_messages_out_total', 'Our messages published (SENT) or not (PUBLISH_FAILED), by partner and type.');
    this.receipts = this.registry.counter('mra_receipts_total', 'Receipts that settled our messages, by partner and outcome.');
    this.receiptLatency = this.registry.histogram('mra_receipt_latency_ms', 'Time from publishing our message to the partner receipt settling it (ms).', LATENCY_BUCKETS_MS);
    this.endToEndLatency = this.registry.histogram('mra_end_to_end_latency_ms', 'Time from a partner creating a message to our applying it (ms; includes clock skew).', LATENCY_BUCKETS_MS);
    this.recognitions = this.registry.counter('mra_recognition_decisions_total', 'Recognition-on-arrival decisions, by partner and reason code.');
  }

  observer(): ExchangeObserver {
    return {
      messageIn: (partner, messageType, outcome) => this.messagesIn.inc({ partner, type: messageType, outcome }),
      messageOut: (partner, messageType, outcome) => this.messagesOut.inc({ partner, type: messageType, outcome }),
      receiptSettled: (partner, outcome, latencyMs) => {
        this.receipts.inc({ partner, outcome });
        this.receiptLatency.observe(latencyMs, { partner });
      },
      endToEnd: (partner, messageType, latencyMs) => this.endToEndLatency.observe(Math.max(0, latencyMs), { partner, type: messageType }),
    };
  }
}
