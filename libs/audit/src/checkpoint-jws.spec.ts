import { describe, expect, it } from '@jest/globals';
import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import { GatewayError } from '@aeo/domain';
import {
  checkpointPayload,
  decodeCheckpointJws,
  jwksKeyResolver,
  publicPart,
  verifyCheckpointJws,
} from './checkpoint-jws.js';

async function codeOf(action: () => unknown): Promise<string> {
  try {
    await action();
  } catch (error) {
    if (error instanceof GatewayError) return error.code;
    throw error;
  }
  return 'no error';
}

const statement = {
  v: 1,
  log: 'kz-src',
  seq: 42,
  headHash: 'ab'.repeat(32),
  createdAt: 1795824000000,
} as const;

describe('checkpoint JWS', () => {
  it('signs the canonical statement and verifies with the key its kid names', async () => {
    expect(new TextDecoder().decode(checkpointPayload(statement))).toBe(
      `{"createdAt":1795824000000,"headHash":"${'ab'.repeat(32)}","log":"kz-src","seq":42,"v":1}`,
    );
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1' };
    const jws = await new CompactSign(checkpointPayload(statement))
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .sign(privateKey);
    expect(await verifyCheckpointJws(jws, jwksKeyResolver({ keys: [jwk] }))).toEqual({
      kid: 'k1',
      alg: 'ES256',
      statement,
    });
    expect(await codeOf(() => verifyCheckpointJws(jws, () => undefined))).toBe('KEY_UNKNOWN');
    const other = { ...(await exportJWK((await generateKeyPair('ES256')).publicKey)), kid: 'k1' };
    expect(await codeOf(() => verifyCheckpointJws(jws, () => other))).toBe('SIGNATURE_INVALID');
  });

  it('refuses malformed tokens, symmetric algorithms and payloads that are not checkpoint statements', async () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const payload = b64(statement);
    expect(await codeOf(() => decodeCheckpointJws('a.b'))).toBe('JWS_MALFORMED');
    expect(await codeOf(() => decodeCheckpointJws(`${b64({ alg: 'ES256' })}.${payload}.sig`))).toBe(
      'HEADER_CLAIM_MISSING',
    );
    expect(await codeOf(() => decodeCheckpointJws(`${b64({ alg: 'HS256', kid: 'k' })}.${payload}.sig`))).toBe(
      'ALG_NOT_ALLOWED',
    );
    expect(await codeOf(() => decodeCheckpointJws(`${b64({ alg: 'none', kid: 'k' })}.${payload}.`))).toBe(
      'ALG_NOT_ALLOWED',
    );
    expect(
      await codeOf(() =>
        decodeCheckpointJws(`${b64({ alg: 'ES256', kid: 'k' })}.${b64({ ...statement, seq: 0 })}.sig`),
      ),
    ).toBe('CHECKPOINT_MALFORMED');
    expect(
      await codeOf(() =>
        decodeCheckpointJws(`${b64({ alg: 'ES256', kid: 'k' })}.${b64({ ...statement, headHash: 'x' })}.sig`),
      ),
    ).toBe('CHECKPOINT_MALFORMED');
  });

  it('hands out only the public members of a key', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: 'k1' };
    expect(jwk.d).toBeDefined();
    const shared = publicPart(jwk);
    expect(shared.d).toBeUndefined();
    expect(shared).toMatchObject({ kty: 'EC', crv: 'P-256', kid: 'k1' });
  });
});
