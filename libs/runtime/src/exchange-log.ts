import type { ExchangeObserver } from '@aeo/exchange';
import type { Delivery, DeliveryDecision } from '@aeo/messaging';
import type { Logger } from '@aeo/observability';

/**
 * The exchange's log lines. Each names the message it concerns (message id and the
 * message's correlation id, as `messageCorrelationId` so it is not mistaken for an HTTP
 * request's `correlationId`) and never its body: message bytes are in the audit log, not here.
 */

/** Partner-supplied ids are echoed into our logs: capped, so a hostile sender cannot bloat them. */
function idOf(value: string | null | undefined): string | undefined {
  return value ? value.slice(0, 100) : undefined;
}

/** Several observers behind one: metrics and logs both watch the exchange. */
export function combineObservers(...observers: readonly ExchangeObserver[]): ExchangeObserver {
  return {
    messageIn: (...args) => observers.forEach((o) => o.messageIn?.(...args)),
    messageOut: (...args) => observers.forEach((o) => o.messageOut?.(...args)),
    receiptSettled: (...args) => observers.forEach((o) => o.receiptSettled?.(...args)),
    endToEnd: (...args) => observers.forEach((o) => o.endToEnd?.(...args)),
  };
}

/** One line per publish outcome of our messages: debug when confirmed, warn when the broker refused or was away. */
export function publishLogObserver(log: Logger): ExchangeObserver {
  return {
    messageOut: (partner, messageType, outcome, detail) => {
      // Per-message debug lines are off in production: skip building them on the hot path.
      if (outcome === 'SENT' && !log.isLevelEnabled('debug')) return;
      const fields = { partner, messageType, outcome, messageId: idOf(detail?.messageId), messageCorrelationId: idOf(detail?.correlationId) };
      if (outcome === 'SENT') log.debug(fields, 'outbound message published');
      else log.warn(fields, 'outbound message not published; it stays in the outbox for another attempt');
    },
  };
}

/** One line per delivery of a committed batch: debug when accepted, warn when rejected or sent round the retry queues. */
export function logInboundBatch(log: Logger, partner: string, batch: readonly Delivery[], decisions: readonly DeliveryDecision[]): void {
  const debug = log.isLevelEnabled('debug');
  batch.forEach((delivery, i) => {
    const decision = decisions[i];
    if (!decision || (decision.action === 'ack' && !debug)) return;
    const fields = { partner, messageType: idOf(delivery.type), messageId: idOf(delivery.messageId), messageCorrelationId: idOf(delivery.correlationId), attempts: delivery.attempts };
    if (decision.action === 'ack') log.debug(fields, 'inbound message applied');
    else if (decision.action === 'dead-letter') log.warn({ ...fields, reason: decision.reason }, 'inbound message rejected and dead-lettered');
    else log.warn({ ...fields, reason: decision.reason }, 'inbound message sent round the retry queues');
  });
}

/** A batch whose transaction failed: every message goes round the backoff; the line lists which. */
export function logInboundBatchFailure(log: Logger, partner: string, batch: readonly Delivery[], error: unknown): void {
  log.error(
    { partner, err: error, batchSize: batch.length, messageIds: batch.slice(0, 50).map((d) => idOf(d.messageId) ?? null) },
    'inbound batch failed; it goes round the backoff',
  );
}
