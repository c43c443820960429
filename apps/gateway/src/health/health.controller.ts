import { Controller, Get, Inject } from '@nestjs/common';
import { OutboundMessageEntity } from '@aeo/exchange';
import { ownKeyExpiry, type KeyStore } from '@aeo/trust';
import { In, type DataSource } from 'typeorm';
import { Public } from '../auth/roles.guard.js';
import { DATA_SOURCE, KEY_STORE, STARTUP_WARNINGS } from '../tokens.js';

type Check = { status: 'up' | 'down'; detail?: unknown };

/** Liveness and dependency status; unauthenticated by design (load balancers call it). */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    @Inject(STARTUP_WARNINGS) private readonly warnings: readonly string[],
  ) {}

  @Get()
  @Public()
  async health(): Promise<{ status: 'ok' | 'degraded'; checks: Record<string, Check>; warnings: readonly string[] }> {
    const database: Check = await this.dataSource
      .query('SELECT 1')
      .then(() => ({ status: 'up' as const, detail: this.dataSource.options.type }))
      .catch((error: Error) => ({ status: 'down' as const, detail: error.message }));
    const outbox: Check = await this.dataSource
      .getRepository(OutboundMessageEntity)
      .countBy({ state: In(['QUEUED', 'RETRYING']) })
      .then((backlog) => ({ status: 'up' as const, detail: { backlog } }))
      .catch((error: Error) => ({ status: 'down' as const, detail: error.message }));
    const expiry = ownKeyExpiry(this.keys.list(), new Date());
    return {
      status: database.status === 'up' ? 'ok' : 'degraded',
      checks: { database, outbox, keys: { status: 'up', detail: expiry } },
      warnings: this.warnings,
    };
  }
}
