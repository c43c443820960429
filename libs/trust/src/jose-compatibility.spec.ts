/**
 * The profile's JWS and JWE on node:crypto (jws-signer.ts, jwe-crypto.ts) against jose, the
 * implementation they replace on the per-message path: tokens we make open in jose, tokens
 * jose makes open in ours, for every signature algorithm and both recipient curves; the
 * Concat KDF against RFC 7518 appendix C; Ed25519 against RFC 8037; and tampering with our
 * own tokens refused with the same reason codes as jose's (message-verifier.negative.spec.ts).
 */
import {
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  randomUUID,
} from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  CompactEncrypt,
  CompactSign,
  compactDecrypt,
  compactVerify,
  decodeProtectedHeader,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose';
import { GatewayError } from '@aeo/domain';
import {
  clockAt,
  homeKeyRing,
  homePrivateJwks,
  homePublicJwks,
  homeVerifier,
  NOW,
  partnerContext,
  partnerKeyRing,
  partnerPrivateJwks,
  partnerPublicJwks,
  SAMPLE_PAYLOAD,
  security,
} from '../../../test/trust/support/trust-fixtures.js';
import {
  ENCRYPTION_CURVES,
  SIGNATURE_ALGORITHMS,
  type EncryptionCurve,
  type SignatureAlgorithm,
} from './algorithms.js';
import { parseCompact } from './compact-token.js';
import { concatKdfSha256 } from './concat-kdf.js';
import { decryptJwe, encryptJws } from './jwe.js';
import { importKey } from './jwk-keys.js';
import { signJws, signMessage } from './jws-signer.js';
import { signatureIsValid } from './jws-crypto.js';
import { keyObjectOf } from './key-objects.js';
import { PartnerKeyRegistry } from './partner-key-registry.js';
import { buildJwsHeader, JOSE_CRIT_OPTION } from './signing-profile.js';
import { tokenLimitsFor } from './token-limits.js';

const b64 = (value: string | Uint8Array | object): string =>
  Buffer.from(
    typeof value === 'string' || value instanceof Uint8Array ? value : JSON.stringify(value),
  ).toString('base64url');

const ENCRYPTION_REQUIRED = security({
  encryption: { required: true, keyManagementAlgorithm: 'ECDH-ES+A256KW', contentEncryption: 'A256GCM' },
});
const CN = partnerContext('cn');
const CN_ENCRYPTED = partnerContext('cn', { security: ENCRYPTION_REQUIRED });

/** A cn profile header signed with alg and cn's key for it. */
function cnHeader(alg: SignatureAlgorithm) {
  return buildJwsHeader(
    {
      contentType: 'application/xml',
      messageId: randomUUID(),
      messageType: 'AEO_STATUS_DELTA',
      issuer: 'CN-GACC',
      audience: 'KZ-SRC',
      issuedAt: NOW,
    },
    alg,
    `cn-sim-sig-${alg.toLowerCase()}-2025`,
  );
}

const ourEncryptionKid = (curve: EncryptionCurve) =>
  curve === 'X25519' ? 'kz-src-test-enc-x25519-2025' : 'kz-src-test-enc-p256-2025';

async function ourPublicEncryptionKey(curve: EncryptionCurve): Promise<CryptoKey> {
  const jwk = homePublicJwks().keys.find((k) => k.kid === ourEncryptionKid(curve))!;
  return importKey(jwk, 'ECDH-ES+A256KW', 'public');
}

async function ourPrivateEncryptionKey(curve: EncryptionCurve): Promise<CryptoKey> {
  const jwk = homePrivateJwks().keys.find((k) => k.kid === ourEncryptionKid(curve))!;
  return importKey(jwk, 'ECDH-ES+A256KW', 'private');
}

async function refusal(token: string, context = CN_ENCRYPTED): Promise<GatewayError> {
  const error = await (await homeVerifier()).verify(token, context).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

const ALGORITHM_CURVE_PAIRS = SIGNATURE_ALGORITHMS.flatMap((alg) =>
  ENCRYPTION_CURVES.map((curve) => [alg, curve] as const),
);

describe('JWS on node:crypto and jose', () => {
  it.each(SIGNATURE_ALGORITHMS.map((alg) => [alg]))(
    '%s: our signature verifies in jose, with the profile header as we built it',
    async (alg) => {
      const ring = await partnerKeyRing('cn');
      const header = cnHeader(alg);
      const token = await signMessage(
        SAMPLE_PAYLOAD,
        {
          contentType: header.cty,
          messageId: header.jti,
          messageType: header.mra_type,
          issuer: header.iss,
          audience: header.aud,
          issuedAt: NOW,
        },
        ring.signingKey(alg, NOW),
      );
      const publicJwk = partnerPublicJwks('cn').keys.find((k) => k.kid === header.kid)!;
      const { payload, protectedHeader } = await compactVerify(
        token,
        await importKey(publicJwk, alg, 'public'),
        {
          algorithms: [alg],
          crit: { ...JOSE_CRIT_OPTION },
        },
      );
      expect(Buffer.from(payload).equals(Buffer.from(SAMPLE_PAYLOAD))).toBe(true);
      expect(protectedHeader).toEqual(header);
      expect(token.split('.')[0]).toBe(b64(header));
    },
  );

  it.each(SIGNATURE_ALGORITHMS.map((alg) => [alg]))(
    '%s: a token jose signs passes our verifier',
    async (alg) => {
      const ring = await partnerKeyRing('cn');
      const token = await new CompactSign(SAMPLE_PAYLOAD)
        .setProtectedHeader(cnHeader(alg) as unknown as { alg: string })
        .sign(ring.signingKey(alg, NOW).privateKey, { crit: { ...JOSE_CRIT_OPTION } });
      const { payload, report } = await (await homeVerifier()).verify(token, CN);
      expect(Buffer.from(payload).equals(Buffer.from(SAMPLE_PAYLOAD))).toBe(true);
      expect(report).toMatchObject({ alg, encrypted: false });
    },
  );

  it('EdDSA is deterministic: our token is byte for byte the token jose makes', async () => {
    const key = (await partnerKeyRing('cn')).signingKey('EdDSA', NOW).privateKey;
    const header = cnHeader('EdDSA');
    const ours = await signJws(SAMPLE_PAYLOAD, header, key);
    const theirs = await new CompactSign(SAMPLE_PAYLOAD)
      .setProtectedHeader(header as unknown as { alg: string })
      .sign(key, { crit: { ...JOSE_CRIT_OPTION } });
    expect(ours).toBe(theirs);
  });

  it('RFC 8037 A.4: Ed25519 signing reproduces the example byte for byte', async () => {
    const privateKey = await importKey(
      {
        kty: 'OKP',
        crv: 'Ed25519',
        d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A',
        x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
      },
      'EdDSA',
      'private',
    );
    expect(await signJws(Buffer.from('Example of Ed25519 signing'), { alg: 'EdDSA' }, privateKey)).toBe(
      'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg',
    );
  });

  it('RFC 7515 A.3: the ES256 example (R || S) verifies on node:crypto; one flipped bit does not', async () => {
    const publicKey = keyObjectOf(
      await importKey(
        {
          kty: 'EC',
          crv: 'P-256',
          x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
          y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
        },
        'ES256',
        'public',
      ),
    );
    const input = Buffer.from(
      'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ',
    );
    const signature = Buffer.from(
      'DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q',
      'base64url',
    );
    expect(signatureIsValid('ES256', input, signature, publicKey)).toBe(true);
    signature[10] ^= 0x01;
    expect(signatureIsValid('ES256', input, signature, publicKey)).toBe(false);
    expect(signatureIsValid('ES256', input, signature.subarray(0, 63), publicKey)).toBe(false);
  });

  it('PS256 with a salt other than 32 bytes is not the profile and is refused', async () => {
    const jwk = partnerPrivateJwks('cn').keys.find((k) => k.kid === 'cn-sim-sig-ps256-2025')!;
    const header = cnHeader('PS256');
    const input = `${b64(header)}.${b64(SAMPLE_PAYLOAD)}`;
    const { sign, constants } = await import('node:crypto');
    const signature = sign('sha256', Buffer.from(input), {
      key: createPrivateKey({ key: jwk as never, format: 'jwk' }),
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 20,
    });
    expect((await refusal(`${input}.${signature.toString('base64url')}`, CN)).code).toBe('SIGNATURE_INVALID');
  });

  it('hands out the payload in a Uint8Array of its own (not a view into a shared pool)', async () => {
    const ring = await partnerKeyRing('cn');
    const token = await signJws(SAMPLE_PAYLOAD, cnHeader('ES256'), ring.signingKey('ES256', NOW).privateKey);
    const { payload } = await (await homeVerifier()).verify(token, CN);
    expect(payload.byteOffset).toBe(0);
    expect(payload.buffer.byteLength).toBe(payload.byteLength);
  });
});

describe('Concat KDF (RFC 7518 §4.6.2)', () => {
  it('RFC 7518 appendix C: Z and the derived A128GCM key of the example', () => {
    const alice = {
      kty: 'EC',
      crv: 'P-256',
      x: 'gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0',
      y: 'SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps',
      d: '0_NxaRPUMQoAJt50Gz8YiTr8gRTwyEaCumd-MToTmIo',
    };
    const bob = {
      kty: 'EC',
      crv: 'P-256',
      x: 'weNJy2HscCSM6AEDTDg04biOvhFhyyWvOHQfeF_PxMQ',
      y: 'e8lnCO-AlStT-NJVX-crhB7QRYhiix03illJOVAOyck',
    };
    const z = diffieHellman({
      privateKey: createPrivateKey({ key: alice, format: 'jwk' }),
      publicKey: createPublicKey({ key: bob, format: 'jwk' }),
    });
    expect([...z]).toEqual([
      158, 86, 217, 29, 129, 113, 53, 211, 114, 131, 66, 131, 191, 132, 38, 156, 251, 49, 110, 163, 218, 128,
      106, 72, 246, 218, 167, 121, 140, 254, 144, 196,
    ]);
    const key = concatKdfSha256(z, 'A128GCM', 128, Buffer.from('Alice'), Buffer.from('Bob'));
    expect(key.toString('base64url')).toBe('VqqN6vgjbSBcIijNcacQGg');
  });
});

describe('JWE ECDH-ES+A256KW / A256GCM on node:crypto and jose', () => {
  it.each(ENCRYPTION_CURVES.map((curve) => [curve]))(
    '%s: our JWE decrypts in jose, with the header members in the order jose writes them',
    async (curve) => {
      const jws = await signJws(
        SAMPLE_PAYLOAD,
        cnHeader('ES256'),
        (await partnerKeyRing('cn')).signingKey('ES256', NOW).privateKey,
      );
      const ours = await encryptJws(jws, {
        kid: ourEncryptionKid(curve),
        key: await ourPublicEncryptionKey(curve),
      });
      const { plaintext, protectedHeader } = await compactDecrypt(
        ours,
        await ourPrivateEncryptionKey(curve),
        {
          keyManagementAlgorithms: ['ECDH-ES+A256KW'],
          contentEncryptionAlgorithms: ['A256GCM'],
        },
      );
      expect(Buffer.from(plaintext).toString('latin1')).toBe(jws);

      const theirs = await new CompactEncrypt(Buffer.from(jws))
        .setProtectedHeader({
          alg: 'ECDH-ES+A256KW',
          enc: 'A256GCM',
          kid: ourEncryptionKid(curve),
          typ: 'mra+jwe',
          cty: 'mra+jws',
        })
        .encrypt(await ourPublicEncryptionKey(curve));
      const joseHeader = decodeProtectedHeader(theirs) as Record<string, unknown>;
      expect(Object.keys(protectedHeader)).toEqual(Object.keys(joseHeader));
      expect(Object.keys(protectedHeader.epk!)).toEqual(Object.keys(joseHeader.epk as object));
      expect(protectedHeader.epk).toMatchObject({ kty: curve === 'X25519' ? 'OKP' : 'EC', crv: curve });
      // Segment lengths: 40-byte wrapped key, 12-byte IV, 16-byte tag, ciphertext as long as the JWS.
      expect(
        ours
          .split('.')
          .slice(1)
          .map((s) => Buffer.from(s, 'base64url').byteLength),
      ).toEqual([40, 12, jws.length, 16]);
    },
  );

  it.each(ENCRYPTION_CURVES.map((curve) => [curve]))(
    '%s: a JWE jose encrypts decrypts in ours',
    async (curve) => {
      const plaintext = 'header.payload.signature';
      const theirs = await new CompactEncrypt(Buffer.from(plaintext))
        .setProtectedHeader({
          alg: 'ECDH-ES+A256KW',
          enc: 'A256GCM',
          kid: ourEncryptionKid(curve),
          cty: 'mra+jws',
        })
        .encrypt(await ourPublicEncryptionKey(curve));
      const decrypted = await decryptJwe(
        parseCompact(theirs, tokenLimitsFor()) as never,
        ENCRYPTION_REQUIRED,
        await homeKeyRing(),
        NOW,
      );
      expect(decrypted).toEqual({ jws: plaintext, kid: ourEncryptionKid(curve), alg: 'ECDH-ES+A256KW' });
    },
  );

  it.each(ENCRYPTION_CURVES.map((curve) => [curve]))(
    '%s: apu and apv from a sender go into the key derivation as jose puts them',
    async (curve) => {
      const theirs = await new CompactEncrypt(Buffer.from('a.b.c'))
        .setProtectedHeader({
          alg: 'ECDH-ES+A256KW',
          enc: 'A256GCM',
          kid: ourEncryptionKid(curve),
          cty: 'mra+jws',
        })
        .setKeyManagementParameters({ apu: Buffer.from('CN-GACC'), apv: Buffer.from('KZ-SRC') })
        .encrypt(await ourPublicEncryptionKey(curve));
      expect(decodeProtectedHeader(theirs)).toMatchObject({ apu: b64('CN-GACC'), apv: b64('KZ-SRC') });
      const decrypted = await decryptJwe(
        parseCompact(theirs, tokenLimitsFor()) as never,
        ENCRYPTION_REQUIRED,
        await homeKeyRing(),
        NOW,
      );
      expect(decrypted.jws).toBe('a.b.c');
    },
  );

  it.each(ALGORITHM_CURVE_PAIRS)(
    '%s + %s: a message jose signs and encrypts passes our verifier; one we seal passes jose',
    async (alg, curve) => {
      const cnRing = await partnerKeyRing('cn');
      const jws = await new CompactSign(SAMPLE_PAYLOAD)
        .setProtectedHeader(cnHeader(alg) as unknown as { alg: string })
        .sign(cnRing.signingKey(alg, NOW).privateKey, { crit: { ...JOSE_CRIT_OPTION } });
      const byJose = await new CompactEncrypt(Buffer.from(jws))
        .setProtectedHeader({
          alg: 'ECDH-ES+A256KW',
          enc: 'A256GCM',
          kid: ourEncryptionKid(curve),
          typ: 'mra+jwe',
          cty: 'mra+jws',
        })
        .encrypt(await ourPublicEncryptionKey(curve));
      const { payload, report } = await (await homeVerifier()).verify(byJose, CN_ENCRYPTED);
      expect(Buffer.from(payload).equals(Buffer.from(SAMPLE_PAYLOAD))).toBe(true);
      expect(report).toMatchObject({ alg, encrypted: true, encryptionKid: ourEncryptionKid(curve) });

      // And back: our sign-then-encrypt of the same payload to cn's key on that curve, opened by jose.
      const cnKid = curve === 'X25519' ? 'cn-sim-enc-x25519-2025' : 'cn-sim-enc-p256-2025';
      const cnPublic = partnerPublicJwks('cn').keys.find((k) => k.kid === cnKid)!;
      const ourJws = await signMessage(
        SAMPLE_PAYLOAD,
        {
          contentType: 'application/xml',
          messageId: randomUUID(),
          messageType: 'RECEIPT',
          issuer: 'KZ-SRC',
          audience: 'CN-GACC',
          issuedAt: NOW,
        },
        (await homeKeyRing()).signingKey(alg, NOW),
      );
      const ours = await encryptJws(ourJws, {
        kid: cnKid,
        key: await importKey(cnPublic, 'ECDH-ES+A256KW', 'public'),
      });
      const cnPrivate = partnerPrivateJwks('cn').keys.find((k) => k.kid === cnKid)!;
      const { plaintext } = await compactDecrypt(
        ours,
        (await importJWK(cnPrivate as JWK, 'ECDH-ES+A256KW')) as CryptoKey,
      );
      const ourSigningJwk = homePublicJwks().keys.find((k) => k.alg === alg)!;
      const verified = await compactVerify(
        Buffer.from(plaintext).toString('latin1'),
        await importKey(ourSigningJwk, alg, 'public'),
        { algorithms: [alg], crit: { ...JOSE_CRIT_OPTION } },
      );
      expect(Buffer.from(verified.payload).equals(Buffer.from(SAMPLE_PAYLOAD))).toBe(true);
    },
  );
});

describe('tampering with a JWE we made: the reason codes jose gave', () => {
  /** A cn message sealed by our code (cn's sealer is the product's MessageSealer) to our key on `curve`. */
  async function sealedToUs(curve: EncryptionCurve): Promise<string> {
    const jws = await signJws(
      SAMPLE_PAYLOAD,
      cnHeader('ES256'),
      (await partnerKeyRing('cn')).signingKey('ES256', NOW).privateKey,
    );
    return encryptJws(jws, { kid: ourEncryptionKid(curve), key: await ourPublicEncryptionKey(curve) });
  }

  const flip = (segment: string) => {
    const i = Math.floor(segment.length / 2);
    return `${segment.slice(0, i)}${segment[i] === 'A' ? 'B' : 'A'}${segment.slice(i + 1)}`;
  };
  const replaceSegment = (token: string, index: number, replace: (s: string) => string) =>
    token
      .split('.')
      .map((s, i) => (i === index ? replace(s) : s))
      .join('.');
  const reheader = (token: string, change: (h: Record<string, unknown>) => Record<string, unknown>) =>
    replaceSegment(token, 0, (s) => b64(change(JSON.parse(Buffer.from(s, 'base64url').toString('utf8')))));

  const TAMPERINGS: ReadonlyArray<readonly [string, string, (token: string) => string]> = [
    ['tag', 'JWE_DECRYPTION_FAILED', (t) => replaceSegment(t, 4, flip)],
    ['ciphertext', 'JWE_DECRYPTION_FAILED', (t) => replaceSegment(t, 3, flip)],
    ['encrypted key', 'JWE_DECRYPTION_FAILED', (t) => replaceSegment(t, 1, flip)],
    ['IV', 'JWE_DECRYPTION_FAILED', (t) => replaceSegment(t, 2, flip)],
    [
      'protected header (a member added)',
      'JWE_DECRYPTION_FAILED',
      (t) => reheader(t, (h) => ({ ...h, note: 'x' })),
    ],
    [
      'protected header (the same members re-encoded in another order)',
      'JWE_DECRYPTION_FAILED',
      (t) => reheader(t, (h) => Object.fromEntries(Object.entries(h).reverse())),
    ],
    [
      'epk replaced by a point off the curve / another point',
      'JWE_DECRYPTION_FAILED',
      (t) =>
        reheader(t, (h) => ({
          ...h,
          epk: { ...(h.epk as object), x: Buffer.alloc(32, 7).toString('base64url') },
        })),
    ],
    [
      'epk of the other curve',
      'JWE_DECRYPTION_FAILED',
      (t) =>
        reheader(t, (h) => {
          const onX25519 = (h.epk as { crv: string }).crv === 'X25519';
          const other = onX25519
            ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
            : generateKeyPairSync('x25519');
          return { ...h, epk: other.publicKey.export({ format: 'jwk' }) };
        }),
    ],
    ['epk removed', 'JWE_MALFORMED', (t) => reheader(t, (h) => ({ ...h, epk: undefined }))],
    ['epk not an object', 'JWE_MALFORMED', (t) => reheader(t, (h) => ({ ...h, epk: 'key' }))],
    [
      'epk carrying a private member',
      'JWE_MALFORMED',
      (t) => reheader(t, (h) => ({ ...h, epk: { ...(h.epk as object), d: b64('secret') } })),
    ],
    [
      'apu that is not base64url',
      'JWE_MALFORMED',
      (t) => reheader(t, (h) => ({ ...h, apu: 'not base64url!' })),
    ],
    [
      'apu equal to apv',
      'JWE_MALFORMED',
      (t) => reheader(t, (h) => ({ ...h, apu: b64('same'), apv: b64('same') })),
    ],
    ['encrypted key removed', 'JWE_MALFORMED', (t) => replaceSegment(t, 1, () => '')],
    ['IV of 8 bytes', 'JWE_MALFORMED', (t) => replaceSegment(t, 2, () => b64(Buffer.alloc(8)))],
    [
      'tag truncated to 12 bytes',
      'JWE_MALFORMED',
      (t) => replaceSegment(t, 4, (s) => b64(Buffer.from(s, 'base64url').subarray(0, 12))),
    ],
  ];

  it.each(
    ENCRYPTION_CURVES.flatMap((curve) =>
      TAMPERINGS.map(([what, code, change]) => [curve, what, code, change] as const),
    ),
  )('%s: %s → %s', async (_curve, _what, code, change) => {
    const token = await sealedToUs(_curve);
    await expect((await homeVerifier()).verify(token, CN_ENCRYPTED)).resolves.toBeDefined();
    expect((await refusal(change(token))).code).toBe(code);
  });

  it('an X25519 epk of low order (all-zero shared secret) fails as a decryption, not a crash', async () => {
    const token = await sealedToUs('X25519');
    const lowOrder = reheader(token, (h) => ({
      ...h,
      epk: { x: b64(Buffer.alloc(32)), crv: 'X25519', kty: 'OKP' },
    }));
    expect((await refusal(lowOrder)).code).toBe('JWE_DECRYPTION_FAILED');
  });
});

describe('PartnerKeyRegistry.encryptionKeyFor: which of a partner key we encrypt to', () => {
  const cnKeys = () => partnerPublicJwks('cn').keys;
  const registry = (keys: Record<string, unknown>[]) => PartnerKeyRegistry.fromJwks({ cn: { keys } });

  it('prefers X25519 when the partner publishes X25519 and P-256 keys of the same age', async () => {
    expect((await registry(cnKeys())).encryptionKeyFor('cn', NOW)?.kid).toBe('cn-sim-enc-x25519-2025');
  });

  it('takes P-256 when that is all the partner publishes for encryption', async () => {
    const keys = cnKeys().filter((k) => k.crv !== 'X25519');
    expect((await registry(keys)).encryptionKeyFor('cn', NOW)?.kid).toBe('cn-sim-enc-p256-2025');
  });

  it('still takes the newest key first: a newer P-256 key wins over an older X25519 key', async () => {
    const keys = cnKeys().map((k) =>
      k.kid === 'cn-sim-enc-p256-2025' ? { ...k, mra_activates_at: '2026-02-01T00:00:00Z' } : k,
    );
    expect((await registry(keys)).encryptionKeyFor('cn', NOW)?.kid).toBe('cn-sim-enc-p256-2025');
  });

  it('skips an X25519 key that is retired or revoked', async () => {
    const retired = cnKeys().map((k) =>
      k.kid === 'cn-sim-enc-x25519-2025' ? { ...k, mra_retires_at: '2026-02-01T00:00:00Z' } : k,
    );
    const revoked = cnKeys().map((k) =>
      k.kid === 'cn-sim-enc-x25519-2025' ? { ...k, mra_revoked_at: '2026-02-01T00:00:00Z' } : k,
    );
    expect((await registry(retired)).encryptionKeyFor('cn', NOW)?.kid).toBe('cn-sim-enc-p256-2025');
    expect((await registry(revoked)).encryptionKeyFor('cn', NOW)?.kid).toBe('cn-sim-enc-p256-2025');
  });

  it('the sealer follows it: what we send to cn goes to its X25519 key', async () => {
    const { MessageSealer } = await import('./message-sealer.js');
    const sealer = new MessageSealer({
      ourProgramme: 'KZ-SRC',
      signingKeys: await homeKeyRing(),
      partnerKeys: await registry(cnKeys()),
      clock: clockAt(),
    });
    const { token, report } = await sealer.seal({
      payload: SAMPLE_PAYLOAD,
      partner: { ...CN_ENCRYPTED },
      messageId: randomUUID(),
      messageType: 'AEO_STATUS_DELTA',
    });
    expect(report).toMatchObject({ encrypted: true, encryptionKid: 'cn-sim-enc-x25519-2025' });
    expect(decodeProtectedHeader(token)).toMatchObject({
      kid: 'cn-sim-enc-x25519-2025',
      epk: { crv: 'X25519' },
    });
  });
});
