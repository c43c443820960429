import { Controller, Get, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { OUTBOUND_STATES, GatewayError } from '@aeo/domain';
import { OutboundMessageEntity } from '@aeo/exchange';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { MESSAGE_ID_PARAMS, OUTBOX_QUERY, RESPONSES } from './api-schemas.js';
import { ApiInput } from './input-validation.js';
import { Roles, type AuthenticatedRequest } from '../auth/roles.guard.js';
import type { ExchangeRuntime } from '@aeo/runtime';
import { DATA_SOURCE, EXCHANGE_RUNTIME } from '../tokens.js';

/** What we have sent and in which state (operator, auditor); resend on request (operator, audited). */
@ApiTags('Outbox and dead letters')
@Controller('v1/outbox')
export class OutboxController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(EXCHANGE_RUNTIME) private readonly exchange: ExchangeRuntime,
  ) {}

  @Get()
  @Roles('operator', 'auditor')
  @ApiOperation({ summary: 'Messages we sent and their states', description: 'Newest first, without bodies; counts per partner and state.' })
  @ApiInput({ query: OUTBOX_QUERY })
  @ApiOkResponse({ description: 'Counts and messages', schema: RESPONSES.outboxList })
  async list(@Query('partner') partner?: string, @Query('state') state?: string, @Query('limit') limit?: string) {
    if (state !== undefined && !(OUTBOUND_STATES as readonly string[]).includes(state)) {
      throw new GatewayError('INVALID_VALUE', `state must be one of ${OUTBOUND_STATES.join(', ')}`, '/state');
    }
    const take = Math.min(Math.max(Number(limit ?? 100) || 100, 1), 500);
    const rows = await this.dataSource.getRepository(OutboundMessageEntity).find({
      where: { ...(partner ? { partner } : {}), ...(state ? { state: state as (typeof OUTBOUND_STATES)[number] } : {}) },
      order: { createdAt: 'DESC' },
      take,
    });
    const counts = await this.dataSource
      .getRepository(OutboundMessageEntity)
      .createQueryBuilder('o')
      .select(['o.partner AS partner', 'o.state AS state', 'COUNT(*) AS count'])
      .groupBy('o.partner')
      .addGroupBy('o.state')
      .getRawMany<{ partner: string; state: string; count: string | number }>();
    return {
      counts: counts.map((c) => ({ partner: c.partner, state: c.state, count: Number(c.count) })),
      messages: rows.map(({ body: _body, ...row }) => row),
    };
  }

  @Post(':messageId/resend')
  @Roles('operator')
  @ApiOperation({ summary: 'Queue a sent message again (audited)' })
  @ApiInput({ params: MESSAGE_ID_PARAMS })
  @ApiCreatedResponse({ description: 'Queued again', schema: RESPONSES.resent })
  async resend(@Param('messageId') messageId: string, @Req() request: AuthenticatedRequest) {
    await this.dataSource.transaction((manager) => this.exchange.outbox.requeue(manager, messageId, request.principal!.name, 'OPERATOR_RESEND'));
    this.exchange.notifyOutbox();
    return { messageId, state: 'QUEUED' };
  }
}
