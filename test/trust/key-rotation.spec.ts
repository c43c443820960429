/**
 * Rotating our keys in the middle of a run of messages causes no verification failure at the
 * receiver. Simulated time: one message every 6 minutes, each delivered 30 minutes after it
 * was signed; the receiver refreshes its copy of our JWKS every 10 hours (merging, as
 * `mra keys import` does); the rotation overlap is 24 hours.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  InMemoryReplayStore,
  KeyStore,
  MessageSealer,
  MessageVerifier,
  mergePartnerJwks,
  PartnerKeyRegistry,
  type JwksDocument,
  type KeyRing,
  type SealedMessage,
} from '@aeo/trust';
import { FAST_SCRYPT, ManualClock, TEST_PASSPHRASE } from './support/manual-clock.js';
import {
  homeAsSeenBy,
  partnerContext,
  partnerKeyRing,
  partnerRegistry,
  SAMPLE_PAYLOAD,
  security,
} from './support/trust-fixtures.js';

const MINUTE = 60_000;
const MESSAGES = 1000;
const SPACING = 6 * MINUTE;
const DELIVERY_DELAY_MESSAGES = 5;
const REFRESH_EVERY_MESSAGES = 100;
const ROTATE_AT_MESSAGE = 300;

const encrypted = security({
  encryption: { required: true, keyManagementAlgorithm: 'ECDH-ES+A256KW', contentEncryption: 'A256GCM' },
});

let dir: string;
let clock: ManualClock;
let store: KeyStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mra-rotation-'));
  clock = new ManualClock(new Date('2026-01-10T00:00:00Z'));
  store = new KeyStore({ dir: join(dir, 'keys'), passphrase: TEST_PASSPHRASE, clock, scrypt: FAST_SCRYPT });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The receiver's copy of our JWKS: it adds what we publish and keeps what we stop publishing. */
class ReceiverCopyOfOurKeys {
  private document: JwksDocument = { keys: [] };
  readonly learnedAt = new Map<string, number>();

  async refresh(published: JwksDocument, messageIndex: number): Promise<PartnerKeyRegistry> {
    this.document = (
      await mergePartnerJwks(this.document.keys.length ? this.document : undefined, published, 'kz')
    ).document;
    for (const key of this.document.keys)
      if (!this.learnedAt.has(key.kid as string)) this.learnedAt.set(key.kid as string, messageIndex);
    return PartnerKeyRegistry.fromJwks({ kz: this.document });
  }
}

describe('key rotation in the middle of a run', () => {
  it('our signing key rotates while we send 1000 messages to a partner: zero failures at the receiver', async () => {
    const first = await store.generate({ type: 'sig-es256' });
    let ring: KeyRing = await store.open();
    const partnerKeys = await partnerRegistry();
    const cnProfile = partnerContext('cn', {
      security: { ...encrypted, outboundSignatureAlgorithm: 'ES256' },
    });
    const sealerWith = (signingKeys: KeyRing) =>
      new MessageSealer({ ourProgramme: 'KZ-SRC', signingKeys, partnerKeys, clock });
    let sealer = sealerWith(ring);

    const receiverCopy = new ReceiverCopyOfOurKeys();
    const receiverReplay = new InMemoryReplayStore();
    const receiverKeys = await partnerKeyRing('cn');
    const receiverFor = (registry: PartnerKeyRegistry) =>
      new MessageVerifier({
        ourProgramme: 'CN-GACC',
        partnerKeys: registry,
        replayStore: receiverReplay,
        clock,
        decryptionKeys: receiverKeys,
      });
    let receiver = receiverFor(await receiverCopy.refresh(store.jwks(), 0));

    const inFlight: SealedMessage[] = [];
    const usedKid: string[] = [];
    const failures: string[] = [];
    let next: string | undefined;

    const deliver = async (message: SealedMessage) => {
      try {
        const { report } = await receiver.verify(
          message.token,
          homeAsSeenBy({ ...encrypted, signatureAlgorithms: ['ES256'] }),
        );
        usedKid.push(report.kid);
      } catch (error) {
        failures.push(`${message.report.jti}: ${(error as Error).message}`);
      }
    };

    for (let i = 0; i < MESSAGES; i++) {
      if (i === ROTATE_AT_MESSAGE) {
        next = (await store.rotate({ type: 'sig-es256', overlapHours: 24 })).next.kid;
        ring = await store.open();
        sealer = sealerWith(ring);
      }
      if (i > 0 && i % REFRESH_EVERY_MESSAGES === 0)
        receiver = receiverFor(await receiverCopy.refresh(store.jwks(), i));
      inFlight.push(
        await sealer.seal({
          payload: SAMPLE_PAYLOAD,
          partner: cnProfile,
          messageId: randomUUID(),
          messageType: 'AEO_STATUS_DELTA',
        }),
      );
      if (inFlight.length > DELIVERY_DELAY_MESSAGES) await deliver(inFlight.shift()!);
      clock.advance(SPACING);
    }
    for (const message of inFlight.splice(0)) await deliver(message);

    expect(failures).toEqual([]);
    expect(usedKid).toHaveLength(MESSAGES);
    const firstUseOfNext = usedKid.indexOf(next!);
    // The switch happens when the next key activates, 24 h (240 messages) after the rotation...
    expect(firstUseOfNext).toBe(ROTATE_AT_MESSAGE + 240);
    expect(usedKid.slice(0, firstUseOfNext).every((kid) => kid === first.kid)).toBe(true);
    expect(usedKid.slice(firstUseOfNext).every((kid) => kid === next)).toBe(true);
    // ...and the receiver had learned the next key from our JWKS before it signed anything.
    expect(receiverCopy.learnedAt.get(next!)).toBeLessThan(firstUseOfNext);
    // The old key left our JWKS once retired, but messages it signed were all delivered.
    expect(store.jwks().keys.map((k) => k.kid)).toEqual([next]);
  }, 120_000);

  it('our encryption key rotates while a partner encrypts to us: every message still decrypts', async () => {
    await store.generate({ type: 'sig-es256' });
    const firstEnc = await store.generate({ type: 'enc-p256' });
    let ring = await store.open();
    const partnerSealer = async (ourPublished: JwksDocument) =>
      new MessageSealer({
        ourProgramme: 'KR-KCS',
        signingKeys: await partnerKeyRing('kr'),
        partnerKeys: await PartnerKeyRegistry.fromJwks({ kz: ourPublished }),
        clock,
      });
    let sender = await partnerSealer(store.jwks());
    const partnerKeys = await partnerRegistry();
    const replayStore = new InMemoryReplayStore();
    const verifierWith = (decryptionKeys: KeyRing) =>
      new MessageVerifier({ ourProgramme: 'KZ-SRC', partnerKeys, replayStore, clock, decryptionKeys });
    let verifier = verifierWith(ring);

    const encryptedTo: string[] = [];
    const failures: string[] = [];
    let nextEnc: string | undefined;
    const inFlight: SealedMessage[] = [];
    const deliver = async (message: SealedMessage) => {
      try {
        encryptedTo.push(
          (await verifier.verify(message.token, partnerContext('kr', { security: encrypted }))).report
            .encryptionKid!,
        );
      } catch (error) {
        failures.push((error as Error).message);
      }
    };
    for (let i = 0; i < 600; i++) {
      if (i === 200) {
        nextEnc = (await store.rotate({ type: 'enc-p256', overlapHours: 24 })).next.kid;
        ring = await store.open();
        verifier = verifierWith(ring);
      }
      if (i % REFRESH_EVERY_MESSAGES === 0) sender = await partnerSealer(store.jwks());
      inFlight.push(
        await sender.seal({
          payload: SAMPLE_PAYLOAD,
          partner: homeAsSeenBy(encrypted),
          messageId: randomUUID(),
          messageType: 'AEO_STATUS_DELTA',
        }),
      );
      if (inFlight.length > DELIVERY_DELAY_MESSAGES) await deliver(inFlight.shift()!);
      clock.advance(SPACING);
    }
    for (const message of inFlight.splice(0)) await deliver(message);

    expect(failures).toEqual([]);
    expect(encryptedTo).toHaveLength(600);
    expect(encryptedTo.indexOf(nextEnc!)).toBeGreaterThanOrEqual(440);
    expect(encryptedTo.filter((kid) => kid === firstEnc.kid).length).toBeGreaterThanOrEqual(440);
  }, 120_000);
});
