import type { CryptoKey } from 'jose';
import { GatewayError } from '@aeo/domain';
import { isKeyAlgorithm, useOf, type SignatureAlgorithm } from './algorithms.js';
import { importKey, publicPartOf } from './jwk-keys.js';
import { isRevoked, keyState } from './key-validity.js';
import {
  keyTypeOf,
  newestFirst,
  type DecryptionKey,
  type DecryptionKeyProvider,
  type OwnKeyRecord,
  type SigningKey,
  type SigningKeyProvider,
} from './own-key.js';
import { parseValidity } from './partner-jwks.js';

export interface OwnKey {
  readonly record: OwnKeyRecord;
  readonly privateKey: CryptoKey;
}

/**
 * Our private keys, unlocked, in memory: what the signer and the decrypter use at runtime.
 * The key store (encrypted files) opens into a KeyRing; tests and the partner simulator build
 * one from committed test keys with fromPrivateJwks.
 */
export class KeyRing implements SigningKeyProvider, DecryptionKeyProvider {
  constructor(private readonly keys: readonly OwnKey[]) {}

  records(): OwnKeyRecord[] {
    return this.keys.map((k) => k.record);
  }

  signingKey(alg: SignatureAlgorithm, at: Date): SigningKey {
    const candidate = this.keys
      .filter((k) => k.record.use === 'sig' && k.record.alg === alg && keyState(k.record, at) === 'active')
      .sort((a, b) => newestFirst(a.record, b.record))[0];
    if (!candidate)
      throw new GatewayError(
        'SIGNING_KEY_UNAVAILABLE',
        `no ${alg} signing key is active at ${at.toISOString()}`,
      );
    return { kid: candidate.record.kid, alg, privateKey: candidate.privateKey };
  }

  /**
   * Any of our encryption keys that is not revoked, even one that is pending or retired: a
   * partner may encrypt to a key as soon as we publish it, and a message encrypted just before
   * a retirement may arrive after it.
   */
  decryptionKey(kid: string, at: Date): DecryptionKey | undefined {
    const found = this.keys.find(
      (k) => k.record.kid === kid && k.record.use === 'enc' && !isRevoked(k.record, at),
    );
    return found ? { kid, privateKey: found.privateKey } : undefined;
  }

  /**
   * From private JWKs carrying kid, alg, use and the `mra_*` validity members (the format of
   * test/keys/**). Keys without dates are active from the epoch for ten thousand days.
   */
  static async fromPrivateJwks(document: { keys: readonly Record<string, unknown>[] }): Promise<KeyRing> {
    const keys: OwnKey[] = [];
    for (const jwk of document.keys) {
      const { kid, alg } = jwk;
      if (typeof kid !== 'string' || !isKeyAlgorithm(alg))
        throw new TypeError('every private JWK needs a kid and one of our algorithms');
      const type = keyTypeOf(alg, jwk.crv);
      if (!type) throw new TypeError(`key ${kid}: no key type for ${alg} ${String(jwk.crv)}`);
      const validity = parseValidity(jwk, `/keys/${kid}`, `key ${kid}`);
      const activatesAt = validity.activatesAt ?? new Date(0);
      const record: OwnKeyRecord = {
        kid,
        type,
        alg,
        use: useOf(alg),
        createdAt: activatesAt,
        activatesAt,
        retiresAt: validity.retiresAt ?? new Date(activatesAt.getTime() + 10_000 * 86_400_000),
        ...(validity.revokedAt ? { revokedAt: validity.revokedAt } : {}),
        publicJwk: publicPartOf(jwk),
      };
      keys.push({ record, privateKey: await importKey(jwk, alg, 'private') });
    }
    return new KeyRing(keys);
  }
}
