import { integerSetting } from './env-settings.js';

/**
 * Requests per second. An API key (counted by its name) gets its role's budget; callers
 * without a valid key are counted per client IP, so guessing keys is slow; /health and the
 * JWKS have their own generous per-IP budget because load balancers and partners poll them.
 */
export interface RateLimits {
  readonly operator: number;
  readonly auditor: number;
  readonly 'risk-system': number;
  readonly 'security-officer': number;
  readonly unauthenticated: number;
  readonly public: number;
}

const MAX_PER_SECOND = 1_000_000;

/** Recognition on arrival runs at 2,000/s at the border: the risk system's default leaves headroom above that. */
export function loadRateLimits(env: Readonly<Record<string, string | undefined>>): RateLimits {
  return {
    operator: integerSetting(env, 'MRA_RATE_LIMIT_OPERATOR', 50, 1, MAX_PER_SECOND),
    auditor: integerSetting(env, 'MRA_RATE_LIMIT_AUDITOR', 50, 1, MAX_PER_SECOND),
    'risk-system': integerSetting(env, 'MRA_RATE_LIMIT_RISK_SYSTEM', 5_000, 1, MAX_PER_SECOND),
    'security-officer': integerSetting(env, 'MRA_RATE_LIMIT_SECURITY_OFFICER', 50, 1, MAX_PER_SECOND),
    unauthenticated: integerSetting(env, 'MRA_RATE_LIMIT_UNAUTHENTICATED', 10, 1, MAX_PER_SECOND),
    public: integerSetting(env, 'MRA_RATE_LIMIT_PUBLIC', 500, 1, MAX_PER_SECOND),
  };
}
