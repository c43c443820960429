import { Body, Controller, Inject, NotFoundException, Post, Req } from '@nestjs/common';
import { GatewayError } from '@aeo/domain';
import type { ExchangeRuntime } from '@aeo/runtime';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ERROR_REF, RESPONSES, SNAPSHOT_BODY } from './api-schemas.js';
import { ApiInput } from './input-validation.js';
import { Roles, type AuthenticatedRequest } from '../auth/roles.guard.js';
import { EXCHANGE_RUNTIME } from '../tokens.js';

/** A full snapshot of our register to one partner, on demand (role: operator). */
@ApiTags('Home register')
@Controller('v1/snapshots')
export class SnapshotController {
  constructor(@Inject(EXCHANGE_RUNTIME) private readonly exchange: ExchangeRuntime) {}

  @Post()
  @Roles('operator')
  @ApiOperation({ summary: 'Send a full snapshot of our register to one partner', description: "Chunked by the MRA's chunk size and the partner profile's byte limit. Chunks are sealed and held one by one, then released together: the partner receives all chunks or none." })
  @ApiInput({ body: SNAPSHOT_BODY })
  @ApiCreatedResponse({ description: 'Queued chunks, and records the partner format could not carry', schema: RESPONSES.changeResult })
  @ApiNotFoundResponse({ description: 'No MRA with that partner (NOT_FOUND)', schema: ERROR_REF })
  async send(@Body() body: { partner?: unknown; environment?: unknown }, @Req() request: AuthenticatedRequest) {
    if (typeof body?.partner !== 'string') throw new GatewayError('MISSING_REQUIRED_FIELD', 'partner is required', '/partner');
    const environment = body.environment === 'pilot' ? 'pilot' : 'production';
    const result = await this.exchange.sendSnapshot(body.partner, environment, request.principal!.name);
    if (!result) throw new NotFoundException({ error: { code: 'NOT_FOUND', message: `no MRA partner ${body.partner}` } });
    return result;
  }
}
