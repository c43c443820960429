import type { Channel } from 'amqplib';

/**
 * The AMQP topology, declared idempotently at start-up by every gateway instance (and by
 * the partner simulator). All names derive from one prefix so tests and pilot runs can
 * live beside production on one broker. See docs/interop.md for the partner's view.
 *
 *   <p>.outbound   topic exchange; routing key `<partner>.<message_type>`
 *     └─ <p>.outbound.<partner>   the partner reads its messages here (or a shovel forwards them)
 *   <p>.inbound    topic exchange; partners publish with routing key `<partner>.<message_type>`
 *     └─ <p>.inbound.<partner>    the gateway consumes here (manual ack, bounded prefetch)
 *   <p>.retry.<tier>.<variant>     fanout exchange + queue with a TTL; expiry dead-letters the
 *                                  message back to <p>.inbound with its original routing key
 *   <p>.dlx        topic exchange for parked messages
 *     └─ <p>.dead-letter          every message we gave up on, with x-mra-reason and x-mra-attempts
 */
export type QueueType = 'classic' | 'quorum';

export interface TopologyOptions {
  readonly prefix: string;
  readonly partners: readonly string[];
  readonly queueType: QueueType;
  /** Backoff tiers in ms; a message's n-th retry waits in tier n (the last tier repeats). */
  readonly retryTiersMs: readonly number[];
  /** Jitter variants per tier: the tier's TTL times each factor. One is picked at random per retry. */
  readonly jitterFactors: readonly number[];
}

export const DEFAULT_TOPOLOGY: Omit<TopologyOptions, 'partners'> = {
  prefix: 'mra',
  queueType: 'classic',
  retryTiersMs: [1_000, 5_000, 25_000, 120_000, 600_000],
  jitterFactors: [0.8, 1, 1.25],
};

export interface TopologyNames {
  readonly outboundExchange: string;
  readonly inboundExchange: string;
  readonly deadLetterExchange: string;
  readonly deadLetterQueue: string;
  outboundQueue(partner: string): string;
  inboundQueue(partner: string): string;
  retryExchange(tier: number, variant: number): string;
  routingKey(partner: string, messageType: string): string;
}

export function topologyNames(prefix: string): TopologyNames {
  return {
    outboundExchange: `${prefix}.outbound`,
    inboundExchange: `${prefix}.inbound`,
    deadLetterExchange: `${prefix}.dlx`,
    deadLetterQueue: `${prefix}.dead-letter`,
    outboundQueue: (partner) => `${prefix}.outbound.${partner}`,
    inboundQueue: (partner) => `${prefix}.inbound.${partner}`,
    retryExchange: (tier, variant) => `${prefix}.retry.${tier}.${variant}`,
    routingKey: (partner, messageType) => `${partner}.${messageType.toLowerCase()}`,
  };
}

function queueArguments(options: TopologyOptions, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { 'x-queue-type': options.queueType, ...extra };
}

/** Declare everything; safe to run on every start and on every reconnect. */
export async function declareTopology(channel: Channel, options: TopologyOptions): Promise<TopologyNames> {
  const names = topologyNames(options.prefix);
  await channel.assertExchange(names.outboundExchange, 'topic', { durable: true });
  await channel.assertExchange(names.inboundExchange, 'topic', { durable: true });
  await channel.assertExchange(names.deadLetterExchange, 'topic', { durable: true });
  await channel.assertQueue(names.deadLetterQueue, { durable: true, arguments: queueArguments(options) });
  await channel.bindQueue(names.deadLetterQueue, names.deadLetterExchange, '#');

  for (const partner of options.partners) {
    const outbound = names.outboundQueue(partner);
    await channel.assertQueue(outbound, { durable: true, arguments: queueArguments(options) });
    await channel.bindQueue(outbound, names.outboundExchange, `${partner}.#`);
    const inbound = names.inboundQueue(partner);
    // A message rejected without requeue (e.g. after the broker's delivery limit) lands in the DLQ.
    await channel.assertQueue(inbound, {
      durable: true,
      arguments: queueArguments(options, { 'x-dead-letter-exchange': names.deadLetterExchange }),
    });
    await channel.bindQueue(inbound, names.inboundExchange, `${partner}.#`);
  }

  for (const [tier, ttl] of options.retryTiersMs.entries()) {
    for (const [variant, factor] of options.jitterFactors.entries()) {
      const exchange = names.retryExchange(tier, variant);
      await channel.assertExchange(exchange, 'fanout', { durable: true });
      await channel.assertQueue(exchange, {
        durable: true,
        arguments: queueArguments(options, {
          'x-message-ttl': Math.round(ttl * factor),
          // No dead-letter routing key: the message keeps `<partner>.<type>` and finds its inbound queue again.
          'x-dead-letter-exchange': names.inboundExchange,
        }),
      });
      await channel.bindQueue(exchange, exchange, '');
    }
  }
  return names;
}
