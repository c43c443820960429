import { enumSetting, integerSetting, stringSetting, urlSetting } from './env-settings.js';

export interface GatewaySettings {
  readonly host: string;
  readonly port: number;
  readonly databaseUrl: string;
  readonly amqpUrl: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** The gateway's settings; every default works on a fresh machine with RabbitMQ on localhost. */
export function loadGatewaySettings(env: Readonly<Record<string, string | undefined>> = process.env): GatewaySettings {
  return {
    host: stringSetting(env, 'HOST', '127.0.0.1'),
    port: integerSetting(env, 'PORT', 8080, 0, 65535),
    databaseUrl: urlSetting(env, 'DATABASE_URL', 'sqlite:./data/gateway.db', ['sqlite', 'postgres', 'postgresql']),
    amqpUrl: urlSetting(env, 'AMQP_URL', 'amqp://guest:guest@127.0.0.1:5672', ['amqp', 'amqps']),
    logLevel: enumSetting(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
  };
}
