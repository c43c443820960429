import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { GatewaySettings } from '@aeo/config';
import { InboundMessageEntity, OutboundMessageEntity } from '@aeo/exchange';
import { DeadLetterQueue, topologyNames } from '@aeo/messaging';
import type { ExchangeRuntime } from '@aeo/runtime';
import { KEY_TYPE_NAMES, keyState, type KeyStore } from '@aeo/trust';
import { And, In, LessThanOrEqual, MoreThan, type DataSource } from 'typeorm';
import { DATA_SOURCE, EXCHANGE_RUNTIME, GATEWAY_SETTINGS, KEY_STORE } from '../tokens.js';

/** QUEUED + RETRYING rows above which the outbox is reported degraded (the relay is not keeping up). */
export const OUTBOX_BACKLOG_THRESHOLD = 10_000;
/** Any parked message needs an operator to look at it (replay or explain). */
export const DEAD_LETTER_THRESHOLD = 0;
/** Days before a key type's last active key retires at which readiness warns. */
export const KEY_WARNING_DAYS = 30;
/** A readiness probe must answer even when a dependency hangs. */
const PROBE_TIMEOUT_MS = 3_000;

function withinTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The readiness indicators. Hard ones (database, broker, keys that expired) answer `down`
 * and fail readiness; the others answer `degraded` with the numbers an operator needs, and
 * never take the instance out of rotation for something another instance cannot fix.
 */
@Injectable()
export class ReadinessIndicators {
  private readonly deadLetterQueue: DeadLetterQueue;

  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(EXCHANGE_RUNTIME) private readonly exchange: ExchangeRuntime,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    @Inject(GATEWAY_SETTINGS) settings: GatewaySettings,
  ) {
    this.deadLetterQueue = new DeadLetterQueue(settings.amqpUrl, topologyNames(exchange.topology.prefix));
  }

  database() {
    return this.indicators
      .check('database')
      .attempt(() => this.dataSource.query('SELECT 1'))
      .withTimeout(PROBE_TIMEOUT_MS)
      .withSuccessData({ type: this.dataSource.options.type });
  }

  broker() {
    const check = this.indicators.check('broker');
    return this.exchange.brokerConnected ? check.up() : check.down({ message: 'not connected to RabbitMQ; the exchange reconnects on its own' });
  }

  /**
   * Every key type we hold must have an active key: without one we cannot sign or be
   * encrypted to (down). Under KEY_WARNING_DAYS left on a type's longest-lived active key,
   * without a successor, is a warning (degraded): rotate before it lapses.
   */
  ownKeys() {
    const check = this.indicators.check('keys');
    const now = new Date();
    try {
      const records = this.keys.list();
      const types = KEY_TYPE_NAMES.map((type) => {
        const ofType = records.filter((r) => r.type === type && keyState(r, now) !== 'revoked');
        const active = ofType.filter((r) => keyState(r, now) === 'active');
        const newest = active.reduce<(typeof active)[number] | undefined>((best, r) => (!best || r.retiresAt > best.retiresAt ? r : best), undefined);
        const daysLeft = newest ? Math.floor((newest.retiresAt.getTime() - now.getTime()) / 86_400_000) : null;
        const successor = newest !== undefined && ofType.some((r) => keyState(r, now) === 'pending' && r.retiresAt > newest.retiresAt);
        return { type, kid: newest?.kid ?? null, daysLeft, successor };
      });
      const expired = types.filter((t) => t.daysLeft === null).map((t) => t.type);
      if (expired.length > 0) return check.down({ message: `no active key of type ${expired.join(', ')}`, keys: types });
      const expiring = types.filter((t) => t.daysLeft !== null && t.daysLeft < KEY_WARNING_DAYS && !t.successor).map((t) => t.type);
      if (expiring.length > 0) return check.degraded({ message: `rotate soon: ${expiring.join(', ')} retire(s) within ${KEY_WARNING_DAYS} days`, keys: types });
      return check.up({ keys: types });
    } catch (error) {
      return check.down({ message: `cannot read the key store: ${(error as Error).message}` });
    }
  }

  async outboxBacklog() {
    const check = this.indicators.check('outbox');
    try {
      const backlog = await withinTimeout(
        this.dataSource.getRepository(OutboundMessageEntity).countBy({ state: In(['QUEUED', 'RETRYING']) }),
        'the outbox count',
      );
      const data = { backlog, threshold: OUTBOX_BACKLOG_THRESHOLD };
      return backlog > OUTBOX_BACKLOG_THRESHOLD ? check.degraded({ ...data, message: 'outbox backlog above threshold' }) : check.up(data);
    } catch (error) {
      // The database indicator is the hard one; this one only says it could not count.
      return check.degraded({ message: (error as Error).message });
    }
  }

  async deadLetters() {
    const check = this.indicators.check('deadLetters');
    try {
      const depth = await withinTimeout(this.deadLetterQueue.depth(), 'the dead-letter queue');
      const data = { depth, threshold: DEAD_LETTER_THRESHOLD };
      return depth > DEAD_LETTER_THRESHOLD ? check.degraded({ ...data, message: 'messages are parked on the dead-letter queue (GET /v1/dlq)' }) : check.up(data);
    } catch (error) {
      return check.degraded({ message: (error as Error).message });
    }
  }

  /**
   * When each partner last sent us a receipt. A partner is flagged (degraded) when messages
   * we sent more than its MRA's receipt SLA ago are still unanswered and nothing has come
   * back since: a partner with nothing to answer is quiet, not late.
   */
  async partnerReceipts() {
    const check = this.indicators.check('partnerReceipts');
    try {
      const now = Date.now();
      const last = await withinTimeout(
        this.dataSource
          .getRepository(InboundMessageEntity)
          .createQueryBuilder('i')
          .select(['i.partner AS partner', 'MAX(i.receivedAt) AS last_receipt_at'])
          .where('i.messageType = :type', { type: 'RECEIPT' })
          .groupBy('i.partner')
          .getRawMany<{ partner: string; last_receipt_at: string | number | null }>(),
        'the receipt query',
      );
      const lastByPartner = new Map(last.map((r) => [r.partner, r.last_receipt_at === null ? null : Number(r.last_receipt_at)]));
      const partners = await Promise.all(
        [...this.exchange.mraConfigs].map(async ([partner, config]) => {
          const slaMs = config.receiptSlaMinutes * 60_000;
          const lastReceiptAt = lastByPartner.get(partner) ?? null;
          const unanswered = await withinTimeout(
            this.dataSource.getRepository(OutboundMessageEntity).countBy({
              partner,
              expectsReceipt: true,
              state: In(['SENT', 'EXPIRED']),
              sentAt: And(LessThanOrEqual(now - slaMs), MoreThan(lastReceiptAt ?? 0)),
            }),
            'the unanswered-message count',
          );
          return {
            partner,
            lastReceiptAt: lastReceiptAt === null ? null : new Date(lastReceiptAt).toISOString(),
            receiptSlaMinutes: config.receiptSlaMinutes,
            unansweredBeyondSla: unanswered,
            late: unanswered > 0,
          };
        }),
      );
      const late = partners.filter((p) => p.late).map((p) => p.partner);
      return late.length > 0 ? check.degraded({ message: `no receipt within the SLA from ${late.join(', ')}`, partners }) : check.up({ partners });
    } catch (error) {
      return check.degraded({ message: (error as Error).message });
    }
  }
}
