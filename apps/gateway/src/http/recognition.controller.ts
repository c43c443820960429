import { Body, Controller, HttpCode, Inject, Post, Req, ServiceUnavailableException } from '@nestjs/common';
import { GatewayError } from '@aeo/domain';
import type { RecognitionRequest, RecognitionService } from '@aeo/registry';
import type { ExchangeRuntime } from '@aeo/runtime';
import { Roles, type AuthenticatedRequest } from '../auth/roles.guard.js';
import { EXCHANGE_RUNTIME, RECOGNITION } from '../tokens.js';

/**
 * Recognition on arrival (role: risk-system; operators may ask too). The answer explains
 * itself (reason code, evidence, stale flag) and every decision is audited.
 */
@Controller('v1/recognitions')
export class RecognitionController {
  constructor(
    @Inject(RECOGNITION) private readonly recognition: RecognitionService,
    @Inject(EXCHANGE_RUNTIME) private readonly exchange: ExchangeRuntime,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles('risk-system', 'operator')
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
    await this.exchange.audit.appendOne({
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
