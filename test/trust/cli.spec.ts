/**
 * `mra keys`, `mra jwks`, `mra sign` and `mra verify` as an operator runs them: real child
 * processes, real stdout/stderr and exit codes, a scratch key store, the CLI test partner.
 */
import { statSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeJson } from '@aeo/codecs';
import { homeRecord, message } from '../support/builders.js';
import { cliScratch, type CliScratch } from './support/cli-scratch.js';
import { runMra, stderrJson } from './support/run-mra.js';
import { partnerPublicJwks, SAMPLE_PAYLOAD, tokenFromPartner } from './support/trust-fixtures.js';

let scratch: CliScratch;
let published: { keys: Record<string, unknown>[] };
const mra = (args: string[], input?: Uint8Array | string, env: NodeJS.ProcessEnv = {}) =>
  runMra(args, { env: { ...scratch.env, ...env }, ...(input === undefined ? {} : { input }) });

beforeAll(async () => {
  scratch = cliScratch();
  const generated = await mra(['keys', 'generate']);
  expect(generated.status).toBe(0);
  published = JSON.parse((await mra(['jwks'])).stdout.toString('utf8'));
}, 60_000);

afterAll(() => scratch?.remove());

/** What the simulated cn partner would send us now, encrypted to our published key. */
const fromCn = (options: { at?: Date; messageId?: string } = {}) =>
  tokenFromPartner('cn', {
    encrypt: true,
    ourJwks: published,
    contentType: 'application/json',
    at: options.at ?? new Date(),
    ...(options.messageId ? { messageId: options.messageId } : {}),
  });

describe('mra keys and mra jwks', () => {
  it('generated one key of each type, sealed in 0600 files; a second generate creates nothing', async () => {
    expect(published.keys.map((k) => `${k.alg as string}/${k.crv as string}`).sort()).toEqual(
      [
        'ECDH-ES+A256KW/P-256',
        'ECDH-ES+A256KW/X25519',
        'EdDSA/Ed25519',
        'ES256/P-256',
        'PS256/undefined',
      ].sort(),
    );
    expect(JSON.stringify(published)).not.toMatch(/"(d|p|q|dp|dq|qi)"\s*:/);
    for (const key of published.keys)
      expect(statSync(`${scratch.env.MRA_KEYS_DIR}/${key.kid as string}.json`).mode & 0o777).toBe(0o600);
    const again = await mra(['keys', 'generate']);
    expect(JSON.parse(again.stdout.toString('utf8'))).toMatchObject({
      created: [],
      alreadyHeld: ['sig-eddsa', 'sig-es256', 'sig-ps256', 'enc-p256', 'enc-x25519'],
    });
  }, 60_000);

  it('refuses to create private keys without MRA_KEY_PASSPHRASE (exit 1), but lists keys without it', async () => {
    const [refused, listed] = await Promise.all([
      mra(['keys', 'generate', '--type', 'sig-es256'], undefined, { MRA_KEY_PASSPHRASE: '' }),
      mra(['keys', 'list'], undefined, { MRA_KEY_PASSPHRASE: '' }),
    ]);
    expect(refused.status).toBe(1);
    expect(stderrJson(refused)[0]).toMatchObject({
      error: { message: expect.stringMatching(/MRA_KEY_PASSPHRASE is not set/) },
    });
    expect(listed.status).toBe(0);
    const lines = listed.stdout.toString('utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^kid\s+type\s+state\s+activatesAt\s+retiresAt\s+daysToExpiry\s+warning$/);
    expect(lines.slice(1).every((line) => /\sactive\s/.test(line))).toBe(true);
    expect(lines).toHaveLength(6);
  }, 60_000);

  it('imports a partner JWKS by merging it, and refuses one with private key material (exit 2)', async () => {
    const renewed = {
      keys: partnerPublicJwks('cn').keys.map((k) =>
        k.alg === 'ES256' ? { ...k, mra_retires_at: '2027-12-31T00:00:00Z' } : k,
      ),
    };
    writeFileSync(scratch.path('renewed.jwks.json'), JSON.stringify(renewed));
    writeFileSync(
      scratch.path('leaky.jwks.json'),
      JSON.stringify({ keys: [{ ...renewed.keys[1], d: 'AAAA' }] }),
    );
    const [imported, leaky] = await Promise.all([
      mra(['keys', 'import', '--partner', 'cn', scratch.path('renewed.jwks.json')]),
      mra(['keys', 'import', '--partner', 'cn', scratch.path('leaky.jwks.json')]),
    ]);
    expect(imported.status).toBe(0);
    expect(JSON.parse(imported.stdout.toString('utf8'))).toMatchObject({
      partner: 'cn',
      updated: ['cn-sim-sig-es256-2025'],
      file: scratch.partnerJwks,
    });
    expect(leaky.status).toBe(2);
    expect(stderrJson(leaky)[0]).toMatchObject({ error: { code: 'PARTNER_KEYS_INVALID' } });
  }, 60_000);
});

describe('mra sign', () => {
  it('refuses a message that is not ours to send to that partner', async () => {
    const toKorea = message(
      'AEO_STATUS_DELTA',
      { programme: 'KZ-SRC', records: [homeRecord()] },
      { recipient: 'KR-KCS' },
    );
    const result = await mra(['sign', '--partner', 'cn', '-'], encodeJson(toKorea));
    expect(result.status).toBe(2);
    expect(stderrJson(result)[0]).toMatchObject({
      error: { code: 'WRONG_RECIPIENT', path: '/envelope/recipient' },
    });
  }, 60_000);
});

describe('mra verify', () => {
  it('prints the verified payload on stdout and the report on stderr', async () => {
    const token = await fromCn();
    const result = await mra(['verify', '--partner', 'cn', '-'], `${token}\n`);
    expect(result.status).toBe(0);
    expect(result.stdout.equals(Buffer.from(SAMPLE_PAYLOAD))).toBe(true);
    expect(stderrJson(result)[0]).toMatchObject({
      verification: {
        valid: true,
        partner: 'cn',
        kid: 'cn-sim-sig-es256-2025',
        iss: 'CN-GACC',
        aud: 'KZ-SRC',
        encrypted: true,
        encryptionKid: expect.stringMatching(/^kz-src-enc-(p256|x25519)-/),
      },
    });
  }, 60_000);

  it('exits 2 with the reason code: tampered, stale, not encrypted, unknown key', async () => {
    const token = await fromCn();
    const parts = token.split('.');
    parts[3] = `${parts[3].slice(0, 10)}${parts[3][10] === 'A' ? 'B' : 'A'}${parts[3].slice(11)}`;
    const bare = await tokenFromPartner('cn', { contentType: 'application/json', at: new Date() });
    writeFileSync(scratch.path('kr.jwks.json'), JSON.stringify(partnerPublicJwks('kr')));
    const results = await Promise.all([
      mra(['verify', '--partner', 'cn'], parts.join('.')),
      mra(['verify', '--partner', 'cn', '--at', new Date(Date.now() + 3 * 86_400_000).toISOString()], token),
      mra(['verify', '--partner', 'cn'], bare),
      mra(['verify', '--partner', 'cn', '--jwks', scratch.path('kr.jwks.json')], token),
    ]);
    expect(results.map((r) => r.status)).toEqual([2, 2, 2, 2]);
    expect(results.map((r) => (stderrJson(r)[0] as { error: { code: string } }).error.code)).toEqual([
      'JWE_DECRYPTION_FAILED',
      'MESSAGE_TOO_OLD',
      'ENCRYPTION_REQUIRED',
      'KEY_UNKNOWN',
    ]);
    expect(results.every((r) => r.stdout.length === 0)).toBe(true);
  }, 60_000);

  it('never records message ids: verifying the same message twice by hand succeeds twice', async () => {
    const token = await fromCn();
    const [first, second] = [
      await mra(['verify', '--partner', 'cn'], token),
      await mra(['verify', '--partner', 'cn'], token),
    ];
    expect([first.status, second.status]).toEqual([0, 0]);
  }, 60_000);
});
