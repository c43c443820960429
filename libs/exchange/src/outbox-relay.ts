import type { ConfirmedPublisher } from '@aeo/messaging';
import type { DataSource } from 'typeorm';
import type { OutboxStore } from './outbox-store.js';

export interface RelayOptions {
  readonly exchange: string;
  /** Rows per round; all of a round's publishes are in flight together. */
  readonly batchSize: number;
  /** How long a claimed row is reserved for this relay. */
  readonly leaseMs: number;
  /** Sleep when there was nothing to do (a local enqueue wakes the relay at once). */
  readonly idleMs: number;
}

export const DEFAULT_RELAY_OPTIONS: Omit<RelayOptions, 'exchange'> = { batchSize: 500, leaseMs: 60_000, idleMs: 250 };

/**
 * Publishes what the outbox holds, with pipelined confirms, and marks each message SENT only
 * when its confirm arrived. Restart-safe by construction: the outbox is the only state, so a
 * killed gateway resumes from it, and a broker outage just leaves rows RETRYING.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxStore,
    private readonly publisher: ConfirmedPublisher,
    private readonly options: RelayOptions,
  ) {}

  /** One round: claim, publish, record. Returns how many messages it handled. */
  async runOnce(): Promise<number> {
    const rows = await this.outbox.claimDue(this.dataSource, this.options.batchSize, this.options.leaseMs);
    if (rows.length === 0) return 0;
    const outcomes = await this.publisher.publishAll(
      rows.map((row) => ({
        exchange: this.options.exchange,
        routingKey: row.routingKey,
        body: Buffer.from(row.body, 'ascii'),
        messageId: row.messageId,
        ...(row.correlationId ? { correlationId: row.correlationId } : {}),
        type: row.messageType,
        contentType: 'application/jose',
        headers: { 'x-mra-environment': row.environment, 'x-mra-partner': row.partner },
      })),
    );
    await this.outbox.recordPublishOutcomes(
      this.dataSource,
      rows.map((row, i) => {
        const outcome = outcomes[i];
        return outcome.ok ? { row, ok: true } : { row, ok: false, error: outcome.error.message };
      }),
    );
    return rows.length;
  }

  start(onError: (error: unknown) => void): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let handled = 0;
        try {
          handled = await this.runOnce();
        } catch (error) {
          onError(error);
        }
        if (handled === 0 && this.running) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.options.idleMs);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = undefined;
        }
      }
    })();
  }

  /** Something was just committed to the outbox: publish it without waiting for the idle timer. */
  notify(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }
}
