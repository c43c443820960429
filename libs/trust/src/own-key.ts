import type { CryptoKey } from 'jose';
import type { EncryptionCurve, KeyAlgorithm, KeyUse, PublicJwk, SignatureAlgorithm } from './algorithms.js';
import { keyState, type KeyState, type KeyValidity } from './key-validity.js';

/**
 * The kinds of key we hold: one signing key per algorithm a partner may ask for, and
 * encryption keys on both curves partners may encrypt to.
 */
export const KEY_TYPES = {
  'sig-eddsa': { alg: 'EdDSA', use: 'sig' },
  'sig-es256': { alg: 'ES256', use: 'sig' },
  'sig-ps256': { alg: 'PS256', use: 'sig' },
  'enc-p256': { alg: 'ECDH-ES+A256KW', use: 'enc', crv: 'P-256' },
  'enc-x25519': { alg: 'ECDH-ES+A256KW', use: 'enc', crv: 'X25519' },
} as const satisfies Record<string, { alg: KeyAlgorithm; use: KeyUse; crv?: EncryptionCurve }>;

export type KeyType = keyof typeof KEY_TYPES;
export const KEY_TYPE_NAMES = Object.keys(KEY_TYPES) as KeyType[];

export function isKeyType(value: unknown): value is KeyType {
  return typeof value === 'string' && value in KEY_TYPES;
}

/** The key type a JWK is, or undefined when it is none of ours. */
export function keyTypeOf(alg: string, crv: unknown): KeyType | undefined {
  return KEY_TYPE_NAMES.find((type) => {
    const spec: { alg: string; crv?: string } = KEY_TYPES[type];
    return spec.alg === alg && (spec.crv === undefined || spec.crv === crv);
  });
}

/** Everything about one of our keys except the private key: safe to list, log and publish. */
export interface OwnKeyRecord extends KeyValidity {
  readonly kid: string;
  readonly type: KeyType;
  readonly alg: KeyAlgorithm;
  readonly use: KeyUse;
  readonly createdAt: Date;
  readonly activatesAt: Date;
  readonly retiresAt: Date;
  readonly revokedAt?: Date;
  readonly publicJwk: PublicJwk;
}

/** A private signing key as the signer needs it; the CryptoKey is not extractable. */
export interface SigningKey {
  readonly kid: string;
  readonly alg: SignatureAlgorithm;
  readonly privateKey: CryptoKey;
}

export interface DecryptionKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
}

/** Picks our key to sign with: the newest key of that algorithm that is active at `at`. */
export interface SigningKeyProvider {
  signingKey(alg: SignatureAlgorithm, at: Date): SigningKey;
}

/** Finds our private key for a JWE addressed to `kid`. */
export interface DecryptionKeyProvider {
  decryptionKey(kid: string, at: Date): DecryptionKey | undefined;
}

export function stateOf(record: OwnKeyRecord, now: Date): KeyState {
  return keyState(record, now);
}

/** Newest first by activation; among equals, by kid so the choice is stable. */
export function newestFirst(a: OwnKeyRecord, b: OwnKeyRecord): number {
  return b.activatesAt.getTime() - a.activatesAt.getTime() || a.kid.localeCompare(b.kid);
}
