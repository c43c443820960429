import 'reflect-metadata';
import { createLogger, lifecycleLogger } from '@aeo/observability';
import { startGateway, type RunningGateway } from './gateway.js';

let gateway: RunningGateway;
try {
  gateway = await startGateway();
} catch (error) {
  // Settings are not trusted yet (a wrong MRA_LOG_LEVEL may be the very error): a start-up failure is always reported.
  createLogger({ level: 'fatal' }).fatal({ err: error }, 'gateway failed to start');
  process.exit(1);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    lifecycleLogger(gateway.logger).info({ signal }, 'gateway stopping');
    void gateway.close().then(() => process.exit(0));
  });
}
// SIGHUP reloads our key store and the partners' JWKS (after `mra keys rotate` or `import`).
process.on('SIGHUP', () => {
  gateway.reloadKeys('SIGHUP', 'SIGHUP').then(
    (report) => gateway.logger.warn({ signingKids: report.signingKids, partnerKeys: report.partnerKeys }, 'keys reloaded'),
    (error: unknown) => gateway.logger.error({ err: error }, 'key reload refused; the keys in use are kept'),
  );
});
