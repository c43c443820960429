import { constants, sign, verify, type KeyObject } from 'node:crypto';
import type { SignatureAlgorithm } from './algorithms.js';

/**
 * The three signature algorithms of the profile on node:crypto, with the exact encodings
 * JOSE prescribes (RFC 7518 §3.4, §3.5; RFC 8037 §3.1):
 *
 *   EdDSA  Ed25519, the 64-byte signature as it is
 *   ES256  ECDSA P-256 with SHA-256, the signature as R || S (32 bytes each), not DER
 *   PS256  RSASSA-PSS with SHA-256, MGF1 with SHA-256, a 32-byte salt
 *
 * Ed25519 and P-256 take tens of microseconds: synchronous on the calling thread is faster
 * than handing them to the thread pool. An RSA private-key operation takes milliseconds,
 * so PS256 signing goes to the libuv pool (the callback form of crypto.sign) and does not
 * hold up the event loop; PS256 verification is a cheap public-key operation and stays here.
 */
type NodeSignatureOptions = {
  readonly digest: 'sha256' | null;
  readonly options: { dsaEncoding?: 'ieee-p1363'; padding?: number; saltLength?: number };
};

const OPTIONS: Record<SignatureAlgorithm, NodeSignatureOptions> = {
  EdDSA: { digest: null, options: {} },
  ES256: { digest: 'sha256', options: { dsaEncoding: 'ieee-p1363' } },
  PS256: { digest: 'sha256', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } },
};

/** ES256 signatures have a fixed length: R and S of 32 bytes each. */
const ES256_SIGNATURE_BYTES = 64;

/** Whether `key` is of the type `alg` needs (EdDSA: Ed25519; ES256: P-256; PS256: RSA). */
export function keyFitsAlgorithm(alg: SignatureAlgorithm, key: KeyObject): boolean {
  switch (alg) {
    case 'EdDSA':
      return key.asymmetricKeyType === 'ed25519';
    case 'ES256':
      return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
    case 'PS256':
      return key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss';
  }
}

export function createSignature(
  alg: SignatureAlgorithm,
  input: Buffer,
  privateKey: KeyObject,
): Promise<Buffer> {
  if (privateKey.type !== 'private' || !keyFitsAlgorithm(alg, privateKey))
    return Promise.reject(new TypeError(`the key is not a private ${alg} key`));
  const { digest, options } = OPTIONS[alg];
  if (alg === 'PS256') {
    return new Promise((resolve, reject) =>
      sign(digest, input, { key: privateKey, ...options }, (error, signature) =>
        error ? reject(error) : resolve(signature),
      ),
    );
  }
  return Promise.resolve(sign(digest, input, { key: privateKey, ...options }));
}

/**
 * Whether `signature` is a valid `alg` signature of `input` under `publicKey`. A signature of
 * the wrong shape (a DER-encoded ECDSA signature, a truncated one) is simply not valid.
 */
export function signatureIsValid(
  alg: SignatureAlgorithm,
  input: Buffer,
  signature: Buffer,
  publicKey: KeyObject,
): boolean {
  if (alg === 'ES256' && signature.byteLength !== ES256_SIGNATURE_BYTES) return false;
  const { digest, options } = OPTIONS[alg];
  try {
    return verify(digest, input, { key: publicKey, ...options }, signature);
  } catch {
    // OpenSSL refuses some malformed signatures (e.g. wrong RSA length) instead of answering false.
    return false;
  }
}
