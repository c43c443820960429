/** The committed TEST-ONLY home keys (test/keys/home), unlocked, for runtimes built inside a test. */
import { readFileSync } from 'node:fs';
import { repoPath } from '@aeo/config';
import { KeyRing } from '@aeo/trust';

export function testHomeKeyRing(): Promise<KeyRing> {
  return KeyRing.fromPrivateJwks(JSON.parse(readFileSync(repoPath('test', 'keys', 'home', 'private.jwks.json'), 'utf8')) as { keys: Record<string, unknown>[] });
}
