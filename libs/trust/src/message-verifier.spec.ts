import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  clockAt,
  homeAsSeenBy,
  homeKeyRing,
  homePublicJwks,
  homeVerifier,
  NOW,
  partnerContext,
  partnerKeyRing,
  partnerPublicJwks,
  partnerRegistry,
  SAMPLE_PAYLOAD,
  security,
  SIMULATED_PARTNERS,
  tokenFromPartner,
} from '../../../test/trust/support/trust-fixtures.js';
import { mapWithConcurrency } from './concurrency.js';
import { InMemoryReplayStore } from './replay-store.js';
import { MessageSealer } from './message-sealer.js';
import { MessageVerifier } from './message-verifier.js';
import { PartnerKeyRegistry } from './partner-key-registry.js';
import { SIGNATURE_ALGORITHMS } from './algorithms.js';

const encryptionRequired = security({
  encryption: { required: true, keyManagementAlgorithm: 'ECDH-ES+A256KW', contentEncryption: 'A256GCM' },
});

describe('MessageVerifier: messages that pass', () => {
  it.each(SIMULATED_PARTNERS.flatMap((p) => SIGNATURE_ALGORITHMS.map((alg) => [p, alg] as const)))(
    '%s signs with %s; we get the exact bytes and a report',
    async (partner, alg) => {
      const messageId = randomUUID();
      const token = await tokenFromPartner(partner, { alg, messageId });
      const { payload, report } = await (await homeVerifier()).verify(token, partnerContext(partner));
      expect(Buffer.from(payload).equals(Buffer.from(SAMPLE_PAYLOAD))).toBe(true);
      expect(report).toMatchObject({
        partner,
        kid: `${partner}-sim-sig-${alg.toLowerCase()}-2025`,
        alg,
        jti: messageId,
        aud: 'KZ-SRC',
        iat: NOW.toISOString(),
        messageType: 'AEO_STATUS_DELTA',
        contentType: 'application/xml',
        profileVersion: '1',
        encrypted: false,
        payloadBytes: SAMPLE_PAYLOAD.byteLength,
      });
      expect(report.payloadSha256).toMatch(/^[0-9a-f]{64}$/);
    },
  );

  it('accepts a sign-then-encrypt message and says which of our keys it was encrypted to', async () => {
    const token = await tokenFromPartner('kr', { encrypt: true });
    expect(token.split('.')).toHaveLength(5);
    const { payload, report } = await (
      await homeVerifier()
    ).verify(token, partnerContext('kr', { security: encryptionRequired }));
    expect(Buffer.from(payload).equals(Buffer.from(SAMPLE_PAYLOAD))).toBe(true);
    // Our JWKS has an X25519 and a P-256 encryption key of the same age: X25519 is preferred.
    expect(report).toMatchObject({
      encrypted: true,
      encryptionKid: 'kz-src-test-enc-x25519-2025',
      encryptionAlg: 'ECDH-ES+A256KW',
    });
  });

  it('decrypts a JWE to our X25519 key as well as to our P-256 key', async () => {
    // The test above goes to our X25519 key (preferred); without it in our JWKS, to our P-256 key.
    const onlyP256 = { keys: homePublicJwks().keys.filter((k) => k.crv !== 'X25519' || k.use !== 'enc') };
    const sealer = new MessageSealer({
      ourProgramme: 'TR-MOT',
      signingKeys: await partnerKeyRing('tr'),
      partnerKeys: await PartnerKeyRegistry.fromJwks({ kz: onlyP256 }),
      clock: clockAt(),
    });
    const { token, report: sent } = await sealer.seal({
      payload: SAMPLE_PAYLOAD,
      partner: homeAsSeenBy(encryptionRequired),
      messageId: randomUUID(),
      messageType: 'RECEIPT',
    });
    expect(sent.encryptionKid).toBe('kz-src-test-enc-p256-2025');
    const { report } = await (
      await homeVerifier()
    ).verify(token, partnerContext('tr', { security: encryptionRequired }));
    expect(report).toMatchObject({
      encrypted: true,
      encryptionKid: 'kz-src-test-enc-p256-2025',
      messageType: 'RECEIPT',
    });
  });

  it('accepts issued-at at the edges of the skew and age windows', async () => {
    const verifier = await homeVerifier();
    const justAhead = await tokenFromPartner('cn', { at: new Date(NOW.getTime() + 299_000) });
    const justFresh = await tokenFromPartner('cn', { at: new Date(NOW.getTime() - (86_400 + 299) * 1000) });
    await expect(verifier.verify(justAhead, partnerContext('cn'))).resolves.toBeDefined();
    await expect(verifier.verify(justFresh, partnerContext('cn'))).resolves.toBeDefined();
  });

  it('takes the token as bytes as well as text, and "xml" as cty for application/xml', async () => {
    const token = await tokenFromPartner('wco', { alg: 'EdDSA' });
    await expect(
      (await homeVerifier()).verify(
        Buffer.from(token, 'ascii'),
        partnerContext('wco', { contentType: 'XML' }),
      ),
    ).resolves.toBeDefined();
  });

  it('does not use up a message id when the message is refused for another reason', async () => {
    const replayStore = new InMemoryReplayStore();
    const messageId = randomUUID();
    const token = await tokenFromPartner('cn', { messageId });
    const strict = await homeVerifier({
      replayStore,
      clock: clockAt(new Date(NOW.getTime() + 3 * 86_400_000)),
    });
    await expect(strict.verify(token, partnerContext('cn'))).rejects.toMatchObject({
      code: 'MESSAGE_TOO_OLD',
    });
    await expect(
      (await homeVerifier({ replayStore })).verify(token, partnerContext('cn')),
    ).resolves.toBeDefined();
  });

  it('keeps message ids per partner: the same id from two partners is no replay', async () => {
    const verifier = await homeVerifier();
    const messageId = randomUUID();
    await verifier.verify(await tokenFromPartner('cn', { messageId }), partnerContext('cn'));
    await expect(
      verifier.verify(await tokenFromPartner('kr', { messageId }), partnerContext('kr')),
    ).resolves.toBeDefined();
  });

  it('verifies many messages in flight at once', async () => {
    const tokens = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        tokenFromPartner(SIMULATED_PARTNERS[i % 5], { encrypt: i % 2 === 0 }),
      ),
    );
    const verifier = await homeVerifier();
    const reports = await mapWithConcurrency(
      tokens,
      32,
      async (token, i) => (await verifier.verify(token, partnerContext(SIMULATED_PARTNERS[i % 5]))).report,
    );
    expect(reports.filter((r) => r.encrypted)).toHaveLength(32);
    expect(new Set(reports.map((r) => r.jti)).size).toBe(64);
  });
});

describe('MessageSealer: what we send', () => {
  it("signs with the partner's outbound algorithm and encrypts to its key when its profile asks", async () => {
    const sealer = new MessageSealer({
      ourProgramme: 'KZ-SRC',
      signingKeys: await homeKeyRing(),
      partnerKeys: await partnerRegistry(),
      clock: clockAt(),
    });
    const tr = partnerContext('tr', {
      security: { ...encryptionRequired, outboundSignatureAlgorithm: 'PS256' },
    });
    const { token, report } = await sealer.seal({
      payload: SAMPLE_PAYLOAD,
      partner: tr,
      messageId: randomUUID(),
      messageType: 'AEO_SNAPSHOT',
    });
    expect(report).toMatchObject({
      alg: 'PS256',
      kid: 'kz-src-test-sig-ps256-2025',
      aud: 'TR-MOT',
      encrypted: true,
      // tr publishes X25519 and P-256 encryption keys of the same age: X25519 is preferred.
      encryptionKid: 'tr-sim-enc-x25519-2025',
    });

    // The simulated partner receives it: decrypts with its own key, verifies with our public JWKS.
    const atPartner = new MessageVerifier({
      ourProgramme: 'TR-MOT',
      partnerKeys: await PartnerKeyRegistry.fromJwks({ kz: homePublicJwks() }),
      replayStore: new InMemoryReplayStore(),
      clock: clockAt(),
      decryptionKeys: await partnerKeyRing('tr'),
    });
    const { payload, report: received } = await atPartner.verify(
      token,
      homeAsSeenBy({ ...encryptionRequired, signatureAlgorithms: ['PS256'] }),
    );
    expect(Buffer.from(payload).equals(Buffer.from(SAMPLE_PAYLOAD))).toBe(true);
    expect(received).toMatchObject({
      iss: 'KZ-SRC',
      aud: 'TR-MOT',
      encrypted: true,
      messageType: 'AEO_SNAPSHOT',
    });
  });

  it('stops before encryption when asked to sign only', async () => {
    const sealer = new MessageSealer({
      ourProgramme: 'KZ-SRC',
      signingKeys: await homeKeyRing(),
      partnerKeys: await partnerRegistry(),
      clock: clockAt(),
    });
    const { token, report } = await sealer.seal({
      payload: SAMPLE_PAYLOAD,
      partner: partnerContext('eaeu', { security: encryptionRequired }),
      messageId: randomUUID(),
      messageType: 'AEO_SNAPSHOT',
      signOnly: true,
    });
    expect(token.split('.')).toHaveLength(3);
    expect(report.encrypted).toBe(false);
  });

  it('refuses to send when encryption is required and the partner has no encryption key', async () => {
    const signOnlyKeys = { keys: partnerPublicJwks('kr').keys.filter((k) => k.use === 'sig') };
    const sealer = new MessageSealer({
      ourProgramme: 'KZ-SRC',
      signingKeys: await homeKeyRing(),
      partnerKeys: await PartnerKeyRegistry.fromJwks({ kr: signOnlyKeys }),
      clock: clockAt(),
    });
    await expect(
      sealer.seal({
        payload: SAMPLE_PAYLOAD,
        partner: partnerContext('kr', { security: encryptionRequired }),
        messageId: randomUUID(),
        messageType: 'RECEIPT',
      }),
    ).rejects.toMatchObject({
      code: 'ENCRYPTION_KEY_UNAVAILABLE',
    });
  });

  it('refuses to sign when no key of the outbound algorithm is active', async () => {
    const sealer = new MessageSealer({
      ourProgramme: 'KZ-SRC',
      signingKeys: await homeKeyRing(),
      partnerKeys: await partnerRegistry(),
      clock: clockAt(new Date('2024-06-01T00:00:00Z')),
    });
    await expect(
      sealer.seal({
        payload: SAMPLE_PAYLOAD,
        partner: partnerContext('cn'),
        messageId: randomUUID(),
        messageType: 'RECEIPT',
      }),
    ).rejects.toMatchObject({
      code: 'SIGNING_KEY_UNAVAILABLE',
    });
  });
});
