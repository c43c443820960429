import { describe, expect, it } from '@jest/globals';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { ConsumeMessage } from 'amqplib';
import { BatchConsumer, type BatchConsumerOptions, type Delivery } from './batch-consumer.js';
import { topologyNames } from './topology.js';

const KIB = 1024;

/**
 * A stand-in for amqp-connection-manager's channel wrapper: records every consumer the batch
 * consumer creates (with the prefetch it asked for), what it acknowledges, and lets the test
 * deliver messages to the consumer that is current.
 */
class FakeChannel {
  readonly _channel = {};
  readonly consumers: { tag: string; prefetch: number; onMessage: (m: ConsumeMessage) => void; cancelled: boolean }[] = [];
  readonly acked: string[] = [];

  async consume(_queue: string, onMessage: (m: ConsumeMessage) => void, options: { prefetch: number }) {
    const tag = `c${this.consumers.length}`;
    this.consumers.push({ tag, prefetch: options.prefetch, onMessage, cancelled: false });
    return { consumerTag: tag };
  }

  /** Like amqp-connection-manager when the channel closes mid-cancel: the consumer is forgotten, then the call fails. */
  failNextCancel = false;

  async cancel(tag: string) {
    const consumer = this.consumers.find((c) => c.tag === tag);
    if (consumer) consumer.cancelled = true;
    if (this.failNextCancel) {
      this.failNextCancel = false;
      throw new Error('channel closed');
    }
  }

  async cancelAll() {
    for (const c of this.consumers) c.cancelled = true;
  }

  ack(message: ConsumeMessage) {
    this.acked.push(String(message.properties.messageId));
  }

  readonly requeued: string[] = [];
  readonly published: { exchange: string; routingKey: string }[] = [];

  nack(message: ConsumeMessage, _allUpTo: boolean, requeue: boolean) {
    if (requeue) this.requeued.push(String(message.properties.messageId));
  }

  async publish(exchange: string, routingKey: string) {
    this.published.push({ exchange, routingKey });
    return true;
  }

  async close() {}

  current() {
    return this.consumers.filter((c) => !c.cancelled).at(-1)!;
  }

  deliver(id: string, bytes: number) {
    this.current().onMessage({
      content: Buffer.alloc(bytes, 0x61),
      fields: { routingKey: 'cn.delta', redelivered: false, deliveryTag: 1, consumerTag: this.current().tag, exchange: 'x' },
      properties: { messageId: id, headers: {} },
    } as unknown as ConsumeMessage);
  }
}

function consumerOn(channel: FakeChannel, options: Partial<BatchConsumerOptions>, handler: (batch: readonly Delivery[]) => Promise<void>) {
  const connection = { createChannel: () => channel } as unknown as AmqpConnectionManager;
  return new BatchConsumer(
    connection,
    async () => undefined,
    { queue: 'q', names: topologyNames('t'), retryTiersMs: [100], jitterFactors: [1], batchSize: 100, batchWaitMs: 5, prefetch: 400, ...options },
    async (batch) => {
      await handler(batch);
      return batch.map(() => ({ action: 'ack' as const }));
    },
  );
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe('BatchConsumer batching by bytes', () => {
  it('keeps a consumer on the queue when the channel closes while the prefetch is being changed', async () => {
    const channel = new FakeChannel();
    const failures: unknown[] = [];
    const consumer = consumerOn(channel, { maxBytesInHand: 1_000 * KIB, largeMessageBytes: 10_000 * KIB, onResizeFailed: (error) => failures.push(error) }, async () => undefined);
    await consumer.start();
    channel.failNextCancel = true;
    channel.deliver('chunk-1', 500 * KIB);
    await until(() => failures.length === 1);
    // The old consumer is gone, the new one (with the new prefetch) is still registered and consuming.
    expect(channel.consumers.filter((c) => !c.cancelled).map((c) => c.prefetch)).toEqual([2]);
    channel.deliver('chunk-2', 500 * KIB);
    await until(() => channel.acked.length === 2);
    await consumer.stop();
    expect(channel.acked).toEqual(['chunk-1', 'chunk-2']);
  });

  it('closes a batch before the message that would pass maxBatchBytes, and hands a large message over alone', async () => {
    const channel = new FakeChannel();
    const batches: string[][] = [];
    const consumer = consumerOn(channel, { maxBatchBytes: 100 * KIB, largeMessageBytes: 60 * KIB }, async (batch) => {
      batches.push(batch.map((d) => d.messageId!));
    });
    await consumer.start();
    const sizes = { a: 40, b: 40, c: 40, big: 70, d: 10, e: 10 } as const;
    for (const [id, kib] of Object.entries(sizes)) channel.deliver(id, kib * KIB);
    await until(() => channel.acked.length === 6);
    await consumer.stop();
    // a+b = 80 KiB; c would make 120 > 100; big (≥ 60 KiB) alone; then d+e.
    expect(batches).toEqual([['a', 'b'], ['c'], ['big'], ['d', 'e']]);
    expect(channel.acked).toEqual(['a', 'b', 'c', 'big', 'd', 'e']);
  });

  it('asks for few messages while they are big, and for the full prefetch once they are small again', async () => {
    const channel = new FakeChannel();
    const consumer = consumerOn(channel, { maxBytesInHand: 1_000 * KIB, largeMessageBytes: 10_000 * KIB }, async () => undefined);
    await consumer.start();
    // Sizes unknown: a small first prefetch.
    expect(channel.current().prefetch).toBe(8);
    channel.deliver('chunk-1', 500 * KIB);
    await until(() => channel.acked.length === 1 && channel.current().prefetch !== 8);
    // 1,000 KiB in hand at 500 KiB a message; the previous consumer is cancelled once the new one runs.
    expect(channel.current().prefetch).toBe(2);
    await until(() => channel.consumers.filter((c) => !c.cancelled).length === 1);
    // Small messages again: the remembered size halves per batch until the full prefetch fits.
    for (let i = 0; i < 12; i++) {
      channel.deliver(`delta-${i}`, 2 * KIB);
      await until(() => channel.acked.length === i + 2);
    }
    await until(() => channel.current().prefetch === 400);
    await consumer.stop();
    expect(channel.acked).toHaveLength(13);
  });
});

describe('BatchConsumer retry by requeue', () => {
  it('puts a message to retry back on its own queue after the delay, never through the retry tiers', async () => {
    const channel = new FakeChannel();
    const connection = { createChannel: () => channel } as unknown as AmqpConnectionManager;
    let calls = 0;
    const consumer = new BatchConsumer(
      connection,
      async () => undefined,
      { queue: 'q', names: topologyNames('t'), retryTiersMs: [20], jitterFactors: [1], batchSize: 100, batchWaitMs: 5, prefetch: 400, retryBy: 'requeue' },
      async (batch) => {
        calls += 1;
        if (calls === 1) throw new Error('the partner cannot answer right now');
        return batch.map(() => ({ action: 'ack' as const }));
      },
    );
    await consumer.start();
    channel.deliver('ours-1', 1024);
    await until(() => channel.requeued.length === 1);
    await consumer.stop();
    expect(channel.requeued).toEqual(['ours-1']);
    expect(channel.acked).toEqual([]);
    // Nothing went to an exchange: the retry tiers lead to the gateway's inbound queues.
    expect(channel.published).toEqual([]);
  });
});
