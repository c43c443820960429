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
  };
}
