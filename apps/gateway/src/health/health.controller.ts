import { Controller, Get, Inject } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../tokens.js';

export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly checks: Record<string, { status: 'up' | 'down'; detail?: string }>;
}

/** Liveness and dependency status; unauthenticated by design (load balancers call it). */
@Controller('health')
export class HealthController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  @Get()
  async health(): Promise<HealthReport> {
    const database = await this.dataSource
      .query('SELECT 1')
      .then(() => ({ status: 'up' as const, detail: this.dataSource.options.type }))
      .catch((error: Error) => ({ status: 'down' as const, detail: error.message }));
    return { status: database.status === 'up' ? 'ok' : 'degraded', checks: { database } };
  }
}
