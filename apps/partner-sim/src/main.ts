import { readFileSync } from 'node:fs';
import { repoPath } from '@aeo/config';
import { adapterFor, knownPartners } from '@aeo/partners';
import { Command } from 'commander';
import { startControlServer } from './control-server.js';
import { PartnerSimulator } from './partner-simulator.js';
import { loadSimulatorSettings, type SimulatorOptions } from './settings.js';

/** `partner-sim --partner cn`: a simulated partner administration (see README, "Conformance kit"). */
const options = new Command('partner-sim')
  .requiredOption('--partner <code>', 'partner to play: cn, kr, tr, eaeu')
  .option('--amqp <url>', 'RabbitMQ URL', process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672')
  .option('--prefix <prefix>', 'AMQP topology prefix', process.env.MRA_AMQP_PREFIX ?? 'mra')
  .option('--gateway-jwks <url-or-file>', "the gateway's JWKS", 'http://127.0.0.1:8080/.well-known/jwks.json')
  .option('--keys <file>', "the simulated partner's private JWKS (default test/keys/partners/<p>/private.jwks.json)")
  .option('--port <port>', 'control API port on 127.0.0.1 (0: any free port)', '0')
  .option('--register-size <n>', 'records in the fictional register', '20')
  .parse(process.argv)
  .opts<SimulatorOptions>();
const settings = loadSimulatorSettings(options, knownPartners());

async function loadJwks(source: string): Promise<unknown> {
  if (!/^https?:\/\//.test(source)) return JSON.parse(readFileSync(source, 'utf8'));
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(source);
      if (response.ok) return await response.json();
    } catch {
      // gateway not up yet
    }
    if (attempt >= 60) throw new Error(`cannot fetch the gateway JWKS from ${source}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const simulator = new PartnerSimulator({
  adapter: adapterFor(settings.partner),
  amqpUrl: settings.amqpUrl,
  prefix: settings.prefix,
  gatewayJwks: await loadJwks(settings.gatewayJwks),
  privateJwksFile: settings.keysFile ?? repoPath('test', 'keys', 'partners', settings.partner, 'private.jwks.json'),
  registerSize: settings.registerSize,
});
await simulator.start();
const server = await startControlServer(simulator, settings.port);
const address = server.address() as { port: number };
process.stdout.write(`${JSON.stringify({ event: 'ready', partner: settings.partner, control: `http://127.0.0.1:${address.port}` })}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void simulator.stop().then(() => process.exit(0));
  });
}
