import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { SettingError } from '@aeo/config';
import { KEY_TYPE_NAMES, KeyStore, keyState, type Clock, type KeyRing } from '@aeo/trust';

export interface GatewayKeys {
  readonly store: KeyStore;
  readonly ring: KeyRing;
  readonly warnings: readonly string[];
}

/**
 * Our keys for the running gateway. Production (NODE_ENV=production) needs MRA_KEY_PASSPHRASE
 * and keys made beforehand with `mra keys generate`. Elsewhere, so that `npm start` works on
 * a fresh machine, a missing passphrase is replaced by a random one kept in
 * <keys dir>/.dev-passphrase (0600) and missing key types are generated — both reported as
 * warnings on start-up and in /health, never silently.
 */
export async function openGatewayKeys(env: NodeJS.ProcessEnv, clock: Clock): Promise<GatewayKeys> {
  const dir = resolve(env.MRA_KEYS_DIR || './keys');
  const production = env.NODE_ENV === 'production';
  const warnings: string[] = [];
  let passphrase = env.MRA_KEY_PASSPHRASE;
  if (!passphrase) {
    if (production) throw new SettingError('MRA_KEY_PASSPHRASE', 'the passphrase that unlocks our private keys', undefined, true);
    passphrase = developmentPassphrase(dir);
    warnings.push(`development passphrase in ${join(dir, '.dev-passphrase')}: set MRA_KEY_PASSPHRASE in production`);
  }
  const store = new KeyStore({ dir, passphrase, clock });
  const now = clock.now();
  for (const type of KEY_TYPE_NAMES) {
    const usable = store.list().some((record) => record.type === type && ['active', 'pending'].includes(keyState(record, now)));
    if (usable) continue;
    if (production) throw new SettingError('MRA_KEYS_DIR', `a ${type} key (run: mra keys generate --type ${type})`, dir);
    const created = await store.generate({ type });
    warnings.push(`generated ${type} key ${created.kid} (first start)`);
  }
  return { store, ring: await store.open(), warnings };
}

function developmentPassphrase(dir: string): string {
  const file = join(dir, '.dev-passphrase');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const passphrase = randomBytes(24).toString('base64url');
  writeFileSync(file, `${passphrase}\n`, { mode: 0o600, flag: 'wx' });
  return passphrase;
}
