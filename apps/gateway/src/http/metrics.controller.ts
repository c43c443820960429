import { Controller, Get, Header, Inject } from '@nestjs/common';
import { OutboundMessageEntity } from '@aeo/exchange';
import { DeadLetterQueue, topologyNames } from '@aeo/messaging';
import type { ExchangeRuntime } from '@aeo/runtime';
import type { GatewaySettings } from '@aeo/config';
import { ownKeyExpiry, type KeyStore } from '@aeo/trust';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { RESPONSES } from './api-schemas.js';
import { ApiInput } from './input-validation.js';
import { Roles } from '../auth/roles.guard.js';
import { DATA_SOURCE, EXCHANGE_RUNTIME, GATEWAY_SETTINGS, KEY_STORE } from '../tokens.js';

/**
 * Prometheus metrics (text format 0.0.4). Authenticated like every other endpoint: give the
 * scraper an operator API key (Prometheus `authorization: credentials`).
 */
@ApiTags('Operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(EXCHANGE_RUNTIME) private readonly exchange: ExchangeRuntime,
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(KEY_STORE) keys: KeyStore,
    @Inject(GATEWAY_SETTINGS) settings: GatewaySettings,
  ) {
    const registry = exchange.metrics.registry;
    const dlq = new DeadLetterQueue(settings.amqpUrl, topologyNames(exchange.topology.prefix));
    registry.gauge('mra_outbox_messages', 'Outbound messages by partner and state.', async () => {
      const rows = await dataSource
        .getRepository(OutboundMessageEntity)
        .createQueryBuilder('o')
        .select(['o.partner AS partner', 'o.state AS state', 'COUNT(*) AS count'])
        .groupBy('o.partner')
        .addGroupBy('o.state')
        .getRawMany<{ partner: string; state: string; count: string | number }>();
      return rows.map((r) => ({ labels: { partner: r.partner, state: r.state }, value: Number(r.count) }));
    });
    registry.gauge('mra_dead_letter_messages', 'Messages parked on the dead-letter queue.', async () => [{ labels: {}, value: await dlq.depth() }]);
    registry.gauge('mra_key_days_to_expiry', 'Days until each of our keys retires.', async () =>
      ownKeyExpiry(keys.list(), new Date()).flatMap((k) => (k.daysToExpiry === null ? [] : [{ labels: { kid: k.kid }, value: k.daysToExpiry }])),
    );
  }

  @Get()
  @Roles('operator', 'auditor')
  @ApiOperation({ summary: 'Prometheus metrics', description: 'Messages by partner, type and outcome; latency histograms; outbox and DLQ depth; recognition decisions by reason; key days-to-expiry.' })
  @ApiInput({})
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format 0.0.4', content: { 'text/plain': { schema: RESPONSES.metrics } } })
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.exchange.metrics.registry.render();
  }
}
