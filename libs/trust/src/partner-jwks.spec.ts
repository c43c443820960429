import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { GatewayError } from '@aeo/domain';
import {
  partnerPrivateJwks,
  partnerPublicJwks,
  SIMULATED_PARTNERS,
} from '../../../test/trust/support/trust-fixtures.js';
import { publicPartOf } from './jwk-keys.js';
import { importPartnerJwks, mergePartnerJwks } from './partner-key-files.js';
import { parsePartnerJwks } from './partner-jwks.js';
import { PartnerKeyRegistry } from './partner-key-registry.js';

const es256 = () => ({ ...partnerPublicJwks('cn').keys.find((k) => k.kid === 'cn-sim-sig-es256-2025')! });

function refusal(document: unknown): string {
  try {
    parsePartnerJwks(document, 'cn');
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('PARTNER_KEYS_INVALID');
    return (error as GatewayError).message;
  }
  throw new Error('the JWKS was accepted');
}

describe('partner JWKS files', () => {
  it.each(SIMULATED_PARTNERS)(
    'config/partners/keys/%s.jwks.json is the public half of the committed test keys',
    async (partner) => {
      const publicKeys = parsePartnerJwks(partnerPublicJwks(partner), partner);
      const privateKeys = partnerPrivateJwks(partner).keys;
      expect(publicKeys.map((k) => k.kid)).toEqual(privateKeys.map((k) => k.kid));
      publicKeys.forEach((key, i) => expect(publicPartOf(key.jwk)).toEqual(publicPartOf(privateKeys[i])));
      expect(
        (await PartnerKeyRegistry.fromJwks({ [partner]: partnerPublicJwks(partner) })).keysOf(partner),
      ).toHaveLength(5);
    },
  );

  it('reads the validity members as instants', () => {
    const [key] = parsePartnerJwks(
      {
        keys: [
          { ...es256(), mra_retires_at: '2027-01-01T00:00:00Z', mra_revoked_at: '2026-06-01T00:00:00Z' },
        ],
      },
      'cn',
    );
    expect(key.validity).toEqual({
      activatesAt: new Date('2025-01-01T00:00:00Z'),
      retiresAt: new Date('2027-01-01T00:00:00Z'),
      revokedAt: new Date('2026-06-01T00:00:00Z'),
    });
  });

  it.each([
    ['not a JWKS', { kid: 'x' }, /"keys" array/],
    ['a key without kid', { keys: [{ ...es256(), kid: undefined }] }, /kid/],
    ['the same kid twice', { keys: [es256(), es256()] }, /appears twice/],
    [
      'an HMAC key',
      { keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'h', alg: 'HS256', use: 'sig' }] },
      /not one of EdDSA/,
    ],
    ['alg none', { keys: [{ ...es256(), alg: 'none' }] }, /not one of/],
    ['use that does not fit alg', { keys: [{ ...es256(), use: 'enc' }] }, /must have use "sig"/],
    ['private key material', { keys: [{ ...es256(), d: 'AAAA' }] }, /private key material/],
    ['a P-384 key for ES256', { keys: [{ ...es256(), crv: 'P-384' }] }, /P-256/],
    [
      'an RSA key of 1024 bits',
      {
        keys: [
          {
            kty: 'RSA',
            n: Buffer.alloc(128, 1).toString('base64url'),
            e: 'AQAB',
            kid: 'r',
            alg: 'PS256',
            use: 'sig',
          },
        ],
      },
      /at least 2048/,
    ],
    [
      'an Ed448 key for EdDSA',
      { keys: [{ kty: 'OKP', crv: 'Ed448', x: 'AAAA', kid: 'e', alg: 'EdDSA', use: 'sig' }] },
      /Ed25519/,
    ],
    [
      'a validity date that is not an instant',
      { keys: [{ ...es256(), mra_retires_at: '2027-01-01' }] },
      /ISO-8601/,
    ],
    [
      'retirement before activation',
      { keys: [{ ...es256(), mra_retires_at: '2024-01-01T00:00:00Z' }] },
      /must be after/,
    ],
  ])('refuses %s', (_what, document, message) => {
    expect(refusal(document)).toMatch(message);
  });

  it('refuses key material that does not import (a point off the curve)', async () => {
    await expect(
      PartnerKeyRegistry.fromJwks({
        cn: { keys: [{ ...es256(), x: Buffer.alloc(32, 7).toString('base64url') }] },
      }),
    ).rejects.toMatchObject({
      code: 'PARTNER_KEYS_INVALID',
    });
  });
});

describe('mra keys import: merging a partner JWKS into ours', () => {
  const existing = () => partnerPublicJwks('cn');

  it('adds new kids, updates dates of known ones, and keeps keys the partner no longer lists', async () => {
    const all = existing().keys;
    const renewed = { ...all[1], mra_retires_at: '2027-06-01T00:00:00Z' };
    const fresh = { ...partnerPublicJwks('kr').keys[1], kid: 'cn-sim-sig-es256-2026' };
    const { document, summary } = await mergePartnerJwks(
      existing(),
      { keys: [all[0], renewed, fresh] },
      'cn',
    );
    expect(summary).toEqual({
      partner: 'cn',
      added: ['cn-sim-sig-es256-2026'],
      updated: ['cn-sim-sig-es256-2025'],
      unchanged: ['cn-sim-sig-eddsa-2025'],
      kept: ['cn-sim-sig-ps256-2025', 'cn-sim-enc-p256-2025', 'cn-sim-enc-x25519-2025'],
    });
    expect(document.keys).toHaveLength(6);
    expect(document.keys.find((k) => k.kid === 'cn-sim-sig-es256-2025')).toMatchObject({
      mra_retires_at: '2027-06-01T00:00:00Z',
    });
  });

  it('refuses a known kid that now names different key material', async () => {
    const reused = { ...partnerPublicJwks('kr').keys[1], kid: 'cn-sim-sig-es256-2025' };
    await expect(mergePartnerJwks(existing(), { keys: [reused] }, 'cn')).rejects.toThrow(
      /must never be reused/,
    );
  });

  it('writes the merged JWKS to the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mra-jwks-'));
    try {
      const path = join(dir, 'cn.jwks.json');
      const summary = await importPartnerJwks('cn', existing(), path);
      expect(summary).toMatchObject({ file: path, added: existing().keys.map((k) => k.kid) });
      expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(existing());
      await expect(
        importPartnerJwks('cn', { keys: [{ ...es256(), d: 'AAAA' }] }, path),
      ).rejects.toMatchObject({ code: 'PARTNER_KEYS_INVALID' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
