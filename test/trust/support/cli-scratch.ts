import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '@aeo/config';
import { TEST_PASSPHRASE } from './manual-clock.js';

/** A scratch directory with its own key store and a copy of cn's JWKS, and the env that points the CLI at them. */
export interface CliScratch {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly partnerJwks: string;
  path(name: string): string;
  remove(): void;
}

export function cliScratch(): CliScratch {
  const dir = mkdtempSync(join(tmpdir(), 'mra-cli-'));
  const partnerJwks = join(dir, 'cn.jwks.json');
  copyFileSync(repoPath('config', 'partners', 'keys', 'cn.jwks.json'), partnerJwks);
  return {
    dir,
    partnerJwks,
    env: {
      MRA_KEYS_DIR: join(dir, 'keys'),
      MRA_KEY_PASSPHRASE: TEST_PASSPHRASE,
      MRA_TEST_PARTNER_JWKS: partnerJwks,
    },
    path: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
