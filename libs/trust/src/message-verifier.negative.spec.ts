/**
 * Every way a message from a partner can be refused, each with the reason code it must get.
 * The partner is the fictional "cn" (test keys under test/keys/partners/cn); the clock is NOW.
 */
import { createHmac, generateKeyPairSync, randomUUID, sign as nodeSign } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { CompactEncrypt, FlattenedSign, importJWK, type CryptoKey, type JWK } from 'jose';
import { GatewayError, type ReasonCode } from '@aeo/domain';
import {
  homePublicJwks,
  homeVerifier,
  NOW,
  partnerContext,
  partnerKeyRing,
  partnerPrivateJwks,
  partnerPublicJwks,
  partnerRegistry,
  SAMPLE_PAYLOAD,
  security,
  tokenFromPartner,
} from '../../../test/trust/support/trust-fixtures.js';
import type { SignatureAlgorithm } from './algorithms.js';
import { signCompactJws } from './jws-signer.js';
import type { KeyRing } from './key-ring.js';
import type { PartnerKeyRegistry } from './partner-key-registry.js';
import type { PartnerTrustContext } from './partner-trust-context.js';
import { buildJwsHeader } from './signing-profile.js';

const b64 = (value: string | Uint8Array | object): string =>
  Buffer.from(
    typeof value === 'string' || value instanceof Uint8Array ? value : JSON.stringify(value),
  ).toString('base64url');

const CN = partnerContext('cn');
const CN_ENCRYPTION_REQUIRED = partnerContext('cn', {
  security: security({
    encryption: { required: true, keyManagementAlgorithm: 'ECDH-ES+A256KW', contentEncryption: 'A256GCM' },
  }),
});
const CN_ES256_ONLY = partnerContext('cn', { security: security({ signatureAlgorithms: ['ES256'] }) });

let cnRing: KeyRing;
let krRing: KeyRing;
let ourEncryptionKey: CryptoKey;

beforeAll(async () => {
  cnRing = await partnerKeyRing('cn');
  krRing = await partnerKeyRing('kr');
  ourEncryptionKey = (await importJWK(
    homePublicJwks().keys.find((k) => k.kid === 'kz-src-test-enc-p256-2025') as JWK,
    'ECDH-ES+A256KW',
  )) as CryptoKey;
});

/** A correct cn header, then `changes` (a member set to undefined is removed). */
function header(changes: Record<string, unknown> = {}, at: Date = NOW): Record<string, unknown> {
  const base: Record<string, unknown> = {
    ...buildJwsHeader(
      {
        contentType: 'application/xml',
        messageId: randomUUID(),
        messageType: 'AEO_STATUS_DELTA',
        issuer: 'CN-GACC',
        audience: 'KZ-SRC',
        issuedAt: at,
      },
      'ES256',
      'cn-sim-sig-es256-2025',
    ),
    ...changes,
  };
  for (const [member, value] of Object.entries(changes)) if (value === undefined) delete base[member];
  return base;
}

/** Sign any header with a partner's test key (jose is told to accept whatever crit says). */
function signed(
  jwsHeader: Record<string, unknown>,
  options: { ring?: KeyRing; alg?: SignatureAlgorithm; payload?: Uint8Array } = {},
): Promise<string> {
  const ring = options.ring ?? cnRing;
  const key = ring.signingKey(options.alg ?? 'ES256', NOW).privateKey;
  const crit = Array.isArray(jwsHeader.crit)
    ? Object.fromEntries((jwsHeader.crit as string[]).map((m) => [m, true]))
    : undefined;
  return signCompactJws(options.payload ?? SAMPLE_PAYLOAD, jwsHeader, key, crit);
}

function replaceSegment(token: string, index: number, replace: (segment: string) => string): string {
  const parts = token.split('.');
  parts[index] = replace(parts[index]);
  return parts.join('.');
}

/** Change one base64url character in the middle of a segment (never the last, whose low bits may be unused). */
function flipCharacter(segment: string): string {
  const i = Math.floor(segment.length / 2);
  return `${segment.slice(0, i)}${segment[i] === 'A' ? 'B' : 'A'}${segment.slice(i + 1)}`;
}

function reheader(token: string, change: (h: Record<string, unknown>) => Record<string, unknown>): string {
  return replaceSegment(token, 0, (segment) =>
    b64(change(JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')))),
  );
}

/** A cn JWS encrypted to our P-256 key, with a JWE header of our choosing. */
async function jwe(
  jweHeader: Record<string, unknown> = {},
  plaintext?: string,
  key: CryptoKey = ourEncryptionKey,
): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(plaintext ?? (await signed(header()))))
    .setProtectedHeader({
      alg: 'ECDH-ES+A256KW',
      enc: 'A256GCM',
      kid: 'kz-src-test-enc-p256-2025',
      typ: 'mra+jwe',
      cty: 'mra+jws',
      ...jweHeader,
    })
    .encrypt(key);
}

/** cn's JWKS with the ES256 key's validity members changed. */
async function registryWithEs256Validity(members: Record<string, string>): Promise<PartnerKeyRegistry> {
  const jwks = partnerPublicJwks('cn');
  const keys = jwks.keys.map((k) => (k.kid === 'cn-sim-sig-es256-2025' ? { ...k, ...members } : k));
  return (await partnerRegistry()).withPartnerJwks('cn', { keys });
}

interface NegativeCase {
  readonly code: ReasonCode;
  readonly token: () => Promise<string | Uint8Array>;
  readonly context?: PartnerTrustContext;
  readonly registry?: () => Promise<PartnerKeyRegistry>;
  /** Verify the token once successfully before the refused attempt. */
  readonly replay?: boolean;
}

const CASES: Record<string, NegativeCase> = {
  // 1. size
  'oversize token (larger than any JWE of the largest payload)': {
    code: 'PAYLOAD_TOO_LARGE',
    context: partnerContext('cn', { maxPayloadBytes: 1000 }),
    token: async () => `${'A'.repeat(30_000)}.${'A'.repeat(30_000)}.${'A'.repeat(100)}`,
  },
  'oversize JWE': {
    code: 'PAYLOAD_TOO_LARGE',
    context: partnerContext('cn', { maxPayloadBytes: 1000 }),
    token: async () => ['A', 'A', 'A', 'A'.repeat(60_000), 'A'].join('.'),
  },
  'payload over the partner limit inside a well-formed JWS': {
    code: 'PAYLOAD_TOO_LARGE',
    context: partnerContext('cn', { maxPayloadBytes: 100 }),
    token: () => signed(header()),
  },

  // 2. parse
  'empty token': { code: 'JWS_MALFORMED', token: async () => '' },
  'truncated token: cut before the signature': {
    code: 'JWS_MALFORMED',
    token: async () => {
      const t = await signed(header());
      return t.slice(0, t.lastIndexOf('.'));
    },
  },
  'truncated token: cut inside the header': {
    code: 'JWS_MALFORMED',
    token: async () => (await signed(header())).slice(0, 20),
  },
  'four segments': { code: 'JWS_MALFORMED', token: async () => `${await signed(header())}.AAAA` },
  'not base64url (a "+" in the payload)': {
    code: 'JWS_MALFORMED',
    token: async () => replaceSegment(await signed(header()), 1, (s) => `+${s.slice(1)}`),
  },
  'line break inside the token': {
    code: 'JWS_MALFORMED',
    token: async () => {
      const t = await signed(header());
      return `${t.slice(0, 10)}\n${t.slice(10)}`;
    },
  },
  'non-ASCII bytes': {
    code: 'JWS_MALFORMED',
    token: async () => Buffer.concat([Buffer.from(await signed(header())), Buffer.from([0xc3, 0xa9])]),
  },
  'header is not JSON': {
    code: 'JWS_MALFORMED',
    token: async () => replaceSegment(await signed(header()), 0, () => b64('{"alg":"ES256",')),
  },
  'header is a JSON array': {
    code: 'JWS_MALFORMED',
    token: async () => replaceSegment(await signed(header()), 0, () => b64('["ES256"]')),
  },
  'header is not UTF-8': {
    code: 'JWS_MALFORMED',
    token: async () =>
      replaceSegment(await signed(header()), 0, () => b64(Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]))),
  },
  'empty payload segment': {
    code: 'JWS_MALFORMED',
    token: async () => replaceSegment(await signed(header()), 1, () => ''),
  },
  'bare JWS from a partner that must encrypt': {
    code: 'ENCRYPTION_REQUIRED',
    context: CN_ENCRYPTION_REQUIRED,
    token: () => signed(header()),
  },

  // 3. header: algorithm
  'alg none (unsecured JWS)': {
    code: 'ALG_NOT_ALLOWED',
    token: async () => `${b64(header({ alg: 'none' }))}.${b64(SAMPLE_PAYLOAD)}.`,
  },
  'alg "None" spelled differently': {
    code: 'ALG_NOT_ALLOWED',
    token: async () => `${b64(header({ alg: 'None' }))}.${b64(SAMPLE_PAYLOAD)}.`,
  },
  'HS256 with the partner public key as the HMAC secret': {
    code: 'ALG_NOT_ALLOWED',
    token: async () => {
      const input = `${b64(header({ alg: 'HS256' }))}.${b64(SAMPLE_PAYLOAD)}`;
      const secret = JSON.stringify(
        partnerPublicJwks('cn').keys.find((k) => k.kid === 'cn-sim-sig-es256-2025'),
      );
      return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    },
  },
  'RS256 with a valid RSA signature (not in the profile)': {
    code: 'ALG_NOT_ALLOWED',
    token: async () => {
      const rsa = partnerPrivateJwks('cn').keys.find((k) => k.kid === 'cn-sim-sig-ps256-2025')!;
      const key = (await importJWK({ ...(rsa as JWK), alg: 'RS256' }, 'RS256')) as CryptoKey;
      return signCompactJws(
        SAMPLE_PAYLOAD,
        header({ alg: 'RS256', kid: 'cn-sim-sig-ps256-2025' }),
        key,
        Object.fromEntries((header().crit as string[]).map((m) => [m, true])),
      );
    },
  },
  'EdDSA from a partner whose allow-list is ES256 only': {
    code: 'ALG_NOT_ALLOWED',
    context: CN_ES256_ONLY,
    token: () => signed(header({ alg: 'EdDSA', kid: 'cn-sim-sig-eddsa-2025' }), { alg: 'EdDSA' }),
  },
  'alg missing': {
    code: 'HEADER_CLAIM_MISSING',
    token: async () => `${b64(header({ alg: undefined }))}.${b64(SAMPLE_PAYLOAD)}.c2ln`,
  },

  // 3. header: keys, crit, profile, members
  'embedded jwk in the header': {
    code: 'EMBEDDED_KEY_FORBIDDEN',
    token: () =>
      signed(header({ jwk: partnerPublicJwks('cn').keys.find((k) => k.kid === 'cn-sim-sig-es256-2025') })),
  },
  'jku pointing elsewhere': {
    code: 'EMBEDDED_KEY_FORBIDDEN',
    token: () => signed(header({ jku: 'https://attacker.example/jwks.json' })),
  },
  'x5c certificate chain in the header': {
    code: 'EMBEDDED_KEY_FORBIDDEN',
    token: () => signed(header({ x5c: ['MIIBfake'] })),
  },
  'crit stripped (re-signed with a valid key)': {
    code: 'CRIT_MISSING',
    token: () => signed(header({ crit: undefined })),
  },
  'crit lists fewer members than the profile': {
    code: 'CRIT_MISSING',
    token: () => signed(header({ crit: ['iss', 'aud', 'iat', 'jti', 'mra_type'] })),
  },
  'extra crit member we do not understand': {
    code: 'CRIT_UNSUPPORTED',
    token: () =>
      signed(
        header({
          crit: ['iss', 'aud', 'iat', 'jti', 'mra_type', 'mra_profile', 'x_policy'],
          x_policy: 'lenient',
        }),
      ),
  },
  'b64:false (unencoded payload) made critical': {
    code: 'CRIT_UNSUPPORTED',
    token: async () => {
      const h = header({ b64: false, crit: ['iss', 'aud', 'iat', 'jti', 'mra_type', 'mra_profile', 'b64'] });
      const crit = Object.fromEntries((h.crit as string[]).map((m) => [m, true]));
      const jws = await new FlattenedSign(new TextEncoder().encode('payload8'))
        .setProtectedHeader(h)
        .sign(cnRing.signingKey('ES256', NOW).privateKey, { crit });
      return `${jws.protected}.payload8.${jws.signature}`;
    },
  },
  'b64 present without crit': { code: 'HEADER_CLAIM_INVALID', token: () => signed(header({ b64: true })) },
  'crit is not an array': {
    code: 'HEADER_CLAIM_INVALID',
    token: async () => `${b64(header({ crit: 'iss' }))}.${b64(SAMPLE_PAYLOAD)}.c2ln`,
  },
  'unknown profile version': {
    code: 'PROFILE_VERSION_UNSUPPORTED',
    token: () => signed(header({ mra_profile: '2' })),
  },
  'kid missing': { code: 'HEADER_CLAIM_MISSING', token: () => signed(header({ kid: undefined })) },
  'jti missing': {
    code: 'HEADER_CLAIM_MISSING',
    token: async () => `${b64(header({ jti: undefined }))}.${b64(SAMPLE_PAYLOAD)}.c2ln`,
  },
  'iat missing': {
    code: 'HEADER_CLAIM_MISSING',
    token: async () => `${b64(header({ iat: undefined }))}.${b64(SAMPLE_PAYLOAD)}.c2ln`,
  },
  'iat as a string': { code: 'HEADER_CLAIM_INVALID', token: () => signed(header({ iat: '1772366400' })) },
  'iat with a fraction': { code: 'HEADER_CLAIM_INVALID', token: () => signed(header({ iat: 1772366400.5 })) },
  'typ of another protocol (JWT)': {
    code: 'HEADER_CLAIM_INVALID',
    token: () => signed(header({ typ: 'JWT' })),
  },
  'jti with characters outside the alphabet': {
    code: 'HEADER_CLAIM_INVALID',
    token: () => signed(header({ jti: 'id with spaces' })),
  },
  'aud as an array': { code: 'HEADER_CLAIM_INVALID', token: () => signed(header({ aud: ['KZ-SRC'] })) },

  // 4. key
  'unknown kid': { code: 'KEY_UNKNOWN', token: () => signed(header({ kid: 'cn-sim-sig-es256-1999' })) },
  "kid of another partner (kr's key, claimed as cn)": {
    code: 'KEY_PARTNER_MISMATCH',
    token: () => signed(header({ kid: 'kr-sim-sig-es256-2025' }), { ring: krRing }),
  },
  "kid of the partner's encryption key": {
    code: 'KEY_ALG_MISMATCH',
    token: () => signed(header({ kid: 'cn-sim-enc-p256-2025' })),
  },
  'ES256 header naming the EdDSA key': {
    code: 'KEY_ALG_MISMATCH',
    token: () => signed(header({ kid: 'cn-sim-sig-eddsa-2025' })),
  },
  'retired key (message issued after retirement)': {
    code: 'KEY_NOT_VALID_AT_IAT',
    registry: () => registryWithEs256Validity({ mra_retires_at: '2026-02-01T00:00:00Z' }),
    token: () => signed(header()),
  },
  'key not yet active at iat': {
    code: 'KEY_NOT_VALID_AT_IAT',
    registry: () => registryWithEs256Validity({ mra_activates_at: '2026-06-01T00:00:00Z' }),
    token: () => signed(header()),
  },
  'revoked key (even for a message issued before revocation)': {
    code: 'KEY_REVOKED',
    registry: () => registryWithEs256Validity({ mra_revoked_at: '2026-03-01T00:00:00Z' }),
    token: () => signed(header({}, new Date('2026-02-28T23:59:00Z'))),
  },

  // 5. signature
  'tampered payload byte': {
    code: 'SIGNATURE_INVALID',
    token: async () => replaceSegment(await signed(header()), 1, flipCharacter),
  },
  'tampered header (aud rewritten to us after signing for kr)': {
    code: 'SIGNATURE_INVALID',
    token: async () => reheader(await signed(header({ aud: 'KR-KCS' })), (h) => ({ ...h, aud: 'KZ-SRC' })),
  },
  'tampered header (iat moved forward)': {
    code: 'SIGNATURE_INVALID',
    token: async () => reheader(await signed(header()), (h) => ({ ...h, iat: (h.iat as number) + 60 })),
  },
  'tampered signature byte': {
    code: 'SIGNATURE_INVALID',
    token: async () => replaceSegment(await signed(header()), 2, flipCharacter),
  },
  'truncated signature': {
    code: 'SIGNATURE_INVALID',
    token: async () => replaceSegment(await signed(header()), 2, (s) => s.slice(0, 40)),
  },
  'empty signature with an allowed alg': {
    code: 'SIGNATURE_INVALID',
    token: async () => replaceSegment(await signed(header()), 2, () => ''),
  },
  'signature by another key under the right kid': {
    code: 'SIGNATURE_INVALID',
    token: async () => {
      const other = (await importJWK(
        generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as JWK,
        'ES256',
      )) as CryptoKey;
      const h = header();
      return signCompactJws(
        SAMPLE_PAYLOAD,
        h,
        other,
        Object.fromEntries((h.crit as string[]).map((m) => [m, true])),
      );
    },
  },
  'ES256 signature in DER instead of R||S': {
    code: 'SIGNATURE_INVALID',
    token: async () => {
      const input = `${b64(header())}.${b64(SAMPLE_PAYLOAD)}`;
      const jwk = partnerPrivateJwks('cn').keys.find((k) => k.kid === 'cn-sim-sig-es256-2025')!;
      const der = nodeSign('sha256', Buffer.from(input), {
        key: jwk as never,
        format: 'jwk',
        dsaEncoding: 'der',
      });
      return `${input}.${der.toString('base64url')}`;
    },
  },

  // 6. claims
  'issuer is another programme': { code: 'ISSUER_MISMATCH', token: () => signed(header({ iss: 'KR-KCS' })) },
  'issuer is not a programme at all': {
    code: 'ISSUER_MISMATCH',
    token: () => signed(header({ iss: 'XX-NONE' })),
  },
  'wrong audience (meant for Korea)': {
    code: 'AUDIENCE_MISMATCH',
    token: () => signed(header({ aud: 'KR-KCS' })),
  },
  "content type other than the partner's wire format": {
    code: 'CONTENT_TYPE_MISMATCH',
    token: () => signed(header({ cty: 'application/json' })),
  },
  'unknown message type': {
    code: 'UNSUPPORTED_MESSAGE_TYPE',
    token: () => signed(header({ mra_type: 'AEO_WISHLIST' })),
  },

  // 7. freshness
  'stale issued-at (two days old)': {
    code: 'MESSAGE_TOO_OLD',
    token: () => signed(header({}, new Date(NOW.getTime() - 2 * 86_400_000))),
  },
  'issued-at just past the age window': {
    code: 'MESSAGE_TOO_OLD',
    token: () => signed(header({}, new Date(NOW.getTime() - (86_400 + 301) * 1000))),
  },
  'future issued-at (ten minutes ahead)': {
    code: 'ISSUED_AT_IN_FUTURE',
    token: () => signed(header({}, new Date(NOW.getTime() + 600_000))),
  },

  // 8. replay
  'replayed message id': { code: 'REPLAYED_MESSAGE', replay: true, token: () => signed(header()) },
  'replayed JWE (same inner message id, fresh encryption)': {
    code: 'REPLAYED_MESSAGE',
    replay: true,
    token: () => tokenFromPartner('cn', { encrypt: true, messageId: 'fixed-replayed-id-0001' }),
  },

  // JWE
  'JWE encrypted to a key that is not ours (our kid)': {
    code: 'JWE_DECRYPTION_FAILED',
    token: async () =>
      jwe(
        {},
        undefined,
        (await importJWK(
          generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as JWK,
          'ECDH-ES+A256KW',
        )) as CryptoKey,
      ),
  },
  'JWE with tampered tag': {
    code: 'JWE_DECRYPTION_FAILED',
    token: async () => replaceSegment(await jwe(), 4, flipCharacter),
  },
  'JWE with tampered ciphertext': {
    code: 'JWE_DECRYPTION_FAILED',
    token: async () => replaceSegment(await jwe(), 3, flipCharacter),
  },
  'JWE with tampered encrypted key': {
    code: 'JWE_DECRYPTION_FAILED',
    token: async () => replaceSegment(await jwe(), 1, flipCharacter),
  },
  'JWE with tampered protected header (authenticated data)': {
    code: 'JWE_DECRYPTION_FAILED',
    token: async () => reheader(await jwe(), (h) => ({ ...h, typ: 'mra+jwe', note: 'x' })),
  },
  'JWE addressed to a kid we do not have': {
    code: 'JWE_KEY_UNKNOWN',
    token: () => jwe({ kid: 'kz-src-enc-p256-19990101-xxxxxxxx' }),
  },
  'JWE without kid': {
    code: 'HEADER_CLAIM_MISSING',
    token: async () => reheader(await jwe(), (h) => ({ ...h, kid: undefined })),
  },
  'JWE with direct ECDH-ES (no key wrap)': {
    code: 'JWE_ALG_NOT_ALLOWED',
    token: () => jwe({ alg: 'ECDH-ES' }),
  },
  'JWE with A128GCM content encryption': {
    code: 'JWE_ALG_NOT_ALLOWED',
    token: () => jwe({ enc: 'A128GCM' }),
  },
  'JWE claiming RSA-OAEP-256': {
    code: 'JWE_ALG_NOT_ALLOWED',
    token: async () => reheader(await jwe(), (h) => ({ ...h, alg: 'RSA-OAEP-256' })),
  },
  'JWE with compression (zip)': {
    code: 'JWE_MALFORMED',
    token: async () => reheader(await jwe(), (h) => ({ ...h, zip: 'DEF' })),
  },
  'JWE header is not JSON': {
    code: 'JWE_MALFORMED',
    token: async () => replaceSegment(await jwe(), 0, () => b64('{"alg":')),
  },
  // jose answers any key-agreement failure with a random CEK (no oracle), hence a decryption failure.
  'JWE whose ephemeral key is a point off the curve': {
    code: 'JWE_DECRYPTION_FAILED',
    token: async () =>
      reheader(await jwe(), (h) => ({
        ...h,
        epk: { ...(h.epk as object), x: Buffer.alloc(32, 7).toString('base64url') },
      })),
  },
  'JWE without its ephemeral key (epk)': {
    code: 'JWE_MALFORMED',
    token: async () => reheader(await jwe(), (h) => ({ ...h, epk: undefined })),
  },
  'JWE with a crit extension': {
    code: 'CRIT_UNSUPPORTED',
    token: async () => reheader(await jwe(), (h) => ({ ...h, crit: ['exp'], exp: 1 })),
  },
  'JWE with a jku': {
    code: 'EMBEDDED_KEY_FORBIDDEN',
    token: async () => reheader(await jwe(), (h) => ({ ...h, jku: 'https://attacker.example/jwks.json' })),
  },
  'JWE whose cty is not a nested JWS': {
    code: 'HEADER_CLAIM_INVALID',
    token: () => jwe({ cty: 'application/xml' }),
  },
  'JWE carrying plain XML instead of a JWS': {
    code: 'JWS_MALFORMED',
    token: () => jwe({}, '<AEOStatusDelta/>'),
  },
  'JWE carrying a JWS with a tampered signature': {
    code: 'SIGNATURE_INVALID',
    token: async () => jwe({}, replaceSegment(await signed(header()), 2, flipCharacter)),
  },
  "JWE carrying a JWS signed with kr's key, claimed as cn": {
    code: 'KEY_PARTNER_MISMATCH',
    token: async () => jwe({}, await signed(header({ kid: 'kr-sim-sig-es256-2025' }), { ring: krRing })),
  },
};

describe('MessageVerifier: refusals, each with its reason code', () => {
  it('covers at least 40 negative cases', () => {
    expect(Object.keys(CASES).length).toBeGreaterThanOrEqual(40);
  });

  it.each(Object.entries(CASES))('%s', async (_name, testCase) => {
    const verifier = await homeVerifier(testCase.registry ? { registry: await testCase.registry() } : {});
    const token = await testCase.token();
    const context = testCase.context ?? CN;
    if (testCase.replay) await verifier.verify(token, context);
    const error = await verifier.verify(token, context).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe(testCase.code);
  });
});
