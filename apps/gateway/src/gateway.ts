import { loadGatewaySettings, maskUrl, type GatewaySettings } from '@aeo/config';
import { createRecognitionService, loadMraConfigs } from '@aeo/registry';
import { openGatewayDatabase } from '@aeo/schema';
import { LiveKeys, loadPartnerKeyRegistry, systemClock, type Clock } from '@aeo/trust';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { ApiKeys } from './auth/api-keys.js';
import { ExchangeRuntime } from '@aeo/runtime';
import { GatewayModule } from './gateway.module.js';
import { setupApiDocs } from './http/api-docs.js';
import { bodyParserErrors } from './http/body-parser-errors.js';
import { openGatewayKeys } from './keys/gateway-keys.js';
import { KeyReloader, type KeyReloadReport } from './keys/key-reloader.js';
import { DEFAULT_TOPOLOGY } from '@aeo/messaging';
import { createLogger, lifecycleLogger, type DestinationStream, type Logger } from '@aeo/observability';
import { NestPinoLogger } from './logging/nest-logger.js';
import { requestLogging } from './logging/request-logging.js';

export interface RunningGateway {
  readonly app: INestApplication;
  readonly exchange: ExchangeRuntime;
  readonly settings: GatewaySettings;
  readonly url: string;
  readonly logger: Logger;
  /** Reload our key store and the partners' JWKS without a restart (SIGHUP, POST /v1/keys/reload). */
  reloadKeys(actor: string, trigger: 'http' | 'SIGHUP'): Promise<KeyReloadReport>;
  close(): Promise<void>;
}

export interface GatewayStartOptions {
  /** Where the JSON log lines go (stdout by default); tests capture them. */
  readonly logDestination?: DestinationStream;
}

/**
 * Start a gateway: settings, database and migrations, keys, partner keys and MRA
 * configuration, the exchange runtime (consumers, relay, timers), then HTTP. Used by main.ts
 * and by end-to-end tests, so tests run exactly what production runs.
 */
export async function startGateway(env: NodeJS.ProcessEnv = process.env, clock: Clock = systemClock, options: GatewayStartOptions = {}): Promise<RunningGateway> {
  const settings = loadGatewaySettings(env);
  const logger = createLogger({ level: settings.logLevel, ...(options.logDestination ? { destination: options.logDestination } : {}) });
  const apiKeys = ApiKeys.fromEnv(env);
  const mra = loadMraConfigs();
  const keys = await openGatewayKeys(env, clock);
  // The sealer, verifier and checkpoint signer ask LiveKeys for a key at each use, so a reload
  // (SIGHUP or POST /v1/keys/reload) takes effect without a restart.
  const liveKeys = new LiveKeys(keys.ring, await loadPartnerKeyRegistry({ partners: [...mra.keys()] }));
  const dataSource = await openGatewayDatabase(settings.databaseUrl);
  const exchange = new ExchangeRuntime({
    dataSource,
    amqpUrl: settings.amqpUrl,
    topology: { ...DEFAULT_TOPOLOGY, prefix: env.MRA_AMQP_PREFIX || DEFAULT_TOPOLOGY.prefix, queueType: env.MRA_QUEUE_TYPE === 'quorum' ? 'quorum' : 'classic' },
    mra,
    keyRing: liveKeys,
    partnerKeys: liveKeys,
    clock,
    logger: logger.child({ component: 'exchange' }),
    cryptoWorkers: settings.cryptoWorkers,
  });
  await exchange.start();
  // Other instances' writes become visible within the coherence interval; the border does not wait longer.
  const recognition = createRecognitionService({ dataSource, mraConfigs: mra, coherenceIntervalMs: 500 });
  await recognition.start();
  const keyReloader = new KeyReloader(keys.store, liveKeys, [...mra.keys()], clock, exchange.audit);
  const warnings = [...keys.warnings, ...(apiKeys.size === 0 ? ['MRA_API_KEYS is empty: every /v1 endpoint refuses all callers'] : [])];
  const app = await NestFactory.create<NestExpressApplication>(
    GatewayModule.create({ settings, dataSource, keyStore: keys.store, keyReloader, exchange, apiKeys, recognition, warnings }),
    { logger: new NestPinoLogger(logger.child({ component: 'nest' })), bodyParser: false },
  );
  // First in the chain: the correlation id and its log context cover everything after it.
  app.use(requestLogging(logger.child({ component: 'http' })));
  // Size limit on everything that comes in: JSON bodies only, at most 2 MiB.
  app.useBodyParser('json', { limit: '2mb' });
  app.use(bodyParserErrors);
  setupApiDocs(app, apiKeys);

  await app.listen(settings.port, settings.host);
  const address = app.getHttpServer().address() as { port: number };
  for (const warning of warnings) logger.warn(warning);
  lifecycleLogger(logger).info({ url: `http://${settings.host}:${address.port}`, database: maskUrl(settings.databaseUrl), amqp: maskUrl(settings.amqpUrl) }, 'gateway started');
  return {
    app,
    exchange,
    settings,
    url: `http://${settings.host}:${address.port}`,
    logger,
    reloadKeys: (actor, trigger) => keyReloader.reload(actor, trigger),
    async close() {
      await app.close();
      await exchange.close();
      await dataSource.destroy();
      lifecycleLogger(logger).info('gateway stopped');
    },
  };
}
