import { Controller, Get, Inject, UseFilters } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../auth/roles.guard.js';
import { STARTUP_WARNINGS } from '../tokens.js';
import { ReadinessIndicators } from './readiness.indicators.js';
import { TerminusBodyFilter } from './terminus-body.filter.js';

/**
 * How long one readiness answer is reused. The route is public and each check costs database
 * queries and a broker round trip (the dead-letter depth): probes arriving together share one
 * check, so a flood of anonymous requests cannot turn into database and broker load.
 */
export const READINESS_REUSE_MS = 1_000;

/** Liveness and readiness; unauthenticated by design (load balancers and orchestrators call them). */
@Controller('health')
export class HealthController {
  private readonly startedAt = Date.now();
  private lastReadiness: { readonly at: number; readonly answer: Promise<HealthCheckResult> } | undefined;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: ReadinessIndicators,
    @Inject(STARTUP_WARNINGS) private readonly warnings: readonly string[],
  ) {}

  /**
   * Liveness: 200 for as long as the process serves HTTP. It touches no dependency, so an
   * outage of the database or broker does not get a healthy process restarted (readiness
   * takes it out of rotation instead). The start-up warnings stay visible here.
   */
  @Get()
  @Public()
  live(): { status: 'ok'; uptimeSeconds: number; warnings: readonly string[] } {
    return { status: 'ok', uptimeSeconds: Math.floor((Date.now() - this.startedAt) / 1000), warnings: this.warnings };
  }

  /**
   * Readiness, in Terminus' format: 503 when a hard dependency is down (database, broker, an
   * expired key type); 200 `degraded` when something needs an operator but the instance can
   * still do its work (outbox backlog, parked messages, a silent partner, a key expiring soon).
   */
  @Get('ready')
  @Public()
  @UseFilters(TerminusBodyFilter)
  ready(): Promise<HealthCheckResult> {
    const now = Date.now();
    if (this.lastReadiness && now - this.lastReadiness.at < READINESS_REUSE_MS) return this.lastReadiness.answer;
    const answer = this.check();
    this.lastReadiness = { at: now, answer };
    return answer;
  }

  private check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.indicators.database(),
      () => this.indicators.broker(),
      () => this.indicators.ownKeys(),
      () => this.indicators.outboxBacklog(),
      () => this.indicators.deadLetters(),
      () => this.indicators.partnerReceipts(),
    ]);
  }
}
