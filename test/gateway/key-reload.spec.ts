/**
 * Keys reloaded without a restart: after `mra keys rotate` on disk, POST /v1/keys/reload (role
 * security-officer) swaps the new keys in, and the sealer signs with the new key from then on.
 * A store that would leave a key type without an active key is refused with a reason code;
 * the keys in use are kept. Both outcomes are audited.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { KeyStore, keyState } from '@aeo/trust';
import { call, startTestGateway, UNLIMITED, type TestGateway } from './support/in-process-gateway.js';

jest.setTimeout(120_000);

interface Report {
  signingKids: Record<string, string>;
  ourKeys: { kid: string; type: string; state: string }[];
}

describe('key reload', () => {
  const keysDir = mkdtempSync(join(tmpdir(), 'mra-key-reload-'));
  const passphrase = 'key-reload-test-passphrase';
  let gw: TestGateway;
  const store = () => new KeyStore({ dir: keysDir, passphrase });
  const inUse = () => call<Report>('GET', `${gw.url}/v1/keys`, { token: gw.tokens.auditor });
  const reload = (token: string) => call<Report & { error?: { code: string } }>('POST', `${gw.url}/v1/keys/reload`, { token });
  const audited = (outcome: string) =>
    gw.dataSource.query<{ actor: string; details: string }[]>(`SELECT actor, details FROM audit_entry WHERE type = 'OPERATOR_ACTION' AND outcome = '${outcome}' ORDER BY seq`);

  beforeAll(async () => {
    gw = await startTestGateway('keyreload', { env: { ...UNLIMITED, MRA_KEYS_DIR: keysDir, MRA_KEY_PASSPHRASE: passphrase } });
  });
  afterAll(async () => {
    await gw?.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('is for the security officer only', async () => {
    expect((await reload(gw.tokens.operator)).status).toBe(403);
    expect((await reload(gw.tokens.auditor)).status).toBe(403);
  });

  it('signs with a key rotated on disk once reloaded, audited with the kids now in use', async () => {
    const before = await reload(gw.tokens['security-officer']);
    expect(before.status).toBe(200);
    // A one-second overlap: the new key is published at once and signs a second later.
    const { previous, next } = await store().rotate({ type: 'sig-es256', overlapHours: 1 / 3600 });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next.activatesAt.getTime() - Date.now()) + 50));
    expect(before.body.signingKids.ES256).toBe(previous.kid);
    // On disk only: the running gateway still signs with the previous key.
    expect((await inUse()).body.signingKids.ES256).toBe(previous.kid);

    const after = await reload(gw.tokens['security-officer']);
    expect(after.status).toBe(200);
    expect(after.body.signingKids.ES256).toBe(next.kid);
    expect(after.body.ourKeys.map((k) => k.kid)).toEqual(expect.arrayContaining([previous.kid, next.kid]));
    expect((await inUse()).body.signingKids.ES256).toBe(next.kid);
    const entries = await audited('KEYS_RELOADED');
    expect(entries.at(-1)!.actor).toBe('security-officer');
    expect(JSON.parse(entries.at(-1)!.details)).toMatchObject({ trigger: 'http', signingKids: { ES256: next.kid } });
  });

  it('refuses a store that leaves a key type without an active key, keeping the keys in use', async () => {
    const keys = store();
    const eddsa = keys.list().filter((r) => r.type === 'sig-eddsa' && keyState(r, new Date()) === 'active');
    expect(eddsa).toHaveLength(1);
    for (const record of eddsa) keys.revoke(record.kid);

    const refused = await reload(gw.tokens['security-officer']);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'SIGNING_KEY_UNAVAILABLE' });
    const entries = await audited('KEYS_RELOAD_REFUSED');
    expect(JSON.parse(entries.at(-1)!.details)).toMatchObject({ trigger: 'http', code: 'SIGNING_KEY_UNAVAILABLE' });
    // The gateway still signs EdDSA with the key it had: nothing was swapped.
    expect((await inUse()).body.signingKids.EdDSA).toBe(eddsa[0].kid);
  });
});
