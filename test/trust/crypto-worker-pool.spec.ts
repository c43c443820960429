import { generateKeyPairSync, randomUUID, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { GatewayError } from '@aeo/domain';
import { CryptoWorkerPool, MessageSealer, MessageVerifier, InMemoryReplayStore, PartnerKeyRegistry, inlineCrypto, type CryptoBackend } from '@aeo/trust';
import { NOW, PARTNER_PROGRAMMES, SAMPLE_PAYLOAD, clockAt, homeAsSeenBy, homeKeyRing, homePublicJwks, partnerKeyRing, partnerRegistry, security } from './support/trust-fixtures.js';

jest.setTimeout(60_000);

/**
 * The crypto worker pool must be interchangeable with the event-loop crypto: the same tokens
 * open either way, the same refusals come back with the same reason code and path, and a
 * worker that dies fails only its outstanding jobs.
 */
describe('CryptoWorkerPool', () => {
  let pool: CryptoWorkerPool;

  beforeAll(() => {
    pool = new CryptoWorkerPool(2);
  });

  afterAll(async () => {
    await pool.close();
  });

  /** cn sealing a message to us, with its crypto on `crypto`. */
  async function cnSealer(crypto: CryptoBackend): Promise<MessageSealer> {
    return new MessageSealer({
      ourProgramme: PARTNER_PROGRAMMES.cn,
      signingKeys: await partnerKeyRing('cn'),
      partnerKeys: await PartnerKeyRegistry.fromJwks({ kz: homePublicJwks() }),
      clock: clockAt(NOW),
      crypto,
    });
  }

  async function homeVerifier(crypto: CryptoBackend): Promise<MessageVerifier> {
    return new MessageVerifier({
      ourProgramme: 'KZ-SRC',
      partnerKeys: await partnerRegistry(),
      replayStore: new InMemoryReplayStore(),
      clock: clockAt(NOW),
      decryptionKeys: await homeKeyRing(),
      crypto,
    });
  }

  const toUs = (alg: 'EdDSA' | 'ES256' | 'PS256', encrypt: boolean) =>
    homeAsSeenBy(security({ outboundSignatureAlgorithm: alg, encryption: { ...security().encryption, required: encrypt } }));

  async function seal(crypto: CryptoBackend, alg: 'EdDSA' | 'ES256' | 'PS256', encrypt: boolean, messageId = randomUUID()): Promise<string> {
    const sealer = await cnSealer(crypto);
    const { token } = await sealer.seal({ payload: SAMPLE_PAYLOAD, partner: toUs(alg, encrypt), messageId, messageType: 'AEO_STATUS_DELTA' });
    return token;
  }

  const fromCn = (encrypt: boolean) => ({
    partner: 'cn',
    programme: PARTNER_PROGRAMMES.cn,
    security: security({ jwksFile: 'config/partners/keys/cn.jwks.json', encryption: { ...security().encryption, required: encrypt } }),
    contentType: 'application/xml',
  });

  it.each([
    ['EdDSA', true],
    ['ES256', true],
    ['PS256', true],
    ['ES256', false],
  ] as const)('seals %s (encrypted: %s) on a worker so that the event-loop verifier opens it, and opens it on a worker too', async (alg, encrypt) => {
    const token = await seal(pool, alg, encrypt);
    expect(token.split('.')).toHaveLength(encrypt ? 5 : 3);
    for (const crypto of [inlineCrypto, pool]) {
      const { payload, report } = await (await homeVerifier(crypto)).verify(token, fromCn(encrypt));
      expect(Buffer.from(payload).equals(Buffer.from(SAMPLE_PAYLOAD))).toBe(true);
      expect({ alg: report.alg, encrypted: report.encrypted }).toEqual({ alg, encrypted: encrypt });
    }
  });

  it('opens on a worker what was sealed on the event loop', async () => {
    const token = await seal(inlineCrypto, 'ES256', true);
    const { payload } = await (await homeVerifier(pool)).verify(token, fromCn(true));
    expect(Buffer.from(payload).toString('utf8')).toBe(Buffer.from(SAMPLE_PAYLOAD).toString('utf8'));
  });

  it('gives the same bytes as the event loop (Ed25519 signatures are deterministic)', async () => {
    const messageId = randomUUID();
    expect(await seal(pool, 'EdDSA', false, messageId)).toBe(await seal(inlineCrypto, 'EdDSA', false, messageId));
  });

  it('refuses a tampered ciphertext, a tampered signature and a private epk with the reason code and path the event loop gives', async () => {
    const encrypted = (await seal(inlineCrypto, 'ES256', true)).split('.');
    const ciphertext = encrypted[3];
    encrypted[3] = (ciphertext[0] === 'A' ? 'B' : 'A') + ciphertext.slice(1);
    const tamperedCiphertext = encrypted.join('.');

    const signed = (await seal(inlineCrypto, 'ES256', false)).split('.');
    const signature = Buffer.from(signed[2], 'base64url');
    signature[5] ^= 0xff;
    const tamperedSignature = [signed[0], signed[1], signature.toString('base64url')].join('.');

    const jwe = (await seal(inlineCrypto, 'ES256', true)).split('.');
    const header = JSON.parse(Buffer.from(jwe[0], 'base64url').toString('utf8')) as { epk: Record<string, string> };
    header.epk = { ...header.epk, d: header.epk.x };
    const privateEpk = [Buffer.from(JSON.stringify(header)).toString('base64url'), ...jwe.slice(1)].join('.');

    const cases = [
      [tamperedCiphertext, true, 'JWE_DECRYPTION_FAILED'],
      [tamperedSignature, false, 'SIGNATURE_INVALID'],
      [privateEpk, true, 'JWE_MALFORMED'],
    ] as const;
    for (const [token, encrypt, code] of cases) {
      const context = fromCn(encrypt);
      const onLoop = await refusalIn(await homeVerifier(inlineCrypto), token, context);
      const onWorker = await refusalIn(await homeVerifier(pool), token, context);
      expect(onWorker).toEqual(onLoop);
      expect(onWorker.code).toBe(code);
    }
  });

  async function refusalIn(verifier: MessageVerifier, token: string, context: ReturnType<typeof fromCn>): Promise<{ code: string; path: string | undefined; message: string }> {
    const error = await verifier.verify(token, context).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewayError);
    const { code, path, message } = error as GatewayError;
    return { code, path, message };
  }

  it('keeps many jobs in flight over both workers, each answered with its own result', async () => {
    const ids = Array.from({ length: 200 }, () => randomUUID());
    const tokens = await Promise.all(ids.map((id, i) => seal(pool, i % 3 === 0 ? 'EdDSA' : 'ES256', true, id)));
    const verifier = await homeVerifier(pool);
    const opened = await Promise.all(tokens.map((token) => verifier.verify(token, fromCn(true))));
    expect(opened.map((o) => o.report.jti)).toEqual(ids);
  });

  it('fails the outstanding jobs of a worker that dies with TRANSIENT_FAILURE, and replaces the worker', async () => {
    const own = new CryptoWorkerPool(1);
    try {
      const sealing = seal(own, 'PS256', true);
      // The job is posted at the next turn of the event loop; end the worker while it is out.
      await new Promise((resolve) => setImmediate(resolve));
      await (own as unknown as { workers: { thread: { terminate(): Promise<number> } }[] }).workers[0].thread.terminate();
      await expect(sealing).rejects.toMatchObject({ code: 'TRANSIENT_FAILURE' });
      const token = await seal(own, 'ES256', true);
      await expect((await homeVerifier(inlineCrypto)).verify(token, fromCn(true))).resolves.toMatchObject({ report: { alg: 'ES256' } });
    } finally {
      await own.close();
    }
  });

  it('runs a job queued just before its key was dropped (the worker forgets keys after the batch that carries the news)', async () => {
    const own = new CryptoWorkerPool(1);
    try {
      const pair = generateKeyPairSync('ed25519');
      const signingInput = 'eyJhbGciOiJFZERTQSJ9.eA';
      // The key reaches the worker with the first job.
      await own.seal({ signingInput, alg: 'EdDSA', privateKey: pair.privateKey });
      const internals = own as unknown as { keyIds: WeakMap<object, number>; forget(id: number): void };
      const id = internals.keyIds.get(pair.privateKey)!;
      // Queued in this turn, then the key is reported dropped before the batch goes out: both travel together.
      const sealing = own.seal({ signingInput, alg: 'EdDSA', privateKey: pair.privateKey });
      internals.forget(id);
      const jws = await sealing;
      expect(verify(null, Buffer.from(signingInput), pair.publicKey, Buffer.from(jws.split('.')[2], 'base64url'))).toBe(true);
    } finally {
      await own.close();
    }
  });

  it('refuses work once closed', async () => {
    const own = new CryptoWorkerPool(1);
    await own.close();
    await expect(seal(own, 'ES256', true)).rejects.toMatchObject({ code: 'TRANSIENT_FAILURE' });
  });

  it('needs at least one worker', () => {
    expect(() => new CryptoWorkerPool(0)).toThrow(RangeError);
  });
});
