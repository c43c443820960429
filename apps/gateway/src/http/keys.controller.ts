import { Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ERROR_REF } from './api-schemas.js';
import { ApiInput } from './input-validation.js';
import { Roles, type AuthenticatedRequest } from '../auth/roles.guard.js';
import type { KeyReloader } from '../keys/key-reloader.js';
import { KEY_RELOADER } from '../tokens.js';

const RELOAD_REPORT = {
  type: 'object',
  properties: {
    reloadedAt: { type: 'string', format: 'date-time' },
    ourKeys: { type: 'array', items: { type: 'object', properties: { kid: { type: 'string' }, type: { type: 'string' }, state: { type: 'string' } } } },
    signingKids: { type: 'object', additionalProperties: { type: 'string' }, description: 'algorithm -> the kid it signs with from now on' },
    partnerKeys: { type: 'object', additionalProperties: { type: 'integer' }, description: 'partner -> keys loaded' },
  },
};

/** Key reload without a restart (role: security-officer; also on SIGHUP). */
@ApiTags('Operations')
@Controller('v1/keys')
export class KeysController {
  constructor(@Inject(KEY_RELOADER) private readonly reloader: KeyReloader) {}

  @Get()
  @Roles('security-officer', 'auditor')
  @ApiOperation({ summary: 'The keys in use right now', description: 'What the running gateway signs and decrypts with, and the partner keys it holds; the key store on disk may already hold newer keys that a reload would take up.' })
  @ApiInput({})
  @ApiOkResponse({ description: 'The keys in use', schema: RELOAD_REPORT })
  inUse() {
    return this.reloader.inUse();
  }

  @Post('reload')
  @HttpCode(200)
  @Roles('security-officer')
  @ApiOperation({
    summary: "Reload our key store and the partners' JWKS (audited)",
    description: 'After `mra keys rotate`, `revoke` or `import`. All keys are loaded and checked before they replace the ones in use; a refused reload keeps the keys in use.',
  })
  @ApiInput({})
  @ApiOkResponse({ description: 'The keys now in use', schema: RELOAD_REPORT })
  @ApiUnprocessableEntityResponse({ description: 'Refused (SIGNING_KEY_UNAVAILABLE, PARTNER_KEYS_INVALID); nothing changed', schema: ERROR_REF })
  reload(@Req() request: AuthenticatedRequest) {
    return this.reloader.reload(request.principal!.name, 'http');
  }
}
