/**
 * The raw amqplib floors of the pipelines (tech-notes §2c method): one connection with
 * `noDelay: true`, persistent messages on a durable classic queue.
 *   - publish: a ConfirmChannel with a sliding window of unconfirmed messages (pipelined
 *     confirms), timed until the last confirm arrives;
 *   - consume: the queue pre-filled, then `noAck: false` with one ack per message at the
 *     gateway's prefetch, timed from `consume` to the last ack.
 */
import amqplib from 'amqplib';
import { AMQP_URL } from './fixtures.js';

async function connect(): Promise<amqplib.ChannelModel> {
  return amqplib.connect(AMQP_URL, { noDelay: true });
}

/** Publish `count` copies of `body` with at most `window` unconfirmed; returns messages per second. */
export async function publishFloor(
  queue: string,
  body: Buffer,
  count: number,
  window = 1_000,
): Promise<number> {
  const connection = await connect();
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'classic' } });
    await channel.purgeQueue(queue);
    const start = performance.now();
    await publishWindowed(channel, queue, body, count, window);
    const seconds = (performance.now() - start) / 1000;
    await channel.deleteQueue(queue);
    return count / seconds;
  } finally {
    await connection.close();
  }
}

function publishWindowed(
  channel: amqplib.ConfirmChannel,
  queue: string,
  body: Buffer,
  count: number,
  window: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let confirmed = 0;
    let failed: Error | undefined;
    const pump = () => {
      while (sent < count && sent - confirmed < window) {
        sent++;
        channel.sendToQueue(queue, body, { persistent: true, contentType: 'application/jose' }, (error) => {
          if (error) failed ??= error instanceof Error ? error : new Error(String(error));
          confirmed++;
          if (confirmed === count) {
            if (failed) reject(failed);
            else resolve();
          } else pump();
        });
      }
    };
    pump();
  });
}

/** Pre-fill a queue with `count` copies of `body`, then consume and ack them all; returns messages per second. */
export async function consumeFloor(
  queue: string,
  body: Buffer,
  count: number,
  prefetch: number,
): Promise<number> {
  const connection = await connect();
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'classic' } });
    await channel.purgeQueue(queue);
    await publishWindowed(channel, queue, body, count, 1_000);
    await channel.prefetch(prefetch);
    let received = 0;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const start = performance.now();
    await channel.consume(
      queue,
      (message) => {
        if (!message) return;
        channel.ack(message);
        if (++received === count) done();
      },
      { noAck: false },
    );
    await finished;
    const seconds = (performance.now() - start) / 1000;
    await channel.deleteQueue(queue);
    return count / seconds;
  } finally {
    await connection.close();
  }
}
