/**
 * Fixed keys and partner contexts for trust tests. All key material comes from the committed
 * TEST-ONLY files under test/keys/ and config/partners/keys/ (fictional partners).
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { repoPath } from '@aeo/config';
import type { MessageType, Programme } from '@aeo/domain';
import type { PartnerSecurityProfile } from '@aeo/partners';
import {
  fixedClock,
  InMemoryReplayStore,
  KeyRing,
  MessageSealer,
  MessageVerifier,
  PartnerKeyRegistry,
  publicPartOf,
  type Clock,
  type PartnerTrustContext,
  type ReplayStore,
} from '@aeo/trust';

export const SIMULATED_PARTNERS = ['cn', 'kr', 'tr', 'eaeu', 'wco'] as const;
export type SimulatedPartner = (typeof SIMULATED_PARTNERS)[number];

export const PARTNER_PROGRAMMES: Record<SimulatedPartner, Programme> = {
  cn: 'CN-GACC',
  kr: 'KR-KCS',
  tr: 'TR-MOT',
  eaeu: 'EAEU-EEC',
  wco: 'WCO-REF',
};

/** The instant every unit test runs at; test keys activate on 2025-01-01. */
export const NOW = new Date('2026-03-01T12:00:00Z');
export const clockAt = (at: Date = NOW): Clock => fixedClock(at);

export function readJson(...segments: string[]): { keys: Record<string, unknown>[] } {
  return JSON.parse(readFileSync(repoPath(...segments), 'utf8')) as { keys: Record<string, unknown>[] };
}

export const partnerPrivateJwks = (partner: SimulatedPartner) =>
  readJson('test', 'keys', 'partners', partner, 'private.jwks.json');
export const homePrivateJwks = () => readJson('test', 'keys', 'home', 'private.jwks.json');
export const partnerPublicJwks = (partner: SimulatedPartner) =>
  readJson('config', 'partners', 'keys', `${partner}.jwks.json`);

/** Public JWKS of the home test keys, as `mra jwks` would publish them. */
export function homePublicJwks(): { keys: Record<string, unknown>[] } {
  return {
    keys: homePrivateJwks().keys.map((k) => ({
      ...publicPartOf(k),
      kid: k.kid,
      alg: k.alg,
      use: k.use,
      mra_activates_at: k.mra_activates_at,
    })),
  };
}

export function security(overrides: Partial<PartnerSecurityProfile> = {}): PartnerSecurityProfile {
  return {
    signatureAlgorithms: ['EdDSA', 'ES256', 'PS256'],
    outboundSignatureAlgorithm: 'ES256',
    encryption: { required: false, keyManagementAlgorithm: 'ECDH-ES+A256KW', contentEncryption: 'A256GCM' },
    jwksFile: 'config/partners/keys/cn.jwks.json',
    maxClockSkewSeconds: 300,
    maxMessageAgeSeconds: 86_400,
    ...overrides,
  };
}

export function partnerContext(
  partner: SimulatedPartner,
  overrides: Partial<PartnerTrustContext> & { security?: PartnerSecurityProfile } = {},
): PartnerTrustContext {
  return {
    partner,
    programme: PARTNER_PROGRAMMES[partner],
    security: security({ jwksFile: `config/partners/keys/${partner}.jwks.json` }),
    contentType: 'application/xml',
    maxPayloadBytes: 2 * 1024 * 1024,
    ...overrides,
  };
}

/** Our view of the world: every simulated partner's public keys from config/partners/keys. */
export function partnerRegistry(): Promise<PartnerKeyRegistry> {
  return PartnerKeyRegistry.fromJwks(
    Object.fromEntries(SIMULATED_PARTNERS.map((p) => [p, partnerPublicJwks(p)])),
  );
}

export const homeKeyRing = () => KeyRing.fromPrivateJwks(homePrivateJwks());
export const partnerKeyRing = (partner: SimulatedPartner) =>
  KeyRing.fromPrivateJwks(partnerPrivateJwks(partner));

/** The home side as a partner sees it: the context a simulated partner uses to send to us. */
export function homeAsSeenBy(securityProfile: PartnerSecurityProfile): PartnerTrustContext {
  return { partner: 'kz', programme: 'KZ-SRC', security: securityProfile, contentType: 'application/xml' };
}

/**
 * A simulated partner sending to us: signs with its test key and, when `encrypt`, encrypts
 * to our test encryption key. Returns the wire token.
 */
export async function tokenFromPartner(
  partner: SimulatedPartner,
  options: {
    payload?: Uint8Array;
    alg?: 'EdDSA' | 'ES256' | 'PS256';
    encrypt?: boolean;
    messageId?: string;
    messageType?: MessageType;
    at?: Date;
    contentType?: string;
    /** Our published JWKS to encrypt to (default: the home test keys). */
    ourJwks?: unknown;
  } = {},
): Promise<string> {
  const sealer = new MessageSealer({
    ourProgramme: PARTNER_PROGRAMMES[partner],
    signingKeys: await partnerKeyRing(partner),
    partnerKeys: await PartnerKeyRegistry.fromJwks({ kz: options.ourJwks ?? homePublicJwks() }),
    clock: clockAt(options.at ?? NOW),
  });
  const { token } = await sealer.seal({
    payload: options.payload ?? SAMPLE_PAYLOAD,
    partner: {
      ...homeAsSeenBy(
        security({
          outboundSignatureAlgorithm: options.alg ?? 'ES256',
          encryption: { ...security().encryption, required: options.encrypt ?? false },
        }),
      ),
      ...(options.contentType ? { contentType: options.contentType } : {}),
    },
    messageId: options.messageId ?? randomUUID(),
    messageType: options.messageType ?? 'AEO_STATUS_DELTA',
  });
  return token;
}

export const SAMPLE_PAYLOAD = new TextEncoder().encode(
  '<?xml version="1.0" encoding="UTF-8"?>\n<!-- fictional test data -->\n<AEOStatusDelta xmlns="urn:test:mra"><Operator><AEOId>CN1234567890</AEOId><Status>ACTIVE</Status></Operator></AEOStatusDelta>\n',
);

/** Our verifier for messages from the simulated partners, with an in-memory replay store. */
export async function homeVerifier(
  options: { clock?: Clock; replayStore?: ReplayStore; registry?: PartnerKeyRegistry } = {},
): Promise<MessageVerifier> {
  return new MessageVerifier({
    ourProgramme: 'KZ-SRC',
    partnerKeys: options.registry ?? (await partnerRegistry()),
    replayStore: options.replayStore ?? new InMemoryReplayStore(),
    clock: options.clock ?? clockAt(),
    decryptionKeys: await homeKeyRing(),
  });
}
