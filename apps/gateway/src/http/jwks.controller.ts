import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { KeyStore } from '@aeo/trust';
import { Public } from '../auth/roles.guard.js';
import { KEY_STORE } from '../tokens.js';

/** Our public keys, for partners to verify us and encrypt to us; includes keys published ahead of use. */
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(KEY_STORE) private readonly keys: KeyStore) {}

  @Get('jwks.json')
  @Public()
  @Header('Cache-Control', 'max-age=300')
  jwks(): unknown {
    return this.keys.jwks();
  }
}
