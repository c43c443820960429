import { Body, Controller, HttpCode, Inject, Post, Req, ServiceUnavailableException } from '@nestjs/common';
import { GatewayError } from '@aeo/domain';
import type { RecognitionRequest, RecognitionService } from '@aeo/registry';
import type { ExchangeRuntime } from '@aeo/runtime';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ERROR_REF, RECOGNITION_BODY, RESPONSES } from './api-schemas.js';
import { ApiInput } from './input-validation.js';
import { Roles, type AuthenticatedRequest } from '../auth/roles.guard.js';
import { EXCHANGE_RUNTIME, RECOGNITION } from '../tokens.js';

/**
 * Recognition on arrival (role: risk-system; operators may ask too). The answer explains
 * itself (reason code, evidence, stale flag) and every decision is audited.
 */
@ApiTags('Recognition')
@Controller('v1/recognitions')
export class RecognitionController {
  constructor(
    @Inject(RECOGNITION) private readonly recognition: RecognitionService,
    @Inject(EXCHANGE_RUNTIME) private readonly exchange: ExchangeRuntime,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles('risk-system', 'operator')
  @ApiOperation({ summary: 'Recognition on arrival', description: 'Is the declared foreign AEO id a valid AEO of an MRA partner at the arrival time, which benefits apply, and why. Every decision is audited.' })
  @ApiInput({ body: RECOGNITION_BODY })
  @ApiOkResponse({ description: 'The decision (recognised or not)', schema: RESPONSES.recognitionDecision })
  @ApiServiceUnavailableResponse({ description: 'The register could not be read (TRANSIENT_FAILURE); retry', schema: ERROR_REF })
  async recognise(@Body() body: RecognitionRequest, @Req() request: AuthenticatedRequest) {
    let decision;
    try {
      decision = await this.recognition.recognise({ ...body, environment: body?.environment ?? 'production' });
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'TRANSIENT_FAILURE') {
        throw new ServiceUnavailableException({ error: error.toJSON() });
      }
      throw error;
    }
    await this.exchange.audit.appendGroupCommitted({
      direction: 'INTERNAL',
      type: 'RECOGNITION_DECISION',
      outcome: decision.reasonCode,
      actor: request.principal!.name,
      partner: decision.partner,
      aeoId: decision.aeoIdNormalized,
      messageId: decision.evidence?.sourceMessageId ?? null,
      details: { ...decision },
    });
    this.exchange.metrics.recognitions.inc({ partner: decision.partner ?? 'none', reason: decision.reasonCode });
    return decision;
  }
}
