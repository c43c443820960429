import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { KeyStore } from '@aeo/trust';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RESPONSES } from './api-schemas.js';
import { ApiInput } from './input-validation.js';
import { Public } from '../auth/roles.guard.js';
import { KEY_STORE } from '../tokens.js';

/** Our public keys, for partners to verify us and encrypt to us; includes keys published ahead of use. */
@ApiTags('Operations')
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(KEY_STORE) private readonly keys: KeyStore) {}

  @Get('jwks.json')
  @Public()
  @ApiOperation({ summary: 'Our public keys (JWKS)', description: 'For partners to verify our signatures and encrypt to us; includes keys published ahead of use.' })
  @ApiInput({})
  @ApiOkResponse({ description: 'A JSON Web Key Set', schema: RESPONSES.jwks })
  @Header('Cache-Control', 'max-age=300')
  jwks(): unknown {
    return this.keys.jwks();
  }
}
