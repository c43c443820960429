/**
 * Interoperability: a message signed by `mra sign` verifies with an independent JOSE
 * implementation (python3-jwcrypto) given only what `mra jwks` prints. Debian's
 * /usr/bin/python3 is used because the pyenv python3 first on PATH cannot see jwcrypto.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeJson } from '@aeo/codecs';
import { repoPath } from '@aeo/config';
import { homeRecord, message } from '../support/builders.js';
import { cliScratch, type CliScratch } from './support/cli-scratch.js';
import { runMra, stderrJson } from './support/run-mra.js';

const PYTHON = '/usr/bin/python3';
const CHECKER = repoPath('test', 'trust', 'support', 'jwcrypto_check.py');
const CN_PRIVATE_TEST_KEYS = repoPath('test', 'keys', 'partners', 'cn', 'private.jwks.json');

function jwcrypto(
  tokenFile: string,
  jwksFile: string,
  env: NodeJS.ProcessEnv = {},
): { status: number | null; result: Record<string, unknown> } {
  const run = spawnSync(PYTHON, [CHECKER, jwksFile, tokenFile, CN_PRIVATE_TEST_KEYS], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  return {
    status: run.status,
    result: JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>,
  };
}

let scratch: CliScratch;
const statusDelta = message(
  'AEO_STATUS_DELTA',
  { programme: 'KZ-SRC', records: [homeRecord({ status: 'SUSPENDED', statusEffectiveFrom: '2024-06-01' })] },
  { recipient: 'CN-GACC' },
);

beforeAll(async () => {
  scratch = cliScratch();
  expect((await runMra(['keys', 'generate'], { env: scratch.env })).status).toBe(0);
  const jwks = await runMra(['jwks'], { env: scratch.env });
  expect(jwks.status).toBe(0);
  writeFileSync(scratch.path('jwks.json'), jwks.stdout);
  writeFileSync(scratch.path('message.json'), encodeJson(statusDelta));
}, 60_000);

afterAll(() => scratch?.remove());

describe('mra sign → python3-jwcrypto with only mra jwks', () => {
  it('a signed message verifies, and carries our profile header', async () => {
    const signed = await runMra(['sign', '--partner', 'cn', '--sign-only', scratch.path('message.json')], {
      env: scratch.env,
    });
    expect(signed.status).toBe(0);
    expect(signed.stdout.toString('ascii')).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    writeFileSync(scratch.path('signed.jws'), signed.stdout);

    const { status, result } = jwcrypto(scratch.path('signed.jws'), scratch.path('jwks.json'));
    expect(status).toBe(0);
    expect(result.valid).toBe(true);
    expect(JSON.parse(result.payload as string)).toEqual(statusDelta);
    expect(result.header).toMatchObject({
      alg: 'ES256',
      typ: 'mra+jws',
      cty: 'application/json',
      iss: 'KZ-SRC',
      aud: 'CN-GACC',
      jti: statusDelta.envelope.messageId,
      mra_type: 'AEO_STATUS_DELTA',
      mra_profile: '1',
      crit: ['iss', 'aud', 'iat', 'jti', 'mra_type', 'mra_profile'],
    });
    const [report] = stderrJson(signed);
    expect(report).toMatchObject({
      signed: { kid: (result.header as { kid: string }).kid, encrypted: false },
    });
  }, 60_000);

  it('the message as it would be sent (sign-then-encrypt) decrypts with the partner key and verifies', async () => {
    const sent = await runMra(['sign', '--partner', 'cn', scratch.path('message.json')], {
      env: scratch.env,
    });
    expect(sent.status).toBe(0);
    expect(sent.stdout.toString('ascii').split('.')).toHaveLength(5);
    writeFileSync(scratch.path('sent.jwe'), sent.stdout);

    const { status, result } = jwcrypto(scratch.path('sent.jwe'), scratch.path('jwks.json'));
    expect(status).toBe(0);
    expect(result).toMatchObject({
      valid: true,
      // cn publishes X25519 and P-256 encryption keys of the same age: we encrypt to X25519.
      jwe: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'cn-sim-enc-x25519-2025', cty: 'mra+jws' },
    });
    expect(JSON.parse(result.payload as string)).toEqual(statusDelta);
  }, 60_000);

  it('the real mra (cn profile, GACC XML adapter) signs XML that jwcrypto verifies with mra jwks output', async () => {
    const real = { env: scratch.env, entry: 'real' as const };
    const [jwks, sent] = await Promise.all([
      runMra(['jwks'], real),
      runMra(['sign', '--partner', 'cn', scratch.path('message.json')], real),
    ]);
    expect([jwks.status, sent.status]).toEqual([0, 0]);
    writeFileSync(scratch.path('real-jwks.json'), jwks.stdout);
    writeFileSync(scratch.path('real-sent.jwe'), sent.stdout);

    const { status, result } = jwcrypto(scratch.path('real-sent.jwe'), scratch.path('real-jwks.json'));
    expect(status).toBe(0);
    expect(result).toMatchObject({
      valid: true,
      header: { cty: 'application/xml', aud: 'CN-GACC', jti: statusDelta.envelope.messageId },
    });
    expect(result.payload).toMatch(/^<\?xml /);
    expect(result.payload).toContain(statusDelta.envelope.messageId);
  }, 60_000);

  it('jwcrypto refuses a tampered message, and one whose critical members it was not told about', async () => {
    const signed = await runMra(['sign', '--partner', 'cn', '--sign-only', scratch.path('message.json')], {
      env: scratch.env,
    });
    const [header, payload, signature] = signed.stdout.toString('ascii').split('.') as [
      string,
      string,
      string,
    ];
    const altered = Buffer.from(payload, 'base64url').toString('utf8').replace('SUSPENDED', 'ACTIVE___');
    writeFileSync(
      scratch.path('tampered.jws'),
      `${header}.${Buffer.from(altered).toString('base64url')}.${signature}`,
    );
    expect(jwcrypto(scratch.path('tampered.jws'), scratch.path('jwks.json'))).toMatchObject({
      status: 1,
      result: { valid: false },
    });

    writeFileSync(scratch.path('intact.jws'), signed.stdout);
    const unaware = jwcrypto(scratch.path('intact.jws'), scratch.path('jwks.json'), {
      MRA_JWCRYPTO_IGNORE_PROFILE: '1',
    });
    expect(unaware.status).toBe(1);
    expect(unaware.result.error).toMatch(/critical header/i);
  }, 60_000);
});
