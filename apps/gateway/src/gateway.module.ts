import { Module, type DynamicModule } from '@nestjs/common';
import type { GatewaySettings } from '@aeo/config';
import type { DataSource } from 'typeorm';
import { HealthController } from './health/health.controller.js';
import { DATA_SOURCE, GATEWAY_SETTINGS } from './tokens.js';

/**
 * The gateway's root module. Built from an already-open DataSource so that start-up fails
 * before Nest boots if the database or its migrations are not right.
 */
@Module({})
export class GatewayModule {
  static create(settings: GatewaySettings, dataSource: DataSource): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [HealthController],
      providers: [
        { provide: GATEWAY_SETTINGS, useValue: settings },
        { provide: DATA_SOURCE, useValue: dataSource },
      ],
    };
  }
}
