import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { securityHeaders } from './security-headers.js';

/** Installs the security headers on every route (see security-headers.ts). */
@Module({})
export class SecurityHeadersModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(securityHeaders).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
