import { availableParallelism } from 'node:os';
import { directorySetting, enumSetting, integerSetting, stringSetting, urlSetting } from './env-settings.js';
import { loadRateLimits, type RateLimits } from './rate-limit-settings.js';

export interface GatewaySettings {
  readonly host: string;
  readonly port: number;
  readonly databaseUrl: string;
  readonly amqpUrl: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Where `mra testrun` reports are kept; the console lists and serves files from here only. */
  readonly testrunReportsDir: string;
  readonly rateLimits: RateLimits;
  /** Worker threads for per-message sign/encrypt/decrypt/verify; 0 keeps them on the event loop. */
  readonly cryptoWorkers: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The gateway's settings; every default works on a fresh machine with RabbitMQ on localhost. */
export function loadGatewaySettings(env: Readonly<Record<string, string | undefined>> = process.env): GatewaySettings {
  return {
    host: stringSetting(env, 'HOST', '127.0.0.1'),
    port: integerSetting(env, 'PORT', 8080, 0, 65535),
    databaseUrl: urlSetting(env, 'DATABASE_URL', 'sqlite:./data/gateway.db', ['sqlite', 'postgres', 'postgresql']),
    amqpUrl: urlSetting(env, 'AMQP_URL', 'amqp://guest:guest@127.0.0.1:5672', ['amqp', 'amqps']),
    // MRA_LOG_LEVEL wins; LOG_LEVEL stays accepted so existing deployments and scripts keep their level.
    logLevel: env.MRA_LOG_LEVEL
      ? enumSetting(env, 'MRA_LOG_LEVEL', LOG_LEVELS, 'info')
      : enumSetting(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    testrunReportsDir: directorySetting(env, 'MRA_TESTRUN_REPORTS_DIR', 'var/testrun-reports'),
    rateLimits: loadRateLimits(env),
    cryptoWorkers: integerSetting(env, 'MRA_CRYPTO_WORKERS', defaultCryptoWorkers(availableParallelism()), 0, 16),
  };
}

/**
 * Crypto workers by default: the cores left after the event loop and one for the rest of the
 * host, at most 4. On 2 cores that is none: measured there with RabbitMQ and the database on
 * the same cores, a worker took the CPU they needed and the pipelines got no faster
 * (bench/README.md); on a host of its own the gateway gains the spare cores.
 */
export function defaultCryptoWorkers(cores: number): number {
  return Math.max(0, Math.min(4, cores - 2));
}
