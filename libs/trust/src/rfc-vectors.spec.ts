/**
 * Known-answer tests from RFC 7515 appendix A (JWS examples) and RFC 8037 appendix A
 * (Ed25519 / X25519), run through the same key import and signing paths the gateway uses,
 * plus a check that our profile refuses the examples whose algorithms it does not allow.
 */
import { createPrivateKey, createPublicKey, diffieHellman, webcrypto } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { compactDecrypt, compactVerify, importJWK, type CryptoKey, type JWK } from 'jose';
import { GatewayError } from '@aeo/domain';
import { homeVerifier, partnerContext } from '../../../test/trust/support/trust-fixtures.js';
import { encryptJws } from './jwe.js';
import { importKey, jwkThumbprint } from './jwk-keys.js';
import { signCompactJws } from './jws-signer.js';
import { parsePartnerJwks } from './partner-jwks.js';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

// RFC 7515 A.1-A.3 share this payload: {"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}
const RFC7515_PAYLOAD =
  'eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ';
const RFC7515_CLAIMS = '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}';

const A1 = {
  key: {
    kty: 'oct',
    k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
  },
  jws: `eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.${RFC7515_PAYLOAD}.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk`,
};

const A2 = {
  key: {
    kty: 'RSA',
    n: 'ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ',
    e: 'AQAB',
    d: 'Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ',
    p: '4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc',
    q: 'uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc',
    dp: 'BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0',
    dq: 'h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU',
    qi: 'IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U',
  },
  jws:
    `eyJhbGciOiJSUzI1NiJ9.${RFC7515_PAYLOAD}.` +
    'cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw',
};

const A3 = {
  key: {
    kty: 'EC',
    crv: 'P-256',
    x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
    y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
    d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI',
  },
  jws: `eyJhbGciOiJFUzI1NiJ9.${RFC7515_PAYLOAD}.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q`,
};

const A4 = {
  key: {
    kty: 'EC',
    crv: 'P-521',
    x: 'AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk',
    y: 'ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2',
  },
  jws:
    'eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA.' +
    'AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn',
};

const A5_UNSECURED = `eyJhbGciOiJub25lIn0.${RFC7515_PAYLOAD}.`;

const RFC8037 = {
  privateJwk: {
    kty: 'OKP',
    crv: 'Ed25519',
    d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A',
    x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
  },
  publicJwk: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
  thumbprint: 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k',
  payload: 'Example of Ed25519 signing',
  jws: 'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg',
  // A.6: ECDH-ES with X25519 (the keys of RFC 7748 §6.1)
  bobPublic: { kty: 'OKP', crv: 'X25519', kid: 'Bob', x: '3p7bfXt9wbTTW2HC7OQ1Nz-DQ8hbeGdNrfx-FG-IK08' },
  bobPrivateD: 'XasIfmJKikt54X-Lg4AO5m87sSkmGLb9HC-LJ_-I4Os',
  ephemeralPrivate: {
    kty: 'OKP',
    crv: 'X25519',
    d: 'dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo',
    x: 'hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo',
  },
  sharedSecretHex: '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742',
};

async function refusedCode(token: string): Promise<string> {
  const error = await (await homeVerifier()).verify(token, partnerContext('cn')).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return (error as GatewayError).code;
}

describe('RFC 7515 appendix A', () => {
  it('A.1 HS256: the example verifies with its HMAC key, and our profile refuses HMAC', async () => {
    const { payload } = await compactVerify(A1.jws, Buffer.from(A1.key.k, 'base64url'), {
      algorithms: ['HS256'],
    });
    expect(text(payload)).toBe(RFC7515_CLAIMS);
    await expect(importKey(A1.key, 'ES256', 'public')).rejects.toThrow();
    expect(await refusedCode(A1.jws)).toBe('ALG_NOT_ALLOWED');
  });

  it('A.2 RS256: our signing path reproduces the example byte for byte; our profile refuses RS256', async () => {
    const privateKey = (await importJWK(A2.key as JWK, 'RS256')) as CryptoKey;
    expect(
      await signCompactJws(Buffer.from(RFC7515_PAYLOAD, 'base64url'), { alg: 'RS256' }, privateKey),
    ).toBe(A2.jws);
    const { n, e } = A2.key;
    const { payload } = await compactVerify(A2.jws, { kty: 'RSA', n, e, alg: 'RS256' });
    expect(text(payload)).toBe(RFC7515_CLAIMS);
    expect(await refusedCode(A2.jws)).toBe('ALG_NOT_ALLOWED');
  });

  it('A.3 ES256: the example verifies with the key imported as the gateway imports partner keys; our signatures verify too', async () => {
    const publicKey = await importKey(A3.key, 'ES256', 'public');
    const { payload } = await compactVerify(A3.jws, publicKey, { algorithms: ['ES256'] });
    expect(text(payload)).toBe(RFC7515_CLAIMS);
    const ours = await signCompactJws(
      Buffer.from(RFC7515_CLAIMS),
      { alg: 'ES256' },
      await importKey(A3.key, 'ES256', 'private'),
    );
    expect(ours.split('.').slice(0, 2).join('.')).toBe(A3.jws.split('.').slice(0, 2).join('.'));
    await expect(compactVerify(ours, publicKey)).resolves.toBeDefined();
  });

  it('A.3 ES256 with one signature bit flipped fails', async () => {
    const parts = A3.jws.split('.');
    const signature = Buffer.from(parts[2], 'base64url');
    signature[10] ^= 0x01;
    await expect(
      compactVerify(
        `${parts[0]}.${parts[1]}.${signature.toString('base64url')}`,
        await importKey(A3.key, 'ES256', 'public'),
      ),
    ).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('A.4 ES512: the example verifies, and a P-521 key is not accepted into a partner JWKS', async () => {
    const { payload } = await compactVerify(A4.jws, (await importJWK(A4.key, 'ES512')) as CryptoKey);
    expect(text(payload)).toBe('Payload');
    expect(() =>
      parsePartnerJwks({ keys: [{ ...A4.key, kid: 'a4', alg: 'ES512', use: 'sig' }] }, 'rfc'),
    ).toThrow(expect.objectContaining({ code: 'PARTNER_KEYS_INVALID' }));
    expect(await refusedCode(A4.jws)).toBe('ALG_NOT_ALLOWED');
  });

  it('A.5 unsecured JWS (alg none) is refused', async () => {
    expect(await refusedCode(A5_UNSECURED)).toBe('ALG_NOT_ALLOWED');
  });
});

describe('RFC 8037 appendix A', () => {
  it('A.1-A.2 the Ed25519 private and public keys import for EdDSA', async () => {
    expect((await importKey(RFC8037.privateJwk, 'EdDSA', 'private')).type).toBe('private');
    expect((await importKey(RFC8037.publicJwk, 'EdDSA', 'public')).type).toBe('public');
  });

  it('A.3 JWK thumbprint', async () => {
    expect(await jwkThumbprint(RFC8037.publicJwk)).toBe(RFC8037.thumbprint);
    expect(await jwkThumbprint(RFC8037.privateJwk)).toBe(RFC8037.thumbprint);
  });

  it('A.4 Ed25519 signing reproduces the example byte for byte', async () => {
    const privateKey = await importKey(RFC8037.privateJwk, 'EdDSA', 'private');
    expect(await signCompactJws(Buffer.from(RFC8037.payload), { alg: 'EdDSA' }, privateKey)).toBe(
      RFC8037.jws,
    );
  });

  it('A.5 Ed25519 validation: the example verifies; a changed payload does not', async () => {
    const publicKey = await importKey(RFC8037.publicJwk, 'EdDSA', 'public');
    const { payload, protectedHeader } = await compactVerify(RFC8037.jws, publicKey, {
      algorithms: ['EdDSA'],
    });
    expect(text(payload)).toBe(RFC8037.payload);
    expect(protectedHeader).toEqual({ alg: 'EdDSA' });
    const altered = RFC8037.jws.replace(
      'RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc',
      Buffer.from('Example of Ed25519 signinG').toString('base64url'),
    );
    await expect(compactVerify(altered, publicKey)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('A.6 ECDH-ES with X25519: the shared secret of the example, through node:crypto and through WebCrypto keys as we import them', async () => {
    const z = diffieHellman({
      privateKey: createPrivateKey({ key: RFC8037.ephemeralPrivate, format: 'jwk' }),
      publicKey: createPublicKey({ key: RFC8037.bobPublic, format: 'jwk' }),
    });
    expect(z.toString('hex')).toBe(RFC8037.sharedSecretHex);
    const ephemeral = await importKey(RFC8037.ephemeralPrivate, 'ECDH-ES+A256KW', 'private');
    const bob = await importKey(RFC8037.bobPublic, 'ECDH-ES+A256KW', 'public');
    const bits = await webcrypto.subtle.deriveBits({ name: 'X25519', public: bob } as never, ephemeral, 256);
    expect(Buffer.from(bits).toString('hex')).toBe(RFC8037.sharedSecretHex);
  });

  it('A.6 a JWE we encrypt to the example X25519 key decrypts with its private key', async () => {
    const jwe = await encryptJws('inner.jws.value', {
      kid: 'Bob',
      key: await importKey(RFC8037.bobPublic, 'ECDH-ES+A256KW', 'public'),
    });
    const bobPrivate = await importKey(
      { ...RFC8037.bobPublic, d: RFC8037.bobPrivateD },
      'ECDH-ES+A256KW',
      'private',
    );
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, bobPrivate);
    expect(text(plaintext)).toBe('inner.jws.value');
    expect(protectedHeader).toMatchObject({
      alg: 'ECDH-ES+A256KW',
      enc: 'A256GCM',
      kid: 'Bob',
      epk: { kty: 'OKP', crv: 'X25519' },
    });
  });
});
