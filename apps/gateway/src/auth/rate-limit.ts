import { HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { RateLimits } from '@aeo/config';
import type { ApiKeys, ApiPrincipal } from './api-keys.js';
import { bearerToken } from './credentials.js';
import { Public } from './roles.guard.js';

/** Every budget is per second. */
const WINDOW_MS = 1_000;
/** Counters of callers idle for a window are dropped once there are this many. */
const SWEEP_ABOVE = 10_000;
const PUBLIC_METADATA = Public().KEY;

/** Who a request is counted against, and how many requests per second that caller has. */
export interface RateBucket {
  readonly key: string;
  readonly limit: number;
}

export interface Spent {
  readonly allowed: boolean;
  readonly retryAfterSeconds: number;
}

/** The parts of an Express request the policy reads. */
interface RateLimitedRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly ip?: string;
}

/**
 * One fixed one-second window per caller: O(1) per request and a few bytes per caller, which
 * matters at the border's 2,000 recognitions a second. A caller over budget is refused until
 * its window ends.
 */
class WindowCounters {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  spend(bucket: RateBucket, now: number): Spent {
    let window = this.windows.get(bucket.key);
    if (!window || now - window.start >= WINDOW_MS) {
      this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.set(bucket.key, window);
    }
    window.count += 1;
    if (window.count <= bucket.limit) return { allowed: true, retryAfterSeconds: 0 };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000)) };
  }

  private sweep(now: number): void {
    if (this.windows.size < SWEEP_ABOVE || now - this.lastSweep < WINDOW_MS) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (now - window.start >= WINDOW_MS) this.windows.delete(key);
  }
}

/**
 * Which budget a request spends. A valid API key spends its own budget (by key name, so two
 * risk systems do not starve each other) at its role's rate; anything else spends its client
 * IP's budget: the small `unauthenticated` one, so guessing keys is slow, or the generous
 * `public` one on routes marked @Public (health, JWKS). Counters live in this instance's
 * memory: with N instances behind a balancer a caller gets up to N times its budget.
 */
export class RateLimitPolicy {
  private readonly counters = new WindowCounters();
  private readonly buckets = new WeakMap<object, RateBucket>();

  constructor(
    private readonly keys: ApiKeys,
    readonly limits: RateLimits,
    private readonly now: () => number = Date.now,
  ) {}

  forPrincipal(principal: ApiPrincipal | undefined, request: RateLimitedRequest): RateBucket {
    return principal
      ? { key: `key:${principal.name}`, limit: this.limits[principal.role] }
      : { key: `anonymous:${clientAddress(request.ip)}`, limit: this.limits.unauthenticated };
  }

  forPublic(request: RateLimitedRequest): RateBucket {
    return { key: `public:${clientAddress(request.ip)}`, limit: this.limits.public };
  }

  /** The bucket of a request that reached a Nest route. */
  bucketFor(context: ExecutionContext): RateBucket {
    const request = context.switchToHttp().getRequest<RateLimitedRequest>();
    let bucket = this.buckets.get(request);
    if (!bucket) {
      const isPublic = [context.getHandler(), context.getClass()].some((target) => Reflect.getMetadata(PUBLIC_METADATA, target) === true);
      if (isPublic) bucket = this.forPublic(request);
      else {
        const header = request.headers.authorization;
        const token = bearerToken(typeof header === 'string' ? header : undefined);
        bucket = this.forPrincipal(token ? this.keys.authenticate(token) : undefined, request);
      }
      this.buckets.set(request, bucket);
    }
    return bucket;
  }

  spend(bucket: RateBucket): Spent {
    return this.counters.spend(bucket, this.now());
  }
}

/**
 * IPv4 as is (also when IPv4-mapped); IPv6 by its /64 prefix, because one host usually
 * holds a whole /64 and could otherwise take a fresh budget per address.
 */
export function clientAddress(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!ip.includes(':')) return ip;
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export function rateLimitedBody(limit: number, retryAfterSeconds: number) {
  return { error: { code: 'RATE_LIMITED', message: `more than ${limit} requests per second; retry after ${retryAfterSeconds} s` } };
}

interface HeaderResponse {
  setHeader(name: string, value: string): void;
}

/**
 * Registered before RolesGuard, so callers without a valid key are limited too. A refusal is
 * 429 with Retry-After and the API's error body.
 *
 * Why not @nestjs/throttler: v6 is CommonJS and requires the ESM-only @nestjs/common 12,
 * which Jest cannot do on Node 20 (no require(esm) before Node 24.9), so the gateway could no
 * longer be started in-process by the integration tests.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(@Inject(RateLimitPolicy) private readonly policy: RateLimitPolicy) {}

  canActivate(context: ExecutionContext): boolean {
    const bucket = this.policy.bucketFor(context);
    const spent = this.policy.spend(bucket);
    if (spent.allowed) return true;
    context.switchToHttp().getResponse<HeaderResponse>().setHeader('Retry-After', String(spent.retryAfterSeconds));
    throw new HttpException(rateLimitedBody(bucket.limit, spent.retryAfterSeconds), HttpStatus.TOO_MANY_REQUESTS);
  }
}
