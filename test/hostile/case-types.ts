/**
 * One hostile input and what the gateway must answer. A case names the real entry point it
 * goes through (a partner adapter's decode, the MessageVerifier with the partner's trust
 * context, the canonical JSON codec, or the foreign register) and the exact reason code,
 * or ACCEPTED for inputs that look dangerous but are legitimate (SQL-like and script text
 * in names) and must come through unchanged.
 */
import type { ReasonCode } from '@aeo/domain';
import type { PartnerKeyRegistry } from '@aeo/trust';
import type { JoseKit } from './support/jose-kit.js';
import type { NameField, Partner } from './support/formats.js';

export const CATEGORIES = {
  'xml-bomb':
    'entity expansion (billion laughs, quadratic blow-up) and parser-cost blow-ups (attributes, namespace scopes)',
  'external-entity': 'XXE: external general and parameter entities, external DTDs, XInclude',
  dtd: 'document type declarations of any kind',
  'deep-nesting': 'elements or JSON values nested past the profile limit, from one level over to 100,000',
  oversize: 'bodies and tokens over the byte limit, and the exact limit',
  'invalid-utf8': 'byte sequences that are not UTF-8, and documents in or declaring another encoding',
  malformed: 'not well-formed XML or JSON',
  'prototype-pollution': 'JSON keys __proto__, constructor and prototype anywhere in a document',
  smuggling:
    'structure tricks: duplicated elements, foreign namespaces, markup or control characters inside text, type confusion',
  jose: 'JWS/JWE attacks: algorithm confusion, embedded keys, crit, tampering, key misuse, claims, freshness',
  'wrong-recipient': 'a token addressed to another administration (aud), or a JWE for a key that is not ours',
  replay: 'the same message id delivered twice',
  'forged-receipt': "a receipt signed with a key that is not the partner's",
  names: 'SQL-like and script strings in names: valid, accepted and preserved exactly',
} as const;
export type Category = keyof typeof CATEGORIES;

export type Expected = ReasonCode | 'ACCEPTED';

interface CaseBase {
  /** Unique and stable: `<target>/<partner>/<category>/<short name>`. */
  readonly id: string;
  readonly category: Category;
  readonly expect: Expected;
  /** Wall-clock budget for the refusal (parser-cost cases); the runner asserts it. */
}

/** Free-text fields of the first record that must come back exactly as written. */
export type Preserved = Partial<Readonly<Record<NameField, string>>>;

/** adapterFor(partner).decode(bytes). */
export interface DecodeCase extends CaseBase {
  readonly target: 'decode';
  readonly partner: Partner;
  readonly input: () => Uint8Array;
  /** For ACCEPTED name cases: the decoded text, and again after encode → decode. */
  readonly preserved?: Preserved;
}

/** CanonicalJsonCodec.decode(bytes). */
export interface CanonicalCase extends CaseBase {
  readonly target: 'canonical';
  readonly input: () => Uint8Array;
  /** For ACCEPTED cases: the decoded text, and encode(decode(bytes)) is byte-identical to the input. */
  readonly preserved?: Preserved;
}

export interface Delivery {
  readonly token: string | Uint8Array;
  /** Tokens verified (successfully) before `token`, with the same verifier and replay store. */
  readonly earlier?: readonly (string | Uint8Array)[];
}

/** MessageVerifier.verify(token, trustContextOf(profile of partner)). */
export interface VerifyCase extends CaseBase {
  readonly target: 'verify';
  readonly partner: Partner;
  readonly delivery: (kit: JoseKit) => Promise<Delivery>;
  /** The partner keys the gateway holds, when the case needs other than config/partners/keys. */
  readonly registry?: (kit: JoseKit) => Promise<PartnerKeyRegistry>;
}

/** Decoded name cases stored through foreignRegister.apply on SQLite and read back. */
export interface StoreCase extends CaseBase {
  readonly target: 'store';
  readonly expect: 'ACCEPTED';
}

export type HostileCase = DecodeCase | CanonicalCase | VerifyCase | StoreCase;
