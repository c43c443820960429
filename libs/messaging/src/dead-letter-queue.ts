import { createHash } from 'node:crypto';
import amqplib from 'amqplib';
import type { GetMessage } from 'amqplib';
import type { TopologyNames } from './topology.js';

export interface DeadLetter {
  readonly messageId: string | null;
  readonly routingKey: string;
  readonly partner: string;
  readonly type: string | null;
  readonly reason: string;
  readonly detail: string;
  readonly attempts: number;
  readonly bytes: number;
  readonly sha256: string;
}

/** AMQP header values arrive as strings, numbers or buffers; anything else is not ours. */
function headerText(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}

function describe(message: GetMessage): DeadLetter {
  const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
  const deaths = headers['x-death'] as { reason?: string }[] | undefined;
  return {
    messageId: message.properties.messageId ? String(message.properties.messageId) : null,
    routingKey: message.fields.routingKey,
    partner: message.fields.routingKey.split('.')[0] ?? '',
    type: message.properties.type ? String(message.properties.type) : null,
    reason: headerText(headers['x-mra-reason']) ?? (deaths?.[0]?.reason ? `BROKER_${deaths[0].reason.toUpperCase()}` : 'UNKNOWN'),
    detail: headerText(headers['x-mra-detail']) ?? '',
    attempts: Number(headers['x-mra-attempts'] ?? 0),
    bytes: message.content.length,
    sha256: createHash('sha256').update(message.content).digest('hex'),
  };
}

/**
 * The dead-letter queue as an operator sees it: list what is parked, and replay one message
 * into its partner's inbound queue (after the cause was fixed, e.g. a partner key imported).
 * Browsing takes messages without acknowledging them and closes the channel, so RabbitMQ
 * puts every one back; a replay republishes with a confirm before it acknowledges the
 * parked copy, so a crash in between duplicates (the inbox deduplicates) but never loses.
 */
export class DeadLetterQueue {
  constructor(
    private readonly url: string,
    private readonly names: TopologyNames,
  ) {}

  async list(limit = 100): Promise<DeadLetter[]> {
    return this.withChannel(async (channel) => {
      const found: DeadLetter[] = [];
      for (let i = 0; i < limit; i++) {
        const message = await channel.get(this.names.deadLetterQueue, { noAck: false });
        if (message === false) break;
        found.push(describe(message));
      }
      return found;
    });
  }

  async depth(): Promise<number> {
    return this.withChannel(async (channel) => (await channel.checkQueue(this.names.deadLetterQueue)).messageCount);
  }

  async replay(messageId: string, scanLimit = 10_000): Promise<DeadLetter | undefined> {
    return this.withChannel(async (channel) => {
      for (let i = 0; i < scanLimit; i++) {
        const message = await channel.get(this.names.deadLetterQueue, { noAck: false });
        if (message === false) return undefined;
        if (String(message.properties.messageId ?? '') !== messageId) continue;
        const headers = { ...(message.properties.headers ?? {}) } as Record<string, unknown>;
        for (const key of Object.keys(headers)) if (key.startsWith('x-death') || key.startsWith('x-first-death') || key.startsWith('x-mra-')) delete headers[key];
        headers['x-mra-replayed'] = 1;
        channel.publish(this.names.inboundExchange, message.fields.routingKey, message.content, {
          persistent: true,
          messageId,
          ...(message.properties.correlationId ? { correlationId: String(message.properties.correlationId) } : {}),
          ...(message.properties.type ? { type: String(message.properties.type) } : {}),
          ...(message.properties.contentType ? { contentType: String(message.properties.contentType) } : {}),
          headers,
        });
        await channel.waitForConfirms();
        channel.ack(message);
        return describe(message);
      }
      return undefined;
    });
  }

  private async withChannel<T>(work: (channel: amqplib.ConfirmChannel) => Promise<T>): Promise<T> {
    const connection = await amqplib.connect(this.url, { noDelay: true });
    try {
      const channel = await connection.createConfirmChannel();
      try {
        return await work(channel);
      } finally {
        // Closing the channel first delivers our acks (closing only the connection drops them,
        // and a replayed message stayed parked) and returns every message we took but did not acknowledge.
        await channel.close();
      }
    } finally {
      await connection.close();
    }
  }
}
