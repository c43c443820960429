/**
 * Every JOSE attack of the trust issue, run against the real MessageVerifier with each
 * partner's real trust context (trustContextOf(profile): its algorithm allow-list, media
 * type, size limit and sign-then-encrypt requirement). Because every profile requires
 * encryption, an attack on the inner JWS travels inside a correct JWE to our key, so the
 * verifier reaches the check under attack; attacks on the JWE layer change the JWE itself.
 * Payloads are the partner's valid base message (or its valid receipt).
 */
import { createHmac, randomUUID, sign as nodeSign } from 'node:crypto';
import { FlattenedSign } from 'jose';
import type { VerifyCase, Category, Delivery, Expected } from '../case-types.js';
import { fixtureBytes, PARTNERS, profileOf, RECEIPT_FIXTURE, type Partner } from '../support/formats.js';
import {
  b64,
  basePayload,
  contextOf,
  defaultAlg,
  disallowedAlg,
  encrypt,
  flipCharacter,
  handMadeJws,
  header,
  HOME_ENC_X25519,
  kidOf,
  NOW,
  registryWithValidity,
  reheader,
  replaceSegment,
  seal,
  sign,
  type JoseKit,
} from '../support/jose-kit.js';
import { partnerPrivateJwks, partnerPublicJwks } from '../../trust/support/trust-fixtures.js';
import { tokenLimitsFor } from '@aeo/trust';

interface Draft {
  readonly name: string;
  readonly category: Category;
  readonly expect: Expected;
  readonly delivery: (kit: JoseKit) => Promise<Delivery>;
  readonly registry?: VerifyCase['registry'];
}

const once =
  (make: (kit: JoseKit) => Promise<string | Uint8Array>) =>
  async (kit: JoseKit): Promise<Delivery> => ({ token: await make(kit) });

/** Another partner (for kid-confusion attacks): the next one in the list. */
const otherPartner = (partner: Partner): Partner =>
  PARTNERS[(PARTNERS.indexOf(partner) + 1) % PARTNERS.length];

const critOption = (h: Record<string, unknown>) =>
  Object.fromEntries((h.crit as string[]).map((m) => [m, true]));

function drafts(partner: Partner): Draft[] {
  const alg = defaultAlg(partner);
  const ownKid = kidOf(partner, alg);
  const other = otherPartner(partner);
  const inJwe = (make: (kit: JoseKit) => Promise<string>) =>
    once(async (kit) => encrypt(kit, await make(kit)));
  const signed = (changes: Record<string, unknown>, options: { at?: Date } = {}) =>
    inJwe((kit) => sign(kit, partner, header(partner, changes, options)));
  const receipt = () => fixtureBytes(RECEIPT_FIXTURE[partner]);
  const receiptHeader = (changes: Record<string, unknown> = {}) =>
    header(partner, changes, { messageType: 'RECEIPT' });

  return [
    // ---- size and shape
    { name: 'empty-token', category: 'jose', expect: 'JWS_MALFORMED', delivery: once(async () => '') },
    {
      name: 'token-larger-than-any-jwe-of-the-largest-payload',
      category: 'oversize',
      expect: 'PAYLOAD_TOO_LARGE',
      delivery: once(
        async () =>
          `${'A'.repeat(tokenLimitsFor(profileOf(partner).limits.maxBytes).maxJweChars)}.AAAA.AAAA.AAAA.AAAA`,
      ),
    },
    {
      name: 'signed-payload-one-byte-over-the-partner-limit',
      category: 'oversize',
      expect: 'PAYLOAD_TOO_LARGE',
      delivery: inJwe((kit) =>
        sign(kit, partner, header(partner), {
          payload: Buffer.alloc(profileOf(partner).limits.maxBytes + 1, 0x20),
        }),
      ),
    },
    {
      name: 'four-segments',
      category: 'jose',
      expect: 'JWS_MALFORMED',
      delivery: once(async (kit) => `${await sign(kit, partner, header(partner))}.AAAA`),
    },
    {
      name: 'jwe-with-a-plus-sign-in-the-ciphertext',
      category: 'jose',
      expect: 'JWE_MALFORMED',
      delivery: once(async (kit) => replaceSegment(await seal(kit, partner), 3, (s) => `+${s.slice(1)}`)),
    },
    {
      name: 'jwe-header-is-not-json',
      category: 'jose',
      expect: 'JWE_MALFORMED',
      delivery: once(async (kit) => replaceSegment(await seal(kit, partner), 0, () => b64('{"alg":'))),
    },
    {
      name: 'bare-jws-from-a-partner-that-must-encrypt',
      category: 'jose',
      expect: 'ENCRYPTION_REQUIRED',
      delivery: once((kit) => sign(kit, partner, header(partner))),
    },
    {
      name: 'jwe-carrying-plain-xml-or-json-instead-of-a-jws',
      category: 'jose',
      expect: 'JWS_MALFORMED',
      delivery: once((kit) => encrypt(kit, basePayload(partner).toString('utf8'))),
    },
    // ---- the JWE layer
    {
      name: 'jwe-a128gcm-content-encryption',
      category: 'jose',
      expect: 'JWE_ALG_NOT_ALLOWED',
      delivery: once(async (kit) =>
        encrypt(kit, await sign(kit, partner, header(partner)), { enc: 'A128GCM' }),
      ),
    },
    {
      name: 'jwe-direct-ecdh-es',
      category: 'jose',
      expect: 'JWE_ALG_NOT_ALLOWED',
      delivery: once(async (kit) =>
        encrypt(kit, await sign(kit, partner, header(partner)), { alg: 'ECDH-ES' }),
      ),
    },
    {
      name: 'jwe-claiming-rsa-oaep-256',
      category: 'jose',
      expect: 'JWE_ALG_NOT_ALLOWED',
      delivery: once(async (kit) =>
        reheader(await seal(kit, partner), (h) => ({ ...h, alg: 'RSA-OAEP-256' })),
      ),
    },
    {
      name: 'jwe-claiming-dir',
      category: 'jose',
      expect: 'JWE_ALG_NOT_ALLOWED',
      delivery: once(async (kit) => reheader(await seal(kit, partner), (h) => ({ ...h, alg: 'dir' }))),
    },
    {
      name: 'jwe-with-an-embedded-jwk',
      category: 'jose',
      expect: 'EMBEDDED_KEY_FORBIDDEN',
      delivery: once(async (kit) => reheader(await seal(kit, partner), (h) => ({ ...h, jwk: h.epk }))),
    },
    {
      name: 'jwe-with-a-jku',
      category: 'jose',
      expect: 'EMBEDDED_KEY_FORBIDDEN',
      delivery: once(async (kit) =>
        reheader(await seal(kit, partner), (h) => ({ ...h, jku: 'https://attacker.example/jwks.json' })),
      ),
    },
    {
      name: 'jwe-with-compression',
      category: 'jose',
      expect: 'JWE_MALFORMED',
      delivery: once(async (kit) => reheader(await seal(kit, partner), (h) => ({ ...h, zip: 'DEF' }))),
    },
    {
      name: 'jwe-with-a-crit-extension',
      category: 'jose',
      expect: 'CRIT_UNSUPPORTED',
      delivery: once(async (kit) =>
        reheader(await seal(kit, partner), (h) => ({ ...h, crit: ['exp'], exp: 1 })),
      ),
    },
    {
      name: 'jwe-whose-cty-is-not-a-nested-jws',
      category: 'jose',
      expect: 'HEADER_CLAIM_INVALID',
      delivery: once(async (kit) =>
        encrypt(kit, await sign(kit, partner, header(partner)), { cty: contextOf(partner).contentType }),
      ),
    },
    {
      name: 'jwe-without-kid',
      category: 'jose',
      expect: 'HEADER_CLAIM_MISSING',
      delivery: once(async (kit) =>
        encrypt(kit, await sign(kit, partner, header(partner)), { kid: undefined }),
      ),
    },
    {
      name: 'jwe-tampered-tag',
      category: 'jose',
      expect: 'JWE_DECRYPTION_FAILED',
      delivery: once(async (kit) => replaceSegment(await seal(kit, partner), 4, flipCharacter)),
    },
    {
      name: 'jwe-tampered-ciphertext',
      category: 'jose',
      expect: 'JWE_DECRYPTION_FAILED',
      delivery: once(async (kit) => replaceSegment(await seal(kit, partner), 3, flipCharacter)),
    },
    {
      name: 'jwe-tampered-protected-header',
      category: 'jose',
      expect: 'JWE_DECRYPTION_FAILED',
      delivery: once(async (kit) =>
        reheader(await seal(kit, partner), (h) => ({ ...h, note: 'added after encryption' })),
      ),
    },
    {
      name: 'jwe-ephemeral-key-off-the-curve',
      category: 'jose',
      expect: 'JWE_DECRYPTION_FAILED',
      delivery: once(async (kit) =>
        reheader(await seal(kit, partner), (h) => ({
          ...h,
          epk: { ...(h.epk as object), x: Buffer.alloc(32, 7).toString('base64url') },
        })),
      ),
    },
    // ---- the JWS header: algorithms
    {
      name: 'alg-none',
      category: 'jose',
      expect: 'ALG_NOT_ALLOWED',
      delivery: once((kit) =>
        encrypt(kit, handMadeJws(header(partner, { alg: 'none' }), basePayload(partner))),
      ),
    },
    {
      name: 'hs256-with-the-partner-public-key-as-secret',
      category: 'jose',
      expect: 'ALG_NOT_ALLOWED',
      delivery: once((kit) => {
        const input = `${b64(header(partner, { alg: 'HS256' }))}.${b64(basePayload(partner))}`;
        const secret = JSON.stringify(partnerPublicJwks(partner).keys.find((k) => k.kid === ownKid));
        return encrypt(kit, `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`);
      }),
    },
    {
      name: 'rs256-with-a-valid-rsa-signature',
      category: 'jose',
      expect: 'ALG_NOT_ALLOWED',
      delivery: once((kit) => {
        const input = `${b64(header(partner, { alg: 'RS256', kid: kidOf(partner, 'PS256') }))}.${b64(basePayload(partner))}`;
        const rsa = partnerPrivateJwks(partner).keys.find((k) => k.kid === kidOf(partner, 'PS256'))!;
        const signature = nodeSign('sha256', Buffer.from(input), { key: rsa as never, format: 'jwk' });
        return encrypt(kit, `${input}.${signature.toString('base64url')}`);
      }),
    },
    {
      name: `valid-signature-with-${disallowedAlg(partner).toLowerCase()}-outside-the-allow-list`,
      category: 'jose',
      expect: 'ALG_NOT_ALLOWED',
      delivery: signed({ alg: disallowedAlg(partner), kid: kidOf(partner, disallowedAlg(partner)) }),
    },
    {
      name: 'alg-missing',
      category: 'jose',
      expect: 'HEADER_CLAIM_MISSING',
      delivery: once((kit) =>
        encrypt(kit, handMadeJws(header(partner, { alg: undefined }), basePayload(partner), 'c2ln')),
      ),
    },
    // ---- the JWS header: keys, crit, profile, members
    {
      name: 'embedded-jwk',
      category: 'jose',
      expect: 'EMBEDDED_KEY_FORBIDDEN',
      delivery: signed({ jwk: partnerPublicJwks(partner).keys.find((k) => k.kid === ownKid) }),
    },
    {
      name: 'jku-pointing-elsewhere',
      category: 'jose',
      expect: 'EMBEDDED_KEY_FORBIDDEN',
      delivery: signed({ jku: 'https://attacker.example/jwks.json' }),
    },
    {
      name: 'x5u-pointing-elsewhere',
      category: 'jose',
      expect: 'EMBEDDED_KEY_FORBIDDEN',
      delivery: signed({ x5u: 'https://attacker.example/chain.pem' }),
    },
    {
      name: 'x5c-certificate-chain',
      category: 'jose',
      expect: 'EMBEDDED_KEY_FORBIDDEN',
      delivery: signed({ x5c: ['MIIBfake'] }),
    },
    {
      name: 'crit-stripped',
      category: 'jose',
      expect: 'CRIT_MISSING',
      delivery: signed({ crit: undefined }),
    },
    {
      name: 'crit-without-aud',
      category: 'jose',
      expect: 'CRIT_MISSING',
      delivery: signed({ crit: ['iss', 'iat', 'jti', 'mra_type', 'mra_profile'] }),
    },
    {
      name: 'crit-member-we-do-not-understand',
      category: 'jose',
      expect: 'CRIT_UNSUPPORTED',
      delivery: signed({
        crit: ['iss', 'aud', 'iat', 'jti', 'mra_type', 'mra_profile', 'x_policy'],
        x_policy: 'lenient',
      }),
    },
    {
      name: 'b64-false-made-critical',
      category: 'jose',
      expect: 'CRIT_UNSUPPORTED',
      delivery: inJwe(async (kit) => {
        const h = header(partner, {
          b64: false,
          crit: ['iss', 'aud', 'iat', 'jti', 'mra_type', 'mra_profile', 'b64'],
        });
        const jws = await new FlattenedSign(new TextEncoder().encode('payload8'))
          .setProtectedHeader(h)
          .sign(kit.rings[partner].signingKey(alg, NOW).privateKey, { crit: critOption(h) });
        return `${jws.protected}.payload8.${jws.signature}`;
      }),
    },
    {
      name: 'zip-in-the-jws-header',
      category: 'jose',
      expect: 'HEADER_CLAIM_INVALID',
      delivery: signed({ zip: 'DEF' }),
    },
    {
      name: 'unknown-profile-version',
      category: 'jose',
      expect: 'PROFILE_VERSION_UNSUPPORTED',
      delivery: signed({ mra_profile: '2' }),
    },
    {
      name: 'typ-of-a-jwt',
      category: 'jose',
      expect: 'HEADER_CLAIM_INVALID',
      delivery: signed({ typ: 'JWT' }),
    },
    {
      name: 'jti-with-sql-and-path-characters',
      category: 'jose',
      expect: 'HEADER_CLAIM_INVALID',
      delivery: signed({ jti: "../../x' OR '1'='1" }),
    },
    {
      name: 'iat-as-a-string',
      category: 'jose',
      expect: 'HEADER_CLAIM_INVALID',
      delivery: signed({ iat: String(Math.floor(NOW.getTime() / 1000)) }),
    },
    {
      name: 'aud-as-an-array',
      category: 'wrong-recipient',
      expect: 'HEADER_CLAIM_INVALID',
      delivery: signed({ aud: ['KZ-SRC', 'KR-KCS'] }),
    },
    // ---- keys
    {
      name: 'unknown-kid',
      category: 'jose',
      expect: 'KEY_UNKNOWN',
      delivery: signed({ kid: `${partner}-sim-sig-es256-1999` }),
    },
    {
      name: `kid-and-key-of-${other}-claimed-as-${partner}`,
      category: 'jose',
      expect: 'KEY_PARTNER_MISMATCH',
      delivery: inJwe((kit) => {
        const h = header(partner, { alg: 'ES256', kid: kidOf(other, 'ES256') });
        return sign(kit, partner, h, { key: kit.rings[other].signingKey('ES256', NOW).privateKey });
      }),
    },
    {
      name: 'kid-of-the-partner-encryption-key',
      category: 'jose',
      expect: 'KEY_ALG_MISMATCH',
      delivery: signed({ kid: `${partner}-sim-enc-p256-2025` }),
    },
    {
      name: 'es256-header-naming-the-eddsa-key',
      category: 'jose',
      expect: 'KEY_ALG_MISMATCH',
      delivery: signed({ alg: 'ES256', kid: kidOf(partner, 'EdDSA') }),
    },
    {
      name: 'key-revoked-even-for-a-message-signed-before',
      category: 'jose',
      expect: 'KEY_REVOKED',
      registry: (kit) =>
        registryWithValidity(kit, partner, ownKid, { mra_revoked_at: '2026-03-01T00:00:00Z' }),
      delivery: signed({}, { at: new Date('2026-02-28T23:59:00Z') }),
    },
    {
      name: 'key-retired-before-the-message-was-signed',
      category: 'jose',
      expect: 'KEY_NOT_VALID_AT_IAT',
      registry: (kit) =>
        registryWithValidity(kit, partner, ownKid, { mra_retires_at: '2026-02-01T00:00:00Z' }),
      delivery: signed({}),
    },
    {
      name: 'key-not-yet-active-when-the-message-was-signed',
      category: 'jose',
      expect: 'KEY_NOT_VALID_AT_IAT',
      registry: (kit) =>
        registryWithValidity(kit, partner, ownKid, { mra_activates_at: '2026-06-01T00:00:00Z' }),
      delivery: signed({}),
    },
    // ---- signature
    {
      name: 'tampered-payload',
      category: 'jose',
      expect: 'SIGNATURE_INVALID',
      delivery: inJwe(async (kit) =>
        replaceSegment(await sign(kit, partner, header(partner)), 1, flipCharacter),
      ),
    },
    {
      name: 'tampered-signature',
      category: 'jose',
      expect: 'SIGNATURE_INVALID',
      delivery: inJwe(async (kit) =>
        replaceSegment(await sign(kit, partner, header(partner)), 2, flipCharacter),
      ),
    },
    {
      name: 'signature-stripped',
      category: 'jose',
      expect: 'SIGNATURE_INVALID',
      delivery: inJwe(async (kit) => replaceSegment(await sign(kit, partner, header(partner)), 2, () => '')),
    },
    {
      name: 'header-rewritten-after-signing',
      category: 'jose',
      expect: 'SIGNATURE_INVALID',
      delivery: inJwe(async (kit) =>
        reheader(await sign(kit, partner, header(partner, { mra_type: 'AEO_LOOKUP_REQUEST' })), (h) => ({
          ...h,
          mra_type: 'AEO_SNAPSHOT',
        })),
      ),
    },
    {
      name: 'signature-by-a-stranger-under-the-partner-kid',
      category: 'jose',
      expect: 'SIGNATURE_INVALID',
      delivery: inJwe((kit) => sign(kit, partner, header(partner), { key: kit.stranger[alg] })),
    },
    // ---- claims
    {
      name: 'issuer-is-another-programme',
      category: 'jose',
      expect: 'ISSUER_MISMATCH',
      delivery: signed({ iss: partner === 'kr' ? 'CN-GACC' : 'KR-KCS' }),
    },
    {
      name: 'issuer-claims-to-be-us',
      category: 'jose',
      expect: 'ISSUER_MISMATCH',
      delivery: signed({ iss: 'KZ-SRC' }),
    },
    {
      name: 'content-type-of-the-other-wire-format',
      category: 'jose',
      expect: 'CONTENT_TYPE_MISMATCH',
      delivery: signed({
        cty: contextOf(partner).contentType === 'application/xml' ? 'application/json' : 'application/xml',
      }),
    },
    {
      name: 'unknown-message-type',
      category: 'jose',
      expect: 'UNSUPPORTED_MESSAGE_TYPE',
      delivery: signed({ mra_type: 'AEO_WISHLIST' }),
    },
    {
      name: 'stale-two-days',
      category: 'jose',
      expect: 'MESSAGE_TOO_OLD',
      delivery: signed({}, { at: new Date(NOW.getTime() - 2 * 86_400_000) }),
    },
    {
      name: 'issued-ten-minutes-in-the-future',
      category: 'jose',
      expect: 'ISSUED_AT_IN_FUTURE',
      delivery: signed({}, { at: new Date(NOW.getTime() + 600_000) }),
    },
    // ---- wrong recipient
    {
      name: `aud-is-${other}`,
      category: 'wrong-recipient',
      expect: 'AUDIENCE_MISMATCH',
      delivery: signed({ aud: contextOf(other).programme }),
    },
    {
      name: 'aud-is-the-sender-itself',
      category: 'wrong-recipient',
      expect: 'AUDIENCE_MISMATCH',
      delivery: signed({ aud: contextOf(partner).programme }),
    },
    {
      name: 'aud-in-lower-case',
      category: 'wrong-recipient',
      expect: 'AUDIENCE_MISMATCH',
      delivery: signed({ aud: 'kz-src' }),
    },
    {
      name: 'jwe-for-another-recipient-under-our-kid',
      category: 'wrong-recipient',
      expect: 'JWE_DECRYPTION_FAILED',
      delivery: once(async (kit) =>
        encrypt(kit, await sign(kit, partner, header(partner)), {}, kit.strangerEncryption),
      ),
    },
    {
      name: 'jwe-addressed-to-a-kid-we-do-not-have',
      category: 'wrong-recipient',
      expect: 'JWE_KEY_UNKNOWN',
      delivery: once(async (kit) =>
        encrypt(kit, await sign(kit, partner, header(partner)), { kid: 'kr-sim-enc-p256-2025' }),
      ),
    },
    {
      name: 'jwe-addressed-to-our-signing-key',
      category: 'wrong-recipient',
      expect: 'JWE_KEY_UNKNOWN',
      delivery: once(async (kit) =>
        encrypt(kit, await sign(kit, partner, header(partner)), { kid: 'kz-src-test-sig-es256-2025' }),
      ),
    },
    // ---- replay
    {
      name: 'same-token-twice',
      category: 'replay',
      expect: 'REPLAYED_MESSAGE',
      delivery: async (kit) => {
        const token = await seal(kit, partner);
        return { token, earlier: [token] };
      },
    },
    {
      name: 'same-message-id-re-signed-and-re-encrypted',
      category: 'replay',
      expect: 'REPLAYED_MESSAGE',
      delivery: async (kit) => {
        const jti = randomUUID();
        return {
          earlier: [await seal(kit, partner, { jti })],
          token: await seal(kit, partner, { jti }, { at: new Date(NOW.getTime() - 60_000) }),
        };
      },
    },
    {
      name: 'same-message-id-to-our-other-encryption-key',
      category: 'replay',
      expect: 'REPLAYED_MESSAGE',
      delivery: async (kit) => {
        const jws = await sign(kit, partner, header(partner));
        return {
          earlier: [await encrypt(kit, jws)],
          token: await encrypt(kit, jws, { kid: HOME_ENC_X25519 }, kit.ourX25519),
        };
      },
    },
    // ---- forged receipts
    {
      name: 'receipt-signed-by-a-stranger-with-its-own-kid',
      category: 'forged-receipt',
      expect: 'KEY_UNKNOWN',
      delivery: inJwe((kit) =>
        sign(kit, partner, receiptHeader({ alg: 'ES256', kid: `${partner}-forged-es256` }), {
          key: kit.stranger.ES256,
          payload: receipt(),
        }),
      ),
    },
    {
      name: `receipt-signed-by-${other}-with-its-own-kid`,
      category: 'forged-receipt',
      expect: 'KEY_PARTNER_MISMATCH',
      delivery: inJwe((kit) =>
        sign(kit, partner, receiptHeader({ alg: 'ES256', kid: kidOf(other, 'ES256') }), {
          key: kit.rings[other].signingKey('ES256', NOW).privateKey,
          payload: receipt(),
        }),
      ),
    },
    {
      name: 'receipt-signed-with-our-own-key',
      category: 'forged-receipt',
      expect: 'KEY_UNKNOWN',
      delivery: inJwe((kit) =>
        sign(kit, partner, receiptHeader({ alg: 'ES256', kid: 'kz-src-test-sig-es256-2025' }), {
          key: kit.home.signingKey('ES256', NOW).privateKey,
          payload: receipt(),
        }),
      ),
    },
    {
      name: 'receipt-signed-by-a-stranger-under-the-partner-kid',
      category: 'forged-receipt',
      expect: 'SIGNATURE_INVALID',
      delivery: inJwe((kit) =>
        sign(kit, partner, receiptHeader(), { key: kit.stranger[alg], payload: receipt() }),
      ),
    },
    {
      name: 'receipt-es256-signature-in-der-encoding',
      category: 'forged-receipt',
      expect: 'SIGNATURE_INVALID',
      delivery: inJwe(async () => {
        const input = `${b64(receiptHeader({ alg: 'ES256', kid: kidOf(partner, 'ES256') }))}.${b64(receipt())}`;
        const jwk = partnerPrivateJwks(partner).keys.find((k) => k.kid === kidOf(partner, 'ES256'))!;
        const der = nodeSign('sha256', Buffer.from(input), {
          key: jwk as never,
          format: 'jwk',
          dsaEncoding: 'der',
        });
        return `${input}.${der.toString('base64url')}`;
      }),
    },
  ];
}

export const JOSE_CASES: VerifyCase[] = PARTNERS.flatMap((partner) =>
  drafts(partner).map(({ name, ...rest }) => ({
    ...rest,
    id: `verify/${partner}/${rest.category}/${name}`,
    target: 'verify' as const,
    partner,
  })),
);
