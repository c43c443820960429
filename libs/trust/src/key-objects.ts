import { KeyObject } from 'node:crypto';
import type { CryptoKey } from 'jose';

/**
 * The node:crypto KeyObject behind a WebCrypto key, made once per key. The key ring, the key
 * store and the partner registry keep handing out the CryptoKeys jose imported (their public
 * shapes stay as they are); the per-message code signs, verifies and agrees keys with the
 * synchronous node:crypto functions, which need a KeyObject. `KeyObject.from` shares the
 * native key (a non-extractable private key stays non-extractable), and the WeakMap lets a
 * key that is dropped from every ring be collected with its KeyObject.
 */
const keyObjects = new WeakMap<CryptoKey, KeyObject>();

export function keyObjectOf(key: CryptoKey): KeyObject {
  let keyObject = keyObjects.get(key);
  if (!keyObject) {
    keyObject = KeyObject.from(key);
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}
