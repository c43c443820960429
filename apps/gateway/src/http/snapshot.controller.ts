import { Body, Controller, Inject, NotFoundException, Post, Req } from '@nestjs/common';
import { GatewayError } from '@aeo/domain';
import type { ExchangeRuntime } from '@aeo/runtime';
import { Roles, type AuthenticatedRequest } from '../auth/roles.guard.js';
import { EXCHANGE_RUNTIME } from '../tokens.js';

/** A full snapshot of our register to one partner, on demand (role: operator). */
@Controller('v1/snapshots')
export class SnapshotController {
  constructor(@Inject(EXCHANGE_RUNTIME) private readonly exchange: ExchangeRuntime) {}

  @Post()
  @Roles('operator')
  async send(@Body() body: { partner?: unknown; environment?: unknown }, @Req() request: AuthenticatedRequest) {
    if (typeof body?.partner !== 'string') throw new GatewayError('MISSING_REQUIRED_FIELD', 'partner is required', '/partner');
    const environment = body.environment === 'pilot' ? 'pilot' : 'production';
    const result = await this.exchange.sendSnapshot(body.partner, environment, request.principal!.name);
    if (!result) throw new NotFoundException({ error: { code: 'NOT_FOUND', message: `no MRA partner ${body.partner}` } });
    return result;
  }
}
