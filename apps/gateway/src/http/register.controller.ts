import { Body, Controller, Get, Inject, NotFoundException, Param, Post, Req } from '@nestjs/common';
import { GatewayError, isAeoStatus, isCalendarDate, type AeoRecord, type Environment } from '@aeo/domain';
import type { HomeRecordChange } from '@aeo/exchange';
import { homeRegister } from '@aeo/registry';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { AEO_ID_PARAMS, ERROR_REF, REGISTER_CHANGE_BODY, RESPONSES, STATUS_CHANGE_BODY } from './api-schemas.js';
import { ApiInput } from './input-validation.js';
import { Roles, type AuthenticatedRequest } from '../auth/roles.guard.js';
import type { ExchangeRuntime } from '@aeo/runtime';
import { DATA_SOURCE, EXCHANGE_RUNTIME } from '../tokens.js';

interface StatusChangeBody {
  status?: unknown;
  reason?: unknown;
  effectiveFrom?: unknown;
  effectiveTo?: unknown;
}

function environmentOf(value: unknown): Environment {
  if (value === undefined || value === 'production') return 'production';
  if (value === 'pilot') return 'pilot';
  throw new GatewayError('INVALID_VALUE', "environment must be 'production' or 'pilot'", '/environment');
}

/**
 * The home register over HTTP (role: operator). Every change is stored with a new version
 * and, in the same transaction, queued as signed deltas to every partner that shares it.
 */
@ApiTags('Home register')
@Controller('v1/register/records')
export class RegisterController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(EXCHANGE_RUNTIME) private readonly exchange: ExchangeRuntime,
  ) {}

  @Post()
  @Roles('operator')
  @ApiOperation({ summary: 'Create or update home AEOs', description: 'Each record is stored with a new version and, in the same transaction, queued as a signed delta to every partner that shares it.' })
  @ApiInput({ body: REGISTER_CHANGE_BODY })
  @ApiCreatedResponse({ description: 'Stored; deltas queued, and what a partner format could not carry', schema: RESPONSES.changeResult })
  async upsert(@Body() body: { records?: unknown; environment?: unknown }, @Req() request: AuthenticatedRequest) {
    if (!Array.isArray(body?.records) || body.records.length === 0 || body.records.length > 1000) {
      throw new GatewayError('SCHEMA_VIOLATION', 'records must be an array of 1 to 1000 AEO records', '/records');
    }
    const changes = body.records as HomeRecordChange[];
    return this.exchange.homeRegister.change(changes, request.principal!.name, environmentOf(body.environment));
  }

  @Get(':aeoId')
  @Roles('operator', 'auditor', 'risk-system')
  @ApiOperation({ summary: 'One home AEO (production register)' })
  @ApiInput({ params: AEO_ID_PARAMS })
  @ApiOkResponse({ description: 'The current version and where it came from', schema: RESPONSES.storedAeo })
  @ApiNotFoundResponse({ description: 'No such home AEO (NOT_FOUND)', schema: ERROR_REF })
  async get(@Param('aeoId') aeoId: string) {
    const found = await homeRegister.find(this.dataSource.manager, 'production', 'KZ-SRC', aeoId);
    if (!found) throw new NotFoundException({ error: { code: 'NOT_FOUND', message: `no home AEO ${aeoId}` } });
    return found;
  }

  /** Suspend, revoke, reinstate...: a status change of an existing record. */
  @Post(':aeoId/status')
  @Roles('operator')
  @ApiOperation({ summary: 'Change the status of a home AEO', description: 'Suspend, revoke, reinstate…; CONSENT_WITHDRAWN also records the withdrawal. Queued to partners like any change.' })
  @ApiInput({ params: AEO_ID_PARAMS, body: STATUS_CHANGE_BODY })
  @ApiCreatedResponse({ description: 'Stored and queued', schema: RESPONSES.changeResult })
  @ApiNotFoundResponse({ description: 'No such home AEO (NOT_FOUND)', schema: ERROR_REF })
  async changeStatus(@Param('aeoId') aeoId: string, @Body() body: StatusChangeBody, @Req() request: AuthenticatedRequest) {
    if (!isAeoStatus(body?.status)) throw new GatewayError('UNKNOWN_STATUS_CODE', 'status is not a canonical status', '/status');
    if (!isCalendarDate(body.effectiveFrom)) throw new GatewayError('INVALID_DATE', 'effectiveFrom must be YYYY-MM-DD', '/effectiveFrom');
    if (body.effectiveTo !== undefined && !isCalendarDate(body.effectiveTo)) throw new GatewayError('INVALID_DATE', 'effectiveTo must be YYYY-MM-DD', '/effectiveTo');
    if (body.reason !== undefined && typeof body.reason !== 'string') throw new GatewayError('INVALID_VALUE', 'reason must be text', '/reason');
    const found = await homeRegister.find(this.dataSource.manager, 'production', 'KZ-SRC', aeoId);
    if (!found) throw new NotFoundException({ error: { code: 'NOT_FOUND', message: `no home AEO ${aeoId}` } });
    const { recordVersion: _v, lastChangedAt: _t, statusReason: _r, statusEffectiveTo: _e, ...rest }: AeoRecord = found.record;
    const change: HomeRecordChange = {
      ...rest,
      status: body.status,
      statusEffectiveFrom: body.effectiveFrom,
      ...(typeof body.reason === 'string' && body.reason !== '' ? { statusReason: body.reason } : {}),
      ...(typeof body.effectiveTo === 'string' ? { statusEffectiveTo: body.effectiveTo } : {}),
      ...(body.status === 'CONSENT_WITHDRAWN' ? { consent: { granted: false, recordedOn: body.effectiveFrom } } : {}),
    };
    return this.exchange.homeRegister.change([change], request.principal!.name);
  }
}
