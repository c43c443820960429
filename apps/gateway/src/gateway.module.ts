import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { RateLimitGuard, RateLimitPolicy } from './auth/rate-limit.js';
import { InputValidationInterceptor } from './http/input-validation.js';
import type { GatewaySettings } from '@aeo/config';
import type { KeyStore } from '@aeo/trust';
import type { DataSource } from 'typeorm';
import type { ApiKeys } from './auth/api-keys.js';
import { RolesGuard } from './auth/roles.guard.js';
import type { ExchangeRuntime } from '@aeo/runtime';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health/health.controller.js';
import { ReadinessIndicators } from './health/readiness.indicators.js';
import { AuditController } from './http/audit.controller.js';
import { DlqController } from './http/dlq.controller.js';
import { MetricsController } from './http/metrics.controller.js';
import { RecognitionController } from './http/recognition.controller.js';
import { SnapshotController } from './http/snapshot.controller.js';
import type { RecognitionService } from '@aeo/registry';
import { GatewayErrorFilter } from './http/gateway-error.filter.js';
import { JwksController } from './http/jwks.controller.js';
import { OutboxController } from './http/outbox.controller.js';
import { RegisterController } from './http/register.controller.js';
import { ConsoleController } from './console/console.controller.js';
import { SecurityHeadersModule } from './console/console.module.js';
import { AuditChainController } from './http/audit-chain.controller.js';
import { IdentityController } from './http/identity.controller.js';
import { InboundController } from './http/inbound.controller.js';
import { PartnersController } from './http/partners.controller.js';
import { TestRunReportsController } from './http/testrun-reports.controller.js';
import { KeysController } from './http/keys.controller.js';
import type { KeyReloader } from './keys/key-reloader.js';
import { API_KEYS, DATA_SOURCE, EXCHANGE_RUNTIME, GATEWAY_AUDIT, GATEWAY_SETTINGS, KEY_RELOADER, KEY_STORE, RECOGNITION, STARTUP_WARNINGS } from './tokens.js';

export interface GatewayParts {
  readonly settings: GatewaySettings;
  readonly dataSource: DataSource;
  readonly keyStore: KeyStore;
  readonly keyReloader: KeyReloader;
  readonly exchange: ExchangeRuntime;
  readonly apiKeys: ApiKeys;
  readonly recognition: RecognitionService;
  readonly warnings: readonly string[];
}

/**
 * The gateway's root module, built from parts opened before Nest boots (database with its
 * migrations, keys, the exchange runtime), so a wrong setting stops start-up with a clear
 * message instead of a half-started service. Every route is behind RolesGuard.
 */
@Module({})
export class GatewayModule {
  static create(parts: GatewayParts): DynamicModule {
    const rateLimits = new RateLimitPolicy(parts.apiKeys, parts.settings.rateLimits);
    return {
      module: GatewayModule,
      imports: [SecurityHeadersModule, TerminusModule.forRoot({ errorLogStyle: 'json' })],
      controllers: [HealthController, JwksController, RegisterController, OutboxController, AuditController, DlqController, MetricsController, RecognitionController, SnapshotController,
        IdentityController, PartnersController, InboundController, AuditChainController, TestRunReportsController, ConsoleController, KeysController],
      providers: [
        { provide: GATEWAY_SETTINGS, useValue: parts.settings },
        { provide: DATA_SOURCE, useValue: parts.dataSource },
        { provide: KEY_STORE, useValue: parts.keyStore },
        { provide: KEY_RELOADER, useValue: parts.keyReloader },
        { provide: EXCHANGE_RUNTIME, useValue: parts.exchange },
        { provide: GATEWAY_AUDIT, useValue: parts.exchange.audit },
        { provide: API_KEYS, useValue: parts.apiKeys },
        { provide: RECOGNITION, useValue: parts.recognition },
        { provide: STARTUP_WARNINGS, useValue: parts.warnings },
        ReadinessIndicators,
        { provide: RateLimitPolicy, useValue: rateLimits },
        // Before RolesGuard: callers without a valid key are limited too (per IP).
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_INTERCEPTOR, useClass: InputValidationInterceptor },
        { provide: APP_FILTER, useClass: GatewayErrorFilter },
      ],
    };
  }
}
