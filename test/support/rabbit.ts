/** Real RabbitMQ for integration tests, with a unique topology prefix per suite and cleanup. */
import { randomBytes } from 'node:crypto';
import amqplib from 'amqplib';
import { topologyNames, type TopologyOptions } from '@aeo/messaging';

export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export function uniquePrefix(label: string): string {
  return `test.${label}.${randomBytes(4).toString('hex')}`;
}

/** Delete every exchange and queue a test topology declared. */
export async function deleteTopology(options: TopologyOptions): Promise<void> {
  const connection = await amqplib.connect(AMQP_URL);
  const channel = await connection.createChannel();
  const names = topologyNames(options.prefix);
  const queues = [names.deadLetterQueue, ...options.partners.flatMap((p) => [names.outboundQueue(p), names.inboundQueue(p)])];
  const exchanges = [names.outboundExchange, names.inboundExchange, names.deadLetterExchange];
  options.retryTiersMs.forEach((_, tier) =>
    options.jitterFactors.forEach((__, variant) => {
      queues.push(names.retryExchange(tier, variant));
      exchanges.push(names.retryExchange(tier, variant));
    }),
  );
  for (const queue of queues) await channel.deleteQueue(queue);
  for (const exchange of exchanges) await channel.deleteExchange(exchange);
  await connection.close();
}

/** Read (and remove) everything currently in a queue. */
export async function drainQueue(queue: string): Promise<amqplib.GetMessage[]> {
  const connection = await amqplib.connect(AMQP_URL);
  const channel = await connection.createChannel();
  const messages: amqplib.GetMessage[] = [];
  for (;;) {
    const message = await channel.get(queue, { noAck: true });
    if (message === false) break;
    messages.push(message);
  }
  await connection.close();
  return messages;
}
