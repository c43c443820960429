import { randomInt } from 'node:crypto';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { TopologyNames } from './topology.js';

export interface Delivery {
  readonly body: Buffer;
  readonly routingKey: string;
  readonly messageId?: string;
  readonly correlationId?: string;
  readonly type?: string;
  readonly contentType?: string;
  readonly headers: Readonly<Record<string, unknown>>;
  /** How many times this message was already retried by us (x-mra-attempts). */
  readonly attempts: number;
  readonly redelivered: boolean;
  /** When this consumer took it from the broker (ms since the epoch): consume-to-ack latency starts here. */
  readonly receivedAt?: number;
}

/** What to do with each delivery of a batch, in the same order. */
export type DeliveryDecision =
  | { readonly action: 'ack' }
  | { readonly action: 'retry'; readonly reason: string }
  | { readonly action: 'dead-letter'; readonly reason: string; readonly detail?: string };

export interface BatchConsumerOptions {
  readonly queue: string;
  readonly names: TopologyNames;
  readonly retryTiersMs: readonly number[];
  readonly jitterFactors: readonly number[];
  /** Messages per handler call; the handler commits a batch in one transaction. */
  readonly batchSize: number;
  /** How long a partial batch waits for company. */
  readonly batchWaitMs: number;
  /** Unacknowledged messages the broker may hand us; at least two batches so the next one fills while one commits. */
  readonly prefetch: number;
  /** Payload bytes per handler call (default 8 MiB): a batch closes before the delivery that would pass it. */
  readonly maxBatchBytes?: number;
  /**
   * A delivery of at least this many bytes (default 1 MiB) is handled in a batch of its own: a big
   * message (a snapshot chunk) decodes into a tree many times its size, so one per transaction.
   */
  readonly largeMessageBytes?: number;
  /**
   * Payload bytes we aim to hold unacknowledged (default 16 MiB: two full batches). The broker limits by count
   * only, so the count we ask for follows the size of recent messages: `prefetch` for small
   * ones, a handful for multi-megabyte chunks. It starts small, until sizes are known.
   */
  readonly maxBytesInHand?: number;
  /** Told about every handler failure (the batch goes round the backoff); for logs and metrics. */
  readonly onHandlerError?: (error: unknown, batchSize: number) => void;
  /** Told when re-creating the consumer with a new prefetch failed (the channel closed meanwhile); for logs. */
  readonly onResizeFailed?: (error: unknown) => void;
  /**
   * How a message to retry goes back to its queue. `tiers` (default): through the TTL retry
   * queues, whose dead-letter exchange is the INBOUND exchange — right for the gateway's
   * inbound queues only. `requeue`: after the first tier's delay the message is rejected with
   * requeue, back to the queue it came from — for a consumer of any other queue (the partner
   * simulator reading our outbound queue), which the tiers would deliver to our inbound queue.
   */
  readonly retryBy?: 'tiers' | 'requeue';
}

const MIB = 1024 * 1024;
/** The count asked for before any message size is known. */
const INITIAL_PREFETCH = 8;

interface Pending {
  readonly message: ConsumeMessage;
  readonly bytes: number;
  /** The amqplib channel that delivered it: a delivery tag is only valid on its own channel. */
  readonly channel: object | undefined;
  readonly receivedAt: number;
}

/**
 * Consumes one queue with manual acknowledgement and hands the handler batches. Nothing is
 * acknowledged before the handler's transaction committed; a retry or a dead-letter is
 * republished with a confirm before the original is acknowledged, so a crash between the
 * two duplicates (the receiver deduplicates by message id) but never loses.
 */
export class BatchConsumer {
  private readonly channel: ChannelWrapper;
  private buffer: Pending[] = [];
  private bufferedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private working: Promise<void> = Promise.resolve();
  private stopped = false;
  private consumerTag: string | undefined;
  private prefetch: number;
  /** The size the prefetch is sized for: jumps to a bigger message at once, decays by half per batch. */
  private messageBytes = 0;
  private resizing: Promise<void> = Promise.resolve();

  constructor(
    connection: AmqpConnectionManager,
    setup: (channel: ConfirmChannel) => Promise<void>,
    private readonly options: BatchConsumerOptions,
    private readonly handler: (batch: readonly Delivery[]) => Promise<readonly DeliveryDecision[]>,
  ) {
    this.channel = connection.createChannel({ name: `consumer:${options.queue}`, confirm: true, json: false, setup });
    this.prefetch = Math.min(options.prefetch, INITIAL_PREFETCH);
  }

  private get maxBatchBytes(): number {
    return this.options.maxBatchBytes ?? 8 * MIB;
  }

  private get largeMessageBytes(): number {
    return this.options.largeMessageBytes ?? MIB;
  }

  /**
   * The amqplib channel under the wrapper right now. amqp-connection-manager re-creates it on
   * every reconnect and restarts consumers before it emits 'connect', so an event-based
   * generation count would mislabel the first deliveries; comparing channel identity is exact.
   */
  private currentChannel(): object | undefined {
    return (this.channel as unknown as { _channel?: object })._channel;
  }

  async start(): Promise<void> {
    await this.consume();
  }

  private async consume(): Promise<void> {
    const { consumerTag } = await this.channel.consume(this.options.queue, (message) => this.receive(message), {
      noAck: false,
      prefetch: this.prefetch,
    });
    this.consumerTag = consumerTag;
  }

  /**
   * Ask the broker for as many messages as `maxBytesInHand` holds at the recent message size.
   * RabbitMQ applies a new prefetch to new consumers only, so the consumer is re-created;
   * what it already delivered stays ours (same channel) and is acknowledged as usual.
   */
  private resizePrefetch(): void {
    const budget = this.options.maxBytesInHand ?? 2 * this.maxBatchBytes;
    const wanted = Math.max(1, Math.min(this.options.prefetch, Math.floor(budget / Math.max(1, this.messageBytes))));
    // Only a change by half or double (or back to the full prefetch) is worth a cancel and a new consumer.
    const worth = wanted !== this.prefetch && (wanted === this.options.prefetch || wanted * 2 <= this.prefetch || wanted >= this.prefetch * 2);
    if (this.stopped || !worth) return;
    this.prefetch = wanted;
    this.resizing = this.resizing
      .then(async () => {
        if (this.stopped || this.consumerTag === undefined) return;
        // The new consumer first, then cancel the old one. amqp-connection-manager forgets a
        // consumer as soon as cancel is called, even if the cancel then fails (the channel
        // closed): cancelling first could leave the queue with no consumer at all, not even
        // after a reconnect. This order always leaves one registered consumer, which the
        // manager re-creates on reconnect. For a moment both deliver; both feed this buffer.
        const previous = this.consumerTag;
        await this.consume();
        await this.channel.cancel(previous);
      })
      .catch((error: unknown) => {
        // The channel went away during the swap: the consumer still registered is re-created on
        // reconnect, with the prefetch it was made with; the next resize corrects it.
        this.options.onResizeFailed?.(error);
      });
  }

  private receive(message: ConsumeMessage): void {
    if (this.stopped) return;
    const bytes = message.content.length;
    this.messageBytes = Math.max(this.messageBytes, bytes);
    this.buffer.push({ message, bytes, channel: this.currentChannel(), receivedAt: Date.now() });
    this.bufferedBytes += bytes;
    if (bytes >= this.largeMessageBytes || this.buffer.length >= this.options.batchSize || this.bufferedBytes >= this.maxBatchBytes) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.batchWaitMs);
  }

  /** The next batch from the buffer: up to batchSize messages and maxBatchBytes, a large message alone. */
  private takeBatch(): Pending[] {
    let count = 0;
    let bytes = 0;
    for (const pending of this.buffer) {
      const large = pending.bytes >= this.largeMessageBytes;
      if (count > 0 && (large || count >= this.options.batchSize || bytes + pending.bytes > this.maxBatchBytes)) break;
      count += 1;
      bytes += pending.bytes;
      if (large) break;
    }
    this.bufferedBytes -= bytes;
    return this.buffer.splice(0, count);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.takeBatch();
    if (batch.length === 0) return;
    // One batch at a time: ordering within the queue is kept and the database sees one writer per consumer.
    this.working = this.working.then(() => this.process(batch));
    if (this.buffer.length > 0) this.timer = setTimeout(() => this.flush(), 0);
  }

  private async process(batch: Pending[]): Promise<void> {
    const deliveries = batch.map((p) => toDelivery(p.message, p.receivedAt));
    let decisions: readonly DeliveryDecision[];
    try {
      decisions = await this.handler(deliveries);
      if (decisions.length !== batch.length) throw new Error('handler returned a decision count that differs from the batch');
    } catch (error) {
      this.options.onHandlerError?.(error, batch.length);
      // Transient by assumption (database down, ...): every message goes round the backoff again.
      const reason = `TRANSIENT_FAILURE: ${(error as Error).message}`.slice(0, 200);
      decisions = batch.map(() => ({ action: 'retry', reason }));
    }
    const requeue = this.options.retryBy === 'requeue';
    try {
      await this.republish(deliveries, requeue ? decisions.map((d) => (d.action === 'retry' ? { action: 'ack' as const } : d)) : decisions);
    } catch {
      // Broker trouble: leave everything unacknowledged; the broker redelivers after reconnect.
      return;
    }
    if (requeue && decisions.some((d) => d.action === 'retry')) {
      await new Promise((resolve) => setTimeout(resolve, this.options.retryTiersMs[0] ?? 1_000));
    }
    const current = this.currentChannel();
    // Deliveries of a channel that has since closed are back in the queue already; acking them here would be an error.
    batch.forEach((pending, i) => {
      if (pending.channel !== current) return;
      if (requeue && decisions[i].action === 'retry') this.channel.nack(pending.message, false, true);
      else this.channel.ack(pending.message);
    });
    this.resizePrefetch();
    this.messageBytes = Math.max(Math.floor(this.messageBytes / 2), ...batch.map((p) => p.bytes));
  }

  private async republish(deliveries: readonly Delivery[], decisions: readonly DeliveryDecision[]): Promise<void> {
    const { names, retryTiersMs, jitterFactors } = this.options;
    const publishes: Promise<boolean>[] = [];
    decisions.forEach((decision, i) => {
      const d = deliveries[i];
      if (decision.action === 'ack') return;
      const headers = { ...d.headers, 'x-mra-attempts': d.attempts + 1, 'x-mra-last-reason': decision.reason };
      const properties = {
        persistent: true,
        headers,
        ...(d.messageId ? { messageId: d.messageId } : {}),
        ...(d.correlationId ? { correlationId: d.correlationId } : {}),
        ...(d.type ? { type: d.type } : {}),
        ...(d.contentType ? { contentType: d.contentType } : {}),
        timeout: 10_000,
      };
      if (decision.action === 'retry') {
        const tier = Math.min(d.attempts, retryTiersMs.length - 1);
        const exchange = names.retryExchange(tier, randomInt(jitterFactors.length));
        publishes.push(this.channel.publish(exchange, d.routingKey, d.body, properties));
      } else {
        const dlHeaders = { ...headers, 'x-mra-reason': decision.reason, 'x-mra-detail': decision.detail ?? '', 'x-mra-queue': this.options.queue };
        publishes.push(this.channel.publish(names.deadLetterExchange, d.routingKey, d.body, { ...properties, headers: dlHeaders }));
      }
    });
    await Promise.all(publishes);
  }

  /** Stop taking messages and let the batch in hand finish; unprocessed ones return to the queue. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.resizing;
    await this.channel.cancelAll();
    this.buffer = [];
    this.bufferedBytes = 0;
    await this.working;
    await this.channel.close();
  }
}

function toDelivery(message: ConsumeMessage, receivedAt: number): Delivery {
  const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
  const attempts = Number(headers['x-mra-attempts'] ?? 0);
  return {
    body: message.content,
    routingKey: message.fields.routingKey,
    ...(message.properties.messageId ? { messageId: String(message.properties.messageId) } : {}),
    ...(message.properties.correlationId ? { correlationId: String(message.properties.correlationId) } : {}),
    ...(message.properties.type ? { type: String(message.properties.type) } : {}),
    ...(message.properties.contentType ? { contentType: String(message.properties.contentType) } : {}),
    headers,
    attempts: Number.isFinite(attempts) ? attempts : 0,
    redelivered: message.fields.redelivered,
    receivedAt,
  };
}
