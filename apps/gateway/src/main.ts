import 'reflect-metadata';
import { startGateway } from './gateway.js';

const gateway = await startGateway();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void gateway.close().then(() => process.exit(0));
  });
}
