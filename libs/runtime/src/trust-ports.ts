import type { Clock as ExchangeClock, MessageOpener, MessageSealer, VerifiedMessage } from '@aeo/exchange';
import type { PartnerProfile } from '@aeo/partners';
import { type MessageSealer as JoseSealer, type MessageVerifier, trustContextOf, type ReplayStore } from '@aeo/trust';
import { CompactSign } from 'jose';
import type { CheckpointSigner } from '@aeo/audit';
import type { SigningKeyProvider } from '@aeo/trust';

/** The exchange's sealing port on the trust library: sign, and encrypt where the profile asks. */
export function trustSealer(sealer: JoseSealer): MessageSealer {
  return {
    async seal({ profile, payload, envelope }) {
      const sealed = await sealer.seal({ payload, partner: trustContextOf(profile), messageId: envelope.messageId, messageType: envelope.messageType });
      return sealed.token;
    },
  };
}

/** The exchange's opening port on the trust library: decrypt then verify, in the verifier's fixed order. */
export function trustOpener(verifier: MessageVerifier): MessageOpener {
  return {
    async open({ profile, token }: { profile: PartnerProfile; token: Uint8Array }): Promise<VerifiedMessage> {
      const { payload, report } = await verifier.verify(token, trustContextOf(profile));
      return { payload, keyId: report.kid, algorithm: report.alg, messageId: report.jti, messageType: report.messageType, encrypted: report.encrypted };
    },
  };
}

/**
 * Replay defence of the inbound pipeline. The verifier's replay check would run before the
 * batch transaction, so a message whose transaction then failed (database down) would come
 * back as a "replay" and be lost. The pipeline instead keeps the inbox table — unique
 * (partner, message id), written in the same transaction as the register change — as its
 * replay store: the same id with the same bytes is a duplicate (applied once, original
 * receipt sent again), the same id with other bytes is REPLAYED_MESSAGE. Freshness
 * (MESSAGE_TOO_OLD) is still checked by the verifier.
 */
export const replayCheckedByInbox: ReplayStore = {
  async remember() {
    return 'first';
  },
  async purgeExpired() {
    return 0;
  },
};

/** Audit checkpoints are signed with our current ES256 signing key. */
export function checkpointSigner(keyRing: SigningKeyProvider, clock: () => Date): CheckpointSigner {
  const current = () => keyRing.signingKey('ES256', clock());
  return {
    get kid() {
      return current().kid;
    },
    async sign(payload) {
      const key = current();
      return new CompactSign(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'mra-checkpoint+jws' }).sign(key.privateKey);
    },
  };
}

export function exchangeClock(clock: { now(): Date }): ExchangeClock {
  return { now: () => clock.now().getTime() };
}
