/**
 * Building tokens the way a simulated partner (or an attacker) would: any protected header,
 * signed with the partner's TEST-ONLY key from test/keys/partners/<p>/ or with a stranger's
 * key, then (because every partner profile requires sign-then-encrypt) wrapped in a JWE to
 * our TEST-ONLY encryption key. The verifier side is the real MessageVerifier with the
 * partner's real trust context (trustContextOf(profile)).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { CompactEncrypt, importJWK, type CryptoKey, type JWK } from 'jose';
import {
  buildJwsHeader,
  fixedClock,
  InMemoryReplayStore,
  isSignatureAlgorithm,
  KeyRing,
  MessageVerifier,
  signCompactJws,
  trustContextOf,
  type PartnerKeyRegistry,
  type PartnerTrustContext,
  type ReplayStore,
  type SignatureAlgorithm,
} from '@aeo/trust';
import type { MessageType } from '@aeo/domain';
import {
  homePrivateJwks,
  homePublicJwks,
  NOW,
  partnerPrivateJwks,
  partnerPublicJwks,
  partnerRegistry,
} from '../../trust/support/trust-fixtures.js';
import { BASE_FIXTURE, fixtureBytes, PARTNERS, profileOf, type Partner } from './formats.js';

export { NOW };

/** Our P-256 and X25519 encryption keys (test/keys/home). */
export const HOME_ENC_P256 = 'kz-src-test-enc-p256-2025';
export const HOME_ENC_X25519 = 'kz-src-test-enc-x25519-2025';

export interface JoseKit {
  /** Every simulated partner's public keys, as the gateway holds them (config/partners/keys). */
  readonly registry: PartnerKeyRegistry;
  /** Each partner's private test keys. */
  readonly rings: Readonly<Record<Partner, KeyRing>>;
  /** Our private keys: the verifier decrypts with them, and a reflection attack signs with them. */
  readonly home: KeyRing;
  /** Our public encryption keys, to encrypt to. */
  readonly ourP256: CryptoKey;
  readonly ourX25519: CryptoKey;
  /** Keys in nobody's JWKS. */
  readonly stranger: Readonly<Record<SignatureAlgorithm, CryptoKey>>;
  readonly strangerEncryption: CryptoKey;
}

async function importFresh(
  kind: 'ec' | 'ed25519' | 'rsa-pss' | 'ecdh',
  alg: string,
  part: 'privateKey' | 'publicKey',
): Promise<CryptoKey> {
  const pair =
    kind === 'ec' || kind === 'ecdh'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : kind === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return (await importJWK(pair[part].export({ format: 'jwk' }) as JWK, alg)) as CryptoKey;
}

let kitPromise: Promise<JoseKit> | undefined;

/** Built once per test file: key imports are the slow part. */
export function joseKit(): Promise<JoseKit> {
  kitPromise ??= (async () => {
    const rings = {} as Record<Partner, KeyRing>;
    for (const partner of PARTNERS)
      rings[partner] = await KeyRing.fromPrivateJwks(partnerPrivateJwks(partner));
    const ourPublic = homePublicJwks().keys;
    const importOurs = async (kid: string) =>
      (await importJWK(ourPublic.find((k) => k.kid === kid) as JWK, 'ECDH-ES+A256KW')) as CryptoKey;
    return {
      registry: await partnerRegistry(),
      rings,
      home: await KeyRing.fromPrivateJwks(homePrivateJwks()),
      ourP256: await importOurs(HOME_ENC_P256),
      ourX25519: await importOurs(HOME_ENC_X25519),
      stranger: {
        ES256: await importFresh('ec', 'ES256', 'privateKey'),
        EdDSA: await importFresh('ed25519', 'EdDSA', 'privateKey'),
        PS256: await importFresh('rsa-pss', 'PS256', 'privateKey'),
      },
      strangerEncryption: await importFresh('ecdh', 'ECDH-ES+A256KW', 'publicKey'),
    };
  })();
  return kitPromise;
}

/** The partner's real trust context: its programme, security profile, media type and size limit. */
export const contextOf = (partner: Partner): PartnerTrustContext => trustContextOf(profileOf(partner));

/** The verifier the gateway runs, at the test instant, with a replay store of its own. */
export function verifierFor(
  kit: JoseKit,
  replayStore: ReplayStore = new InMemoryReplayStore(),
  partnerKeys: PartnerKeyRegistry = kit.registry,
): MessageVerifier {
  return new MessageVerifier({
    ourProgramme: 'KZ-SRC',
    partnerKeys,
    replayStore,
    clock: fixedClock(NOW),
    decryptionKeys: kit.home,
  });
}

/** The first algorithm of the partner's allow-list: what its simulator signs with. */
export const defaultAlg = (partner: Partner): SignatureAlgorithm =>
  profileOf(partner).security.signatureAlgorithms[0];

/** An algorithm the partner's profile does not allow (every profile leaves at least one out). */
export function disallowedAlg(partner: Partner): SignatureAlgorithm {
  const allowed = profileOf(partner).security.signatureAlgorithms as readonly string[];
  const alg = (['EdDSA', 'PS256', 'ES256'] as const).find((a) => !allowed.includes(a));
  if (!alg) throw new Error(`${partner} allows every algorithm`);
  return alg;
}

/** The kid of a partner's test signing key for an algorithm (test/keys/partners/<p>). */
export const kidOf = (partner: Partner, alg: SignatureAlgorithm): string =>
  `${partner}-sim-sig-${alg.toLowerCase()}-2025`;

export const basePayload = (partner: Partner): Buffer => fixtureBytes(BASE_FIXTURE[partner]);

/** A correct header from the partner to us, then `changes` (a member set to undefined is removed). */
export function header(
  partner: Partner,
  changes: Record<string, unknown> = {},
  options: { at?: Date; messageType?: MessageType } = {},
): Record<string, unknown> {
  const profile = profileOf(partner);
  const alg = defaultAlg(partner);
  const base: Record<string, unknown> = {
    ...buildJwsHeader(
      {
        contentType: profile.wire.mediaType,
        messageId: randomUUID(),
        messageType: options.messageType ?? 'AEO_STATUS_DELTA',
        issuer: profile.programme,
        audience: 'KZ-SRC',
        issuedAt: options.at ?? NOW,
      },
      alg,
      kidOf(partner, alg),
    ),
    ...changes,
  };
  for (const [member, value] of Object.entries(changes)) if (value === undefined) delete base[member];
  return base;
}

export interface SignOptions {
  /** Signing key; default the partner's own test key for the header's alg. */
  readonly key?: CryptoKey;
  readonly payload?: Uint8Array;
}

/** Sign any header (jose is told to accept whatever `crit` names, so the verifier's own checks decide). */
export function sign(
  kit: JoseKit,
  partner: Partner,
  jwsHeader: Record<string, unknown>,
  options: SignOptions = {},
): Promise<string> {
  const alg = isSignatureAlgorithm(jwsHeader.alg) ? jwsHeader.alg : defaultAlg(partner);
  const key = options.key ?? kit.rings[partner].signingKey(alg, NOW).privateKey;
  const crit = Array.isArray(jwsHeader.crit)
    ? Object.fromEntries((jwsHeader.crit as string[]).map((m) => [m, true]))
    : undefined;
  return signCompactJws(options.payload ?? basePayload(partner), jwsHeader, key, crit);
}

/** A JWE around `plaintext` (normally a JWS), addressed to our P-256 key unless told otherwise. */
export function encrypt(
  kit: JoseKit,
  plaintext: string,
  jweHeader: Record<string, unknown> = {},
  key: CryptoKey = kit.ourP256,
): Promise<string> {
  const protectedHeader: Record<string, unknown> = {
    alg: 'ECDH-ES+A256KW',
    enc: 'A256GCM',
    kid: HOME_ENC_P256,
    typ: 'mra+jwe',
    cty: 'mra+jws',
    ...jweHeader,
  };
  for (const [member, value] of Object.entries(jweHeader))
    if (value === undefined) delete protectedHeader[member];
  return new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader(protectedHeader as { alg: string; enc: string })
    .encrypt(key);
}

/** Sign-then-encrypt, as the partner's profile requires: the normal shape of an inbound message. */
export async function seal(
  kit: JoseKit,
  partner: Partner,
  changes: Record<string, unknown> = {},
  options: SignOptions & { at?: Date; messageType?: MessageType } = {},
): Promise<string> {
  return encrypt(kit, await sign(kit, partner, header(partner, changes, options), options));
}

/** The gateway's keys with the validity members of one partner's signing key changed (rotation, revocation). */
export function registryWithValidity(
  kit: JoseKit,
  partner: Partner,
  kid: string,
  members: Record<string, string>,
): Promise<PartnerKeyRegistry> {
  const keys = partnerPublicJwks(partner).keys.map((k) => (k.kid === kid ? { ...k, ...members } : k));
  return kit.registry.withPartnerJwks(partner, { keys });
}

// ---------------------------------------------------------------- token surgery

export const b64 = (value: string | Uint8Array | object): string =>
  Buffer.from(
    typeof value === 'string' || value instanceof Uint8Array ? value : JSON.stringify(value),
  ).toString('base64url');

export function replaceSegment(token: string, index: number, replace: (segment: string) => string): string {
  const parts = token.split('.');
  parts[index] = replace(parts[index]);
  return parts.join('.');
}

/** Change one base64url character in the middle of a segment (never the last, whose low bits may be unused). */
export function flipCharacter(segment: string): string {
  const i = Math.floor(segment.length / 2);
  return `${segment.slice(0, i)}${segment[i] === 'A' ? 'B' : 'A'}${segment.slice(i + 1)}`;
}

/** Rewrite the protected header of a token (its signature or AEAD tag no longer matches). */
export function reheader(
  token: string,
  change: (h: Record<string, unknown>) => Record<string, unknown>,
): string {
  return replaceSegment(token, 0, (segment) => {
    const changed = change(
      JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>,
    );
    for (const [member, value] of Object.entries(changed)) if (value === undefined) delete changed[member];
    return b64(changed);
  });
}

/** An unsecured or hand-made JWS: header and payload as given, signature segment as given. */
export const handMadeJws = (
  jwsHeader: Record<string, unknown>,
  payload: Uint8Array,
  signature = '',
): string => `${b64(jwsHeader)}.${b64(payload)}.${signature}`;
