import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { webcrypto } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { compactVerify } from 'jose';
import type { Clock } from './clock.js';
import { importKey } from './jwk-keys.js';
import { KeyStore, KeyStoreError, keyStoreFromEnv } from './key-store.js';
import { signCompactJws } from './jws-signer.js';

const PASSPHRASE = 'correct horse battery staple';
/** The cheapest scrypt cost the store accepts, so tests stay fast; production uses the default. */
const FAST_SCRYPT = { N: 2 ** 14, r: 8, p: 1 };
const HOUR = 3_600_000;

class ManualClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

let dir: string;
let clock: ManualClock;
/** `null`: no passphrase in the environment. */
const store = (passphrase: string | null = PASSPHRASE) =>
  new KeyStore({ dir, ...(passphrase === null ? {} : { passphrase }), clock, scrypt: FAST_SCRYPT });

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'mra-keys-')), 'keys');
  clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

describe('KeyStore: private keys at rest', () => {
  it('refuses to create or unlock private keys without a passphrase, or with a short one', async () => {
    await expect(store(null).generate({ type: 'sig-es256' })).rejects.toThrow(
      /MRA_KEY_PASSPHRASE is not set/,
    );
    await expect(store(null).open()).rejects.toBeInstanceOf(KeyStoreError);
    await expect(store('short').generate({ type: 'sig-es256' })).rejects.toThrow(/at least 12/);
  });

  it('writes one 0600 file per key in a 0700 directory, with the private key only in sealed form', async () => {
    const record = await store().generate({ type: 'sig-es256' });
    expect(record.kid).toMatch(/^kz-src-sig-es256-20260301-[A-Za-z0-9_-]{8}$/);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const file = join(dir, `${record.kid}.json`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const content = JSON.parse(readFileSync(file, 'utf8'));
    expect(content.publicJwk).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expect.any(String),
      y: expect.any(String),
    });
    expect(content.privateKey).toMatchObject({
      kdf: 'scrypt',
      cipher: 'aes-256-gcm',
      ciphertext: expect.any(String),
    });
    expect(JSON.stringify(content)).not.toMatch(/"d"\s*:/);
  });

  it('lists keys and publishes the JWKS without the passphrase', async () => {
    await store().generate({ type: 'sig-eddsa' });
    await store().generate({ type: 'enc-x25519' });
    const locked = store(null);
    expect(locked.list().map((r) => r.type)).toEqual(['enc-x25519', 'sig-eddsa']);
    expect(locked.jwks().keys.map((k) => [k.alg, k.use, k.crv])).toEqual(
      expect.arrayContaining([
        ['EdDSA', 'sig', 'Ed25519'],
        ['ECDH-ES+A256KW', 'enc', 'X25519'],
      ]),
    );
    expect(JSON.stringify(locked.jwks())).not.toMatch(/"d"\s*:/);
  });

  it('unlocks into non-extractable keys that sign, and never shows private material when inspected', async () => {
    const record = await store().generate({ type: 'sig-ps256' });
    const ring = await store().open();
    const key = ring.signingKey('PS256', clock.now());
    expect(key.kid).toBe(record.kid);
    await expect(webcrypto.subtle.exportKey('jwk', key.privateKey as never)).rejects.toThrow();
    expect(inspect(ring, { depth: 10 })).not.toMatch(/\bd:\s*'/);
    const jws = await signCompactJws(Buffer.from('x'), { alg: 'PS256' }, key.privateKey);
    await expect(
      compactVerify(jws, await importKey(record.publicJwk as never, 'PS256', 'public')),
    ).resolves.toBeDefined();
  });

  it('refuses a wrong passphrase', async () => {
    await store().generate({ type: 'sig-es256' });
    await expect(store('a different passphrase').open()).rejects.toThrow(
      /wrong passphrase|check MRA_KEY_PASSPHRASE/,
    );
  });

  it('refuses a key file that others can read', async () => {
    const record = await store().generate({ type: 'sig-es256' });
    chmodSync(join(dir, `${record.kid}.json`), 0o644);
    await expect(store().open()).rejects.toThrow(/chmod 600/);
  });

  it('binds the sealed private key to its own file: moved into another key file it does not open', async () => {
    const a = await store().generate({ type: 'sig-es256' });
    const b = await store().generate({ type: 'sig-eddsa' });
    const fileA = JSON.parse(readFileSync(join(dir, `${a.kid}.json`), 'utf8'));
    const fileB = JSON.parse(readFileSync(join(dir, `${b.kid}.json`), 'utf8'));
    writeFileSync(join(dir, `${b.kid}.json`), JSON.stringify({ ...fileB, privateKey: fileA.privateKey }), {
      mode: 0o600,
    });
    await expect(store().open()).rejects.toBeInstanceOf(KeyStoreError);
  });

  it('refuses a second key of a type that already has one (rotation is the way to add it)', async () => {
    await store().generate({ type: 'sig-es256' });
    await expect(store().generate({ type: 'sig-es256' })).rejects.toThrow(/mra keys rotate/);
  });

  it('reads its directory and passphrase from the environment', () => {
    const fromEnv = keyStoreFromEnv({ MRA_KEYS_DIR: dir, MRA_KEY_PASSPHRASE: PASSPHRASE });
    expect(fromEnv.dir).toBe(dir);
    expect(keyStoreFromEnv({}).dir).toMatch(/\/keys$/);
  });
});

describe('KeyStore: rotation with overlap', () => {
  it('publishes the next key before it signs, and keeps the old one until one overlap after the switch', async () => {
    const first = await store().generate({ type: 'sig-es256' });
    clock.advance(10 * 24 * HOUR);
    const { previous, next } = await store().rotate({ type: 'sig-es256', overlapHours: 24 });
    const rotatedAt = clock.now().getTime();
    expect(next.activatesAt.getTime()).toBe(rotatedAt + 24 * HOUR);
    expect(previous.kid).toBe(first.kid);
    expect(previous.retiresAt.getTime()).toBe(rotatedAt + 48 * HOUR);

    const published = () =>
      store()
        .jwks()
        .keys.map((k) => k.kid);
    expect(published()).toEqual([first.kid, next.kid].sort());
    expect((await store().open()).signingKey('ES256', clock.now()).kid).toBe(first.kid);

    clock.advance(24 * HOUR + 1);
    expect((await store().open()).signingKey('ES256', clock.now()).kid).toBe(next.kid);
    expect(published()).toEqual([first.kid, next.kid].sort());

    clock.advance(24 * HOUR);
    expect(published()).toEqual([next.kid]);
  });

  it('refuses a second rotation while one is pending, and a rotation with nothing to rotate', async () => {
    await expect(store().rotate({ type: 'sig-eddsa' })).rejects.toThrow(/no active sig-eddsa key/);
    await store().generate({ type: 'sig-eddsa' });
    await store().rotate({ type: 'sig-eddsa' });
    await expect(store().rotate({ type: 'sig-eddsa' })).rejects.toThrow(/already pending/);
  });

  it('revocation removes a key from the JWKS and from use at once', async () => {
    const record = await store().generate({ type: 'sig-es256' });
    store().revoke(record.kid);
    expect(store().jwks().keys).toEqual([]);
    await expect(
      (async () => (await store().open()).signingKey('ES256', clock.now()))(),
    ).rejects.toMatchObject({ code: 'SIGNING_KEY_UNAVAILABLE' });
    expect(readdirSync(dir)).toHaveLength(1);
  });
});
