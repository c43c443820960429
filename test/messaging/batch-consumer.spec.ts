import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  BatchConsumer,
  ConfirmedPublisher,
  connectAmqp,
  declareTopology,
  topologyNames,
  type AmqpConnectionManager,
  type Delivery,
  type TopologyOptions,
} from '@aeo/messaging';
import { eventually } from '../support/eventually.js';
import { AMQP_URL, deleteTopology, drainQueue, uniquePrefix } from '../support/rabbit.js';

const options: TopologyOptions = {
  prefix: uniquePrefix('consumer'),
  partners: ['cn'],
  queueType: 'classic',
  retryTiersMs: [100, 200],
  jitterFactors: [1, 1.5],
};
const names = topologyNames(options.prefix);

describe('topology, confirmed publishing and batch consumption on RabbitMQ', () => {
  let connection: AmqpConnectionManager;
  let publisher: ConfirmedPublisher;

  beforeAll(async () => {
    connection = connectAmqp(AMQP_URL, 'test');
    publisher = new ConfirmedPublisher(connection, async (channel) => void (await declareTopology(channel, options)));
    await publisher.waitForConnect();
  });

  afterAll(async () => {
    await publisher.close();
    await connection.close();
    await deleteTopology(options);
  });

  function inbound(count: number, type = 'AEO_STATUS_DELTA') {
    return Array.from({ length: count }, (_, i) => ({
      exchange: names.inboundExchange,
      routingKey: names.routingKey('cn', type),
      body: Buffer.from(`message ${i}`),
      messageId: randomUUID(),
      type,
      contentType: 'application/jose',
    }));
  }

  it('declares the topology idempotently', async () => {
    await publisher.close();
    publisher = new ConfirmedPublisher(connection, async (channel) => void (await declareTopology(channel, options)));
    await publisher.waitForConnect();
    expect((await publisher.publishAll(inbound(1))).every((r) => r.ok)).toBe(true);
    await drainQueue(names.inboundQueue('cn'));
  });

  it('confirms a pipelined batch, delivers it in batches and acknowledges after the handler', async () => {
    const sent = inbound(1_000);
    const results = await publisher.publishAll(sent);
    expect(results.filter((r) => r.ok)).toHaveLength(1_000);

    const seen: string[] = [];
    const batchSizes: number[] = [];
    const consumer = new BatchConsumer(
      connection,
      async (channel) => void (await declareTopology(channel, options)),
      { queue: names.inboundQueue('cn'), names, retryTiersMs: options.retryTiersMs, jitterFactors: options.jitterFactors, batchSize: 100, batchWaitMs: 20, prefetch: 200 },
      async (batch) => {
        batchSizes.push(batch.length);
        seen.push(...batch.map((d) => d.messageId!));
        return batch.map(() => ({ action: 'ack' }));
      },
    );
    await consumer.start();
    await eventually(() => expect(seen).toHaveLength(1_000));
    await consumer.stop();
    expect(new Set(seen)).toEqual(new Set(sent.map((m) => m.messageId)));
    expect(Math.max(...batchSizes)).toBe(100);
    expect(await drainQueue(names.inboundQueue('cn'))).toHaveLength(0);
  });

  it('retries with backoff, dead-letters with a reason, and never loses a message', async () => {
    const [retried, parked, fine] = inbound(3);
    await publisher.publishAll([retried, parked, fine]);
    const attemptsSeen = new Map<string, number[]>();
    const consumer = new BatchConsumer(
      connection,
      async (channel) => void (await declareTopology(channel, options)),
      { queue: names.inboundQueue('cn'), names, retryTiersMs: options.retryTiersMs, jitterFactors: options.jitterFactors, batchSize: 10, batchWaitMs: 10, prefetch: 20 },
      async (batch: readonly Delivery[]) =>
        batch.map((d) => {
          attemptsSeen.set(d.messageId!, [...(attemptsSeen.get(d.messageId!) ?? []), d.attempts]);
          if (d.messageId === retried.messageId && d.attempts < 2) return { action: 'retry', reason: 'TRANSIENT' };
          if (d.messageId === parked.messageId) return { action: 'dead-letter', reason: 'SIGNATURE_INVALID', detail: 'test' };
          return { action: 'ack' };
        }),
    );
    await consumer.start();
    await eventually(() => expect(attemptsSeen.get(retried.messageId)).toEqual([0, 1, 2]));
    await consumer.stop();
    expect(attemptsSeen.get(fine.messageId)).toEqual([0]);
    const dead = await drainQueue(names.deadLetterQueue);
    expect(dead).toHaveLength(1);
    expect(dead[0].properties.messageId).toBe(parked.messageId);
    expect(dead[0].properties.headers).toMatchObject({ 'x-mra-reason': 'SIGNATURE_INVALID', 'x-mra-attempts': 1 });
    expect(dead[0].content.toString()).toBe(parked.body.toString());
  });

  it('puts a whole batch round the backoff when the handler fails, then delivers it', async () => {
    const sent = inbound(5);
    await publisher.publishAll(sent);
    let failures = 0;
    const applied = new Set<string>();
    const consumer = new BatchConsumer(
      connection,
      async (channel) => void (await declareTopology(channel, options)),
      { queue: names.inboundQueue('cn'), names, retryTiersMs: options.retryTiersMs, jitterFactors: options.jitterFactors, batchSize: 10, batchWaitMs: 30, prefetch: 20 },
      async (batch) => {
        if (failures < 1) {
          failures += 1;
          throw new Error('database is down');
        }
        batch.forEach((d) => applied.add(d.messageId!));
        return batch.map(() => ({ action: 'ack' }));
      },
    );
    await consumer.start();
    await eventually(() => expect(applied.size).toBe(5));
    await consumer.stop();
    expect([...applied].sort()).toEqual(sent.map((m) => m.messageId).sort());
  });
});
