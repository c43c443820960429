/**
 * `mra` with only the trust commands, wired to the CLI test partner, for subprocess tests:
 * run with `node --import tsx test/trust/support/mra-trust-cli.ts <args>`. The key store
 * comes from MRA_KEYS_DIR / MRA_KEY_PASSPHRASE as in the real CLI; the partner's JWKS file
 * is MRA_TEST_PARTNER_JWKS (a scratch copy, so `keys import` never touches config/).
 */
import { Command } from 'commander';
import { keyStoreFromEnv, loadPartnerKeyRegistry, systemClock } from '@aeo/trust';
import { registerKeysCommands } from '../../../apps/cli/src/commands/keys.js';
import { registerSignCommands } from '../../../apps/cli/src/commands/sign.js';
import type { SignCliDeps } from '../../../apps/cli/src/commands/trust-cli-deps.js';
import { registerVerifyCommands } from '../../../apps/cli/src/commands/verify.js';
import { CLI_TEST_PROFILE, cliTestAdapter } from './cli-test-partner.js';

const partnerJwks = process.env.MRA_TEST_PARTNER_JWKS;
if (!partnerJwks) throw new Error('MRA_TEST_PARTNER_JWKS is not set');

const deps: SignCliDeps = {
  clock: systemClock,
  keyStore: () => keyStoreFromEnv(),
  partnerCodes: () => ['cn'],
  profileFor: () => CLI_TEST_PROFILE,
  partnerKeys: (overrides) =>
    loadPartnerKeyRegistry({ partners: [], overrides: { cn: partnerJwks, ...overrides } }),
  jwksPathFor: () => partnerJwks,
  adapterFor: () => cliTestAdapter,
};

const program = new Command('mra').exitOverride((error) => {
  process.exit(error.exitCode === 0 ? 0 : 64);
});
registerKeysCommands(program, deps);
registerSignCommands(program, deps);
registerVerifyCommands(program, deps);
await program.parseAsync(process.argv);
