import { Controller, Get, Inject, NotFoundException, Param, Post, Query, Req } from '@nestjs/common';
import { DeadLetterQueue, topologyNames } from '@aeo/messaging';
import type { ExchangeRuntime } from '@aeo/runtime';
import type { GatewaySettings } from '@aeo/config';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DLQ_QUERY, ERROR_REF, MESSAGE_ID_PARAMS, RESPONSES } from './api-schemas.js';
import { ApiInput } from './input-validation.js';
import { Roles, type AuthenticatedRequest } from '../auth/roles.guard.js';
import { EXCHANGE_RUNTIME, GATEWAY_SETTINGS } from '../tokens.js';

/** The dead-letter queue: list (operator, auditor) and replay one message (operator, audited). */
@ApiTags('Outbox and dead letters')
@Controller('v1/dlq')
export class DlqController {
  private readonly dlq: DeadLetterQueue;

  constructor(
    @Inject(GATEWAY_SETTINGS) settings: GatewaySettings,
    @Inject(EXCHANGE_RUNTIME) private readonly exchange: ExchangeRuntime,
  ) {
    this.dlq = new DeadLetterQueue(settings.amqpUrl, topologyNames(exchange.topology.prefix));
  }

  @Get()
  @Roles('operator', 'auditor')
  @ApiOperation({ summary: 'Messages parked on the dead-letter queue', description: 'Why each was parked, how often it was tried, and the SHA-256 of its bytes.' })
  @ApiInput({ query: DLQ_QUERY })
  @ApiOkResponse({ description: 'Parked messages', schema: RESPONSES.deadLetters })
  async list(@Query('limit') limit?: string) {
    return { messages: await this.dlq.list(Math.min(Math.max(Number(limit ?? 100) || 100, 1), 1000)) };
  }

  @Post(':messageId/replay')
  @Roles('operator')
  @ApiOperation({ summary: 'Replay one parked message (audited)' })
  @ApiInput({ params: MESSAGE_ID_PARAMS })
  @ApiCreatedResponse({ description: 'Replayed', schema: RESPONSES.replayed })
  @ApiNotFoundResponse({ description: 'No such dead letter (NOT_FOUND)', schema: ERROR_REF })
  async replay(@Param('messageId') messageId: string, @Req() request: AuthenticatedRequest) {
    const replayed = await this.dlq.replay(messageId);
    if (!replayed) throw new NotFoundException({ error: { code: 'NOT_FOUND', message: `no dead letter ${messageId}` } });
    await this.exchange.audit.appendOne({
      direction: 'INTERNAL',
      type: 'OPERATOR_ACTION',
      outcome: 'DLQ_REPLAYED',
      actor: request.principal!.name,
      partner: replayed.partner,
      messageId,
      payloadSha256: replayed.sha256,
      details: { action: 'dlq-replay', reason: replayed.reason, attempts: replayed.attempts, routingKey: replayed.routingKey },
    });
    return { replayed };
  }
}
