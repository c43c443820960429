/**
 * The JWS and JWE on node:crypto against an independent implementation, python3-jwcrypto
 * (Debian's /usr/bin/python3), both ways, for every signature algorithm of the profile and
 * both recipient curves: what MessageSealer seals, jwcrypto decrypts and verifies with only our
 * public JWKS; what jwcrypto signs and encrypts (as a partner would), MessageVerifier opens.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { repoPath } from '@aeo/config';
import { GatewayError } from '@aeo/domain';
import {
  ENCRYPTION_CURVES,
  MessageSealer,
  PartnerKeyRegistry,
  SIGNATURE_ALGORITHMS,
  buildJwsHeader,
  type EncryptionCurve,
  type SignatureAlgorithm,
} from '@aeo/trust';
import {
  clockAt,
  homeKeyRing,
  homePublicJwks,
  homeVerifier,
  NOW,
  partnerContext,
  partnerPublicJwks,
  SAMPLE_PAYLOAD,
  security,
} from './support/trust-fixtures.js';

const PYTHON = '/usr/bin/python3';
const CHECKER = repoPath('test', 'trust', 'support', 'jwcrypto_check.py');
const SEALER = repoPath('test', 'trust', 'support', 'jwcrypto_seal.py');
const CN_PRIVATE = repoPath('test', 'keys', 'partners', 'cn', 'private.jwks.json');

const ENCRYPTED = security({
  encryption: { required: true, keyManagementAlgorithm: 'ECDH-ES+A256KW', contentEncryption: 'A256GCM' },
});
const PAIRS = SIGNATURE_ALGORITHMS.flatMap((alg) => ENCRYPTION_CURVES.map((curve) => [alg, curve] as const));

const dir = mkdtempSync(join(tmpdir(), 'mra-jwcrypto-native-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function python(script: string, args: string[]): { status: number | null; result: Record<string, unknown> } {
  const run = spawnSync(PYTHON, ['-W', 'ignore', script, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  return {
    status: run.status,
    result: JSON.parse(run.stdout.trim().split('\n').pop() || '{}') as Record<string, unknown>,
  };
}

const curveTag = (curve: EncryptionCurve) => (curve === 'X25519' ? 'x25519' : 'p256');

describe('MessageSealer (node:crypto) → python3-jwcrypto', () => {
  it.each(PAIRS)('%s signed, encrypted to a %s key: jwcrypto decrypts and verifies', async (alg, curve) => {
    // cn's JWKS with only its encryption key on this curve, so the sealer must use it.
    const cnKeys = partnerPublicJwks('cn').keys.filter((k) => k.use !== 'enc' || k.crv === curve);
    const sealer = new MessageSealer({
      ourProgramme: 'KZ-SRC',
      signingKeys: await homeKeyRing(),
      partnerKeys: await PartnerKeyRegistry.fromJwks({ cn: { keys: cnKeys } }),
      clock: clockAt(),
    });
    const messageId = randomUUID();
    const { token, report } = await sealer.seal({
      payload: SAMPLE_PAYLOAD,
      partner: partnerContext('cn', { security: { ...ENCRYPTED, outboundSignatureAlgorithm: alg } }),
      messageId,
      messageType: 'AEO_STATUS_DELTA',
    });
    expect(report).toMatchObject({ alg, encryptionKid: `cn-sim-enc-${curveTag(curve)}-2025` });

    const { status, result } = python(CHECKER, [
      file(`ours-jwks-${alg}-${curve}.json`, JSON.stringify(homePublicJwks())),
      file(`ours-${alg}-${curve}.jwe`, token),
      CN_PRIVATE,
    ]);
    expect(result.error).toBeUndefined();
    expect(status).toBe(0);
    expect(result).toMatchObject({
      valid: true,
      jwe: {
        alg: 'ECDH-ES+A256KW',
        enc: 'A256GCM',
        kid: `cn-sim-enc-${curveTag(curve)}-2025`,
        epk: { crv: curve },
      },
      header: { alg, kid: report.kid, jti: messageId, aud: 'CN-GACC', iss: 'KZ-SRC' },
    });
    expect(result.payload).toBe(Buffer.from(SAMPLE_PAYLOAD).toString('utf8'));
  });
});

describe('python3-jwcrypto → MessageVerifier (node:crypto)', () => {
  function sealedByJwcrypto(alg: SignatureAlgorithm, curve: EncryptionCurve): { jws: string; jwe: string } {
    const {
      alg: _alg,
      kid: _kid,
      ...header
    } = buildJwsHeader(
      {
        contentType: 'application/xml',
        messageId: randomUUID(),
        messageType: 'AEO_STATUS_DELTA',
        issuer: 'CN-GACC',
        audience: 'KZ-SRC',
        issuedAt: NOW,
      },
      alg,
      '-',
    );
    const { status, result } = python(SEALER, [
      CN_PRIVATE,
      `cn-sim-sig-${alg.toLowerCase()}-2025`,
      file('home-public.jwks.json', JSON.stringify(homePublicJwks())),
      `kz-src-test-enc-${curveTag(curve)}-2025`,
      file(`header-${alg}-${curve}.json`, JSON.stringify(header)),
      file('payload.xml', SAMPLE_PAYLOAD),
    ]);
    expect(result.error).toBeUndefined();
    expect(status).toBe(0);
    return result as { jws: string; jwe: string };
  }

  it.each(PAIRS)('%s signed, encrypted to our %s key: the verifier opens it', async (alg, curve) => {
    const { jwe } = sealedByJwcrypto(alg, curve);
    const { payload, report } = await (
      await homeVerifier()
    ).verify(jwe, partnerContext('cn', { security: ENCRYPTED }));
    expect(Buffer.from(payload).equals(Buffer.from(SAMPLE_PAYLOAD))).toBe(true);
    expect(report).toMatchObject({
      alg,
      kid: `cn-sim-sig-${alg.toLowerCase()}-2025`,
      encrypted: true,
      encryptionKid: `kz-src-test-enc-${curveTag(curve)}-2025`,
    });
  });

  it.each(ENCRYPTION_CURVES.map((curve) => [curve]))(
    '%s: a jwcrypto token with a flipped tag or signature is refused with the usual reason codes',
    async (curve) => {
      const { jws, jwe } = sealedByJwcrypto('ES256', curve);
      const parts = jwe.split('.');
      const tag = Buffer.from(parts[4], 'base64url');
      tag[0] ^= 0x01;
      parts[4] = tag.toString('base64url');
      const verifier = await homeVerifier();
      const context = partnerContext('cn', { security: ENCRYPTED });
      const codeOf = (token: string, on = context) =>
        verifier.verify(token, on).then(
          () => 'accepted',
          (e: unknown) => (e instanceof GatewayError ? e.code : String(e)),
        );
      expect(await codeOf(parts.join('.'))).toBe('JWE_DECRYPTION_FAILED');
      const [h, p, s] = jws.split('.');
      const signature = Buffer.from(s, 'base64url');
      signature[5] ^= 0x01;
      expect(await codeOf(`${h}.${p}.${signature.toString('base64url')}`, partnerContext('cn'))).toBe(
        'SIGNATURE_INVALID',
      );
    },
  );
});
