/**
 * Issue #9 item 3 (b): the MessageVerifier, with each partner's real trust context, on
 * mutated valid tokens (the JWE as it travels, and the JWS inside a correct JWE), on random
 * text, and on randomly assembled protected headers signed with assorted keys. It answers
 * with a GatewayError carrying a known reason code, never another error; it never accepts a
 * token whose signed bytes were changed; and when it accepts a token, everything the profile
 * requires of the header holds (allowed alg, the partner's own key, iss, aud = us, crit,
 * typ, profile version, freshness).
 */
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import fc, { type Arbitrary } from 'fast-check';
import { GatewayError, isKnownReasonCode, isMessageType, type Programme } from '@aeo/domain';
import { CRITICAL_MEMBERS, type VerifiedMessage } from '@aeo/trust';
import { profileOf, type Partner } from '../hostile/support/formats.js';
import {
  b64,
  basePayload,
  contextOf,
  encrypt,
  header,
  joseKit,
  kidOf,
  NOW,
  sign,
  verifierFor,
  type JoseKit,
} from '../hostile/support/jose-kit.js';
import { fuzzParameters } from './support/fuzz-parameters.js';

jest.setTimeout(60_000);

const PARTNERS: readonly Partner[] = ['cn', 'eaeu', 'kr', 'tr', 'wco'];
const SEED = { jwe: 0x7e01, jws: 0x7e02, header: 0x7e03 } as const;
const RUNS = { jwe: 150, jws: 80, header: 100 } as const;

type Outcome = { ok: true; verified: VerifiedMessage } | { ok: false; code: string };

async function verifyOnce(kit: JoseKit, partner: Partner, token: string): Promise<Outcome> {
  try {
    return { ok: true, verified: await verifierFor(kit).verify(token, contextOf(partner)) };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    if (!isKnownReasonCode(error.code)) throw new Error(`unknown reason code ${error.code}`);
    return { ok: false, code: error.code };
  }
}

// ---------------------------------------------------------------- token mutations

type TokenMutation =
  | { readonly kind: 'char'; readonly at: number; readonly char: string }
  | { readonly kind: 'segment-byte'; readonly segment: number; readonly at: number; readonly xor: number }
  | { readonly kind: 'segment-replace'; readonly segment: number; readonly text: string }
  | { readonly kind: 'swap'; readonly a: number; readonly b: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number };

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const tokenMutationArb: Arbitrary<TokenMutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('char' as const),
      at: fc.nat(),
      char: fc.oneof(
        fc.constantFrom(...BASE64URL),
        fc.constantFrom('.', '=', '+', '/', ' ', '\n', '\u00e9', ''),
      ),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('segment-byte' as const),
      segment: fc.nat(4),
      at: fc.nat(),
      xor: fc.integer({ min: 1, max: 255 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('segment-replace' as const),
      segment: fc.nat(4),
      text: fc.oneof(
        fc.uint8Array({ maxLength: 96 }).map((b) => Buffer.from(b).toString('base64url')),
        fc.constantFrom('', 'e30', 'bnVsbA', 'W10', 'AAAA'),
        fc.string({ maxLength: 12 }),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('swap' as const), a: fc.nat(4), b: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.string({ maxLength: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 40 }),
    }),
  },
);

function applyTokenMutation(token: string, m: TokenMutation): string {
  const parts = token.split('.');
  switch (m.kind) {
    case 'char': {
      const at = m.at % (token.length || 1);
      return `${token.slice(0, at)}${m.char}${token.slice(at + 1)}`;
    }
    case 'segment-byte': {
      const i = m.segment % parts.length;
      const bytes = Buffer.from(parts[i], 'base64url');
      if (bytes.length === 0) return token;
      bytes[m.at % bytes.length] = bytes[m.at % bytes.length] ^ m.xor;
      parts[i] = bytes.toString('base64url');
      return parts.join('.');
    }
    case 'segment-replace':
      parts[m.segment % parts.length] = m.text;
      return parts.join('.');
    case 'swap': {
      const a = m.a % parts.length;
      const b = m.b % parts.length;
      [parts[a], parts[b]] = [parts[b], parts[a]];
      return parts.join('.');
    }
    case 'truncate':
      return token.slice(0, m.at % (token.length + 1));
    case 'insert': {
      const at = m.at % (token.length + 1);
      return `${token.slice(0, at)}${m.text}${token.slice(at)}`;
    }
    case 'delete': {
      const at = m.at % (token.length + 1);
      return `${token.slice(0, at)}${token.slice(at + m.length)}`;
    }
  }
}

/**
 * Whether a changed token still carries exactly the original's protected content: the
 * segments that are used as text (a JWS's signing input, a JWE's additional authenticated
 * data) unchanged, and every other segment decoding to the same bytes (base64url may spell
 * the unused low bits of its last character in more than one way).
 */
function sameSignedContent(mutated: string, original: string, textSegments: readonly number[]): boolean {
  const m = mutated.split('.');
  const o = original.split('.');
  if (m.length !== o.length) return false;
  return o.every((segment, i) =>
    textSegments.includes(i)
      ? m[i] === segment
      : /^[A-Za-z0-9_-]*$/.test(m[i]) &&
        Buffer.from(m[i], 'base64url').equals(Buffer.from(segment, 'base64url')),
  );
}

// ---------------------------------------------------------------- random headers

type Signer = 'own' | 'other-partner' | 'stranger' | 'garbage';

interface HeaderPlan {
  readonly header: Record<string, unknown>;
  readonly signer: Signer;
}

const mostly = <T>(valid: T, invalid: readonly T[]): Arbitrary<T | undefined> =>
  fc.oneof(
    { weight: 14, arbitrary: fc.constant(valid) },
    { weight: 1, arbitrary: fc.constantFrom(...invalid) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

function headerPlanArb(partner: Partner): Arbitrary<HeaderPlan> {
  const profile = profileOf(partner);
  const now = Math.floor(NOW.getTime() / 1000);
  const { maxClockSkewSeconds: skew, maxMessageAgeSeconds: age } = profile.security;
  const other: Partner = partner === 'cn' ? 'kr' : 'cn';
  return fc
    .record({
      alg: fc.oneof(
        { weight: 10, arbitrary: fc.constantFrom(...profile.security.signatureAlgorithms) },
        { weight: 2, arbitrary: fc.constantFrom('ES256', 'EdDSA', 'PS256') },
        { weight: 1, arbitrary: fc.constantFrom('none', 'HS256', 'RS256', 'ES384', 'es256', '', 7) },
      ),
      kidChoice: fc.oneof(
        { weight: 12, arbitrary: fc.constant('own' as const) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'other-partner',
            'encryption',
            'unknown',
            'our-own',
            'too-long',
            'empty',
          ),
        },
      ),
      typ: mostly<unknown>('mra+jws', ['JWT', 'MRA+JWS', 'mra+jwe', 0]),
      cty: mostly<unknown>(profile.wire.mediaType, [
        profile.wire.format === 'xml' ? 'application/json' : 'application/xml',
        'text/plain',
        ['application/xml'],
      ]),
      iss: mostly<unknown>(profile.programme, [
        'KZ-SRC',
        profileOf(other).programme,
        'XX-NONE',
        profile.programme.toLowerCase(),
      ]),
      aud: mostly<unknown>('KZ-SRC', [profile.programme, ['KZ-SRC'], 'kz-src', ' KZ-SRC', 'KZ-SRC\u0000']),
      iat: fc.oneof(
        { weight: 10, arbitrary: fc.integer({ min: now - age - skew, max: now + skew }) },
        { weight: 2, arbitrary: fc.integer({ min: now - 3 * age, max: now + 3 * skew }) },
        { weight: 1, arbitrary: fc.constantFrom<unknown>(String(now), now + 0.5, -1, undefined, 2 ** 53) },
      ),
      jti: mostly<unknown>('fuzz-message-0001', ['has space', '', 'x'.repeat(129), 42]),
      mra_type: fc.oneof(
        { weight: 10, arbitrary: fc.constantFrom('AEO_STATUS_DELTA', 'AEO_SNAPSHOT', 'RECEIPT') },
        { weight: 1, arbitrary: fc.constantFrom<unknown>('AEO_WISHLIST', '', 1, undefined) },
      ),
      mra_profile: mostly<unknown>('1', ['2', 1, '']),
      crit: mostly<unknown>(
        [...CRITICAL_MEMBERS],
        [
          CRITICAL_MEMBERS.slice(1),
          [...CRITICAL_MEMBERS, 'x_extra'],
          [],
          'iss',
          [...CRITICAL_MEMBERS, 'iss'],
          [...CRITICAL_MEMBERS].reverse(),
        ],
      ),
      extra: fc.oneof(
        { weight: 10, arbitrary: fc.constant({}) },
        {
          weight: 1,
          arbitrary: fc.constantFrom<Record<string, unknown>>(
            { jwk: { kty: 'EC' } },
            { jku: 'https://attacker.example' },
            { x5t: 'AAAA' },
            { b64: true },
            { zip: 'DEF' },
            { x_note: 'harmless' },
          ),
        },
      ),
      signer: fc.oneof(
        { weight: 12, arbitrary: fc.constant('own' as const) },
        { weight: 1, arbitrary: fc.constantFrom<Signer>('other-partner', 'stranger', 'garbage') },
      ),
    })
    .map(({ kidChoice, extra, signer, ...members }) => {
      const alg = members.alg;
      const algName =
        typeof alg === 'string' && ['ES256', 'EdDSA', 'PS256'].includes(alg)
          ? (alg as 'ES256' | 'EdDSA' | 'PS256')
          : 'ES256';
      const kid = {
        own: kidOf(partner, algName),
        'other-partner': kidOf(other, algName),
        encryption: `${partner}-sim-enc-p256-2025`,
        unknown: `${partner}-sim-sig-unknown`,
        'our-own': 'kz-src-test-sig-es256-2025',
        'too-long': 'k'.repeat(129),
        empty: '',
      }[kidChoice];
      const assembled: Record<string, unknown> = { ...members, kid, ...extra };
      for (const [member, value] of Object.entries(assembled))
        if (value === undefined) delete assembled[member];
      return { header: assembled, signer };
    });
}

const WEBCRYPTO_SIGN = {
  ES256: { name: 'ECDSA', hash: 'SHA-256' },
  EdDSA: { name: 'Ed25519' },
  PS256: { name: 'RSA-PSS', saltLength: 32 },
} as const;

/**
 * Sign whatever the plan's header says, by hand (jose refuses to sign a header whose crit
 * does not match its members, and such headers are exactly what the verifier must refuse),
 * then encrypt to our key as the profile requires.
 */
async function tokenOf(
  kit: JoseKit,
  partner: Partner,
  plan: HeaderPlan,
  payload: Uint8Array,
): Promise<string> {
  const alg = plan.header.alg;
  const other: Partner = partner === 'cn' ? 'kr' : 'cn';
  const input = `${b64(plan.header)}.${b64(payload)}`;
  if (plan.signer === 'garbage' || (alg !== 'ES256' && alg !== 'EdDSA' && alg !== 'PS256')) {
    return encrypt(kit, `${input}.${b64('not a signature at all')}`);
  }
  const key =
    plan.signer === 'own'
      ? kit.rings[partner].signingKey(alg, NOW).privateKey
      : plan.signer === 'other-partner'
        ? kit.rings[other].signingKey(alg, NOW).privateKey
        : kit.stranger[alg];
  const signature = new Uint8Array(
    await globalThis.crypto.subtle.sign(WEBCRYPTO_SIGN[alg], key, new TextEncoder().encode(input)),
  );
  return encrypt(kit, `${input}.${b64(signature)}`);
}

// ---------------------------------------------------------------- properties

describe('MessageVerifier under fuzzing', () => {
  let kit: JoseKit;
  const valid = new Map<Partner, { jws: string; jwe: string }>();

  beforeAll(async () => {
    kit = await joseKit();
    for (const partner of PARTNERS) {
      const jws = await sign(kit, partner, header(partner, { jti: `fuzz-${partner}-0001` }));
      const jwe = await encrypt(kit, jws);
      valid.set(partner, { jws, jwe });
    }
  });

  it.each(PARTNERS)('%s: the untouched tokens verify (the baseline of the properties)', async (partner) => {
    const { jwe } = valid.get(partner)!;
    const outcome = await verifyOnce(kit, partner, jwe);
    expect(outcome.ok ? 'ACCEPTED' : outcome.code).toBe('ACCEPTED');
  });

  it.each(PARTNERS)(
    '%s: a mutated JWE, or random text, is refused with a reason code unless its protected content is unchanged',
    async (partner) => {
      const { jwe } = valid.get(partner)!;
      const input = fc.oneof(
        {
          weight: 6,
          arbitrary: fc
            .array(tokenMutationArb, { minLength: 1, maxLength: 3 })
            .map((mutations) => ({ mutations })),
        },
        {
          weight: 1,
          arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 200 }).map((text) => ({ text })),
        },
      );
      await fc.assert(
        fc.asyncProperty(input, async (given) => {
          const token = 'text' in given ? given.text : given.mutations.reduce(applyTokenMutation, jwe);
          const outcome = await verifyOnce(kit, partner, token);
          if (outcome.ok) expect(sameSignedContent(token, jwe, [0])).toBe(true);
        }),
        fuzzParameters(SEED.jwe + PARTNERS.indexOf(partner), RUNS.jwe),
      );
    },
  );

  it.each(PARTNERS)(
    '%s: a mutated JWS inside a correct JWE is never accepted with changed signed bytes',
    async (partner) => {
      const { jws } = valid.get(partner)!;
      await fc.assert(
        fc.asyncProperty(fc.array(tokenMutationArb, { minLength: 1, maxLength: 3 }), async (mutations) => {
          const mutated = mutations.reduce(applyTokenMutation, jws);
          const outcome = await verifyOnce(kit, partner, await encrypt(kit, mutated));
          if (outcome.ok) {
            expect(sameSignedContent(mutated, jws, [0, 1])).toBe(true);
            expect(Buffer.from(outcome.verified.payload).equals(basePayload(partner))).toBe(true);
          }
        }),
        fuzzParameters(SEED.jws + PARTNERS.indexOf(partner), RUNS.jws),
      );
    },
  );

  it.each(PARTNERS)(
    '%s: a randomly assembled header is accepted only when it meets the whole profile',
    async (partner) => {
      const profile = profileOf(partner);
      const payload = basePayload(partner);
      const now = Math.floor(NOW.getTime() / 1000);
      const { maxClockSkewSeconds: skew, maxMessageAgeSeconds: age } = profile.security;
      const tally = { accepted: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(headerPlanArb(partner), async (plan) => {
          const outcome = await verifyOnce(kit, partner, await tokenOf(kit, partner, plan, payload));
          if (!outcome.ok) {
            tally.refused++;
            return;
          }
          tally.accepted++;
          const h = plan.header;
          expect(plan.signer).toBe('own');
          expect((profile.security.signatureAlgorithms as readonly unknown[]).includes(h.alg)).toBe(true);
          expect(h.kid).toBe(kidOf(partner, h.alg as 'ES256'));
          expect(h.typ).toBe('mra+jws');
          expect(h.iss).toBe(profile.programme satisfies Programme);
          expect(h.aud).toBe('KZ-SRC');
          expect(h.mra_profile).toBe('1');
          expect(isMessageType(h.mra_type)).toBe(true);
          expect([...(h.crit as string[])].sort()).toEqual([...CRITICAL_MEMBERS].sort());
          expect(h.iat as number).toBeGreaterThanOrEqual(now - age - skew);
          expect(h.iat as number).toBeLessThanOrEqual(now + skew);
          for (const member of ['jwk', 'jku', 'x5t', 'b64', 'zip']) expect(member in h).toBe(false);
          expect(String(h.cty).toLowerCase()).toBe(profile.wire.mediaType);
          expect(Buffer.from(outcome.verified.payload).equals(payload)).toBe(true);
          expect(outcome.verified.report.aud).toBe('KZ-SRC');
        }),
        fuzzParameters(SEED.header + PARTNERS.indexOf(partner), RUNS.header),
      );
      // The generator reaches both sides of the verifier.
      expect(tally.accepted).toBeGreaterThan(0);
      expect(tally.refused).toBeGreaterThan(0);
    },
  );
});
