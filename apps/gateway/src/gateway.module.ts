import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { GatewaySettings } from '@aeo/config';
import type { KeyStore } from '@aeo/trust';
import type { DataSource } from 'typeorm';
import type { ApiKeys } from './auth/api-keys.js';
import { RolesGuard } from './auth/roles.guard.js';
import type { ExchangeRuntime } from '@aeo/runtime';
import { HealthController } from './health/health.controller.js';
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
import { API_KEYS, DATA_SOURCE, EXCHANGE_RUNTIME, GATEWAY_AUDIT, GATEWAY_SETTINGS, KEY_STORE, RECOGNITION, STARTUP_WARNINGS } from './tokens.js';

export interface GatewayParts {
  readonly settings: GatewaySettings;
  readonly dataSource: DataSource;
  readonly keyStore: KeyStore;
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
    return {
      module: GatewayModule,
      controllers: [HealthController, JwksController, RegisterController, OutboxController, AuditController, DlqController, MetricsController, RecognitionController, SnapshotController],
      providers: [
        { provide: GATEWAY_SETTINGS, useValue: parts.settings },
        { provide: DATA_SOURCE, useValue: parts.dataSource },
        { provide: KEY_STORE, useValue: parts.keyStore },
        { provide: EXCHANGE_RUNTIME, useValue: parts.exchange },
        { provide: GATEWAY_AUDIT, useValue: parts.exchange.audit },
        { provide: API_KEYS, useValue: parts.apiKeys },
        { provide: RECOGNITION, useValue: parts.recognition },
        { provide: STARTUP_WARNINGS, useValue: parts.warnings },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_FILTER, useClass: GatewayErrorFilter },
      ],
    };
  }
}
