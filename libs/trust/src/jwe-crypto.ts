import {
  createCipheriv,
  createDecipheriv,
  createECDH,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  randomBytes,
  timingSafeEqual,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { GatewayError } from '@aeo/domain';
import { KEY_MANAGEMENT_ALGORITHM, type EncryptionCurve } from './algorithms.js';
import { jsonToBase64url } from './base64url.js';
import { concatKdfSha256 } from './concat-kdf.js';

/**
 * The JWE of the profile on synchronous node:crypto: ECDH-ES+A256KW key management
 * (RFC 7518 §4.6) and A256GCM content encryption (§5.3), compact serialisation, to a P-256
 * or X25519 recipient key:
 *
 *   1. an ephemeral key pair on the recipient's curve; Z = ECDH(ephemeral private, recipient)
 *   2. KEK = Concat KDF(Z, "ECDH-ES+A256KW", 256 bits, apu, apv) — we send no apu/apv
 *      (like jose and jwcrypto by default); we honour them when a sender does
 *   3. a random 256-bit CEK, wrapped with AES-256 key wrap (RFC 3394, `id-aes256-wrap`)
 *   4. AES-256-GCM with a random 96-bit IV; the additional authenticated data is the ASCII
 *      of the protected-header segment, so any change to the header fails decryption
 *
 * The protected header carries `epk` after the caller's members, in the member order jose
 * writes, so our tokens look as they did when jose made them.
 *
 * Decryption gives one answer for every cryptographic failure (JWE_DECRYPTION_FAILED):
 * an unusable `epk`, a failed key agreement or key unwrap continue with a random CEK (as jose
 * does) so that the failure surfaces at the same place, the GCM tag, whatever its cause.
 * Only the shape of the token is JWE_MALFORMED: no `epk` (or one with private members), an
 * `apu`/`apv` that is not base64url (or the two equal), no encrypted key, a wrong IV or tag length.
 */
const CONTENT_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** RFC 3394 §2.2.3.1 default initial value of AES key wrap. */
const AES_KW_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');
/** Members that would make `epk` a private key; an ephemeral public key never has them. */
const PRIVATE_JWK_MEMBERS = ['d', 'k', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'priv'];
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The recipient curve of an encryption key, or undefined for a key the profile cannot encrypt to. */
export function encryptionCurveOf(key: KeyObject): EncryptionCurve | undefined {
  if (key.asymmetricKeyType === 'x25519') return 'X25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'P-256';
  return undefined;
}

/**
 * A compact JWE of `plaintext` to `recipient` (a public KeyObject on P-256 or X25519);
 * `header` is the protected header without `epk` (alg ECDH-ES+A256KW, enc A256GCM, ...).
 */
export function encryptCompactJwe(
  plaintext: Uint8Array,
  header: Readonly<Record<string, unknown>>,
  recipient: KeyObject,
): string {
  const curve = encryptionCurveOf(recipient);
  if (!curve) throw new TypeError('ECDH-ES+A256KW needs a P-256 or X25519 recipient key');
  const { sharedSecret, epk } = curve === 'X25519' ? agreeOnX25519(recipient) : agreeOnP256(recipient);
  const keyEncryptionKey = concatKdfSha256(sharedSecret, KEY_MANAGEMENT_ALGORITHM, 256);
  const contentKey = randomBytes(CONTENT_KEY_BYTES);
  const wrap = createCipheriv('id-aes256-wrap', keyEncryptionKey, AES_KW_IV);
  const encryptedKey = Buffer.concat([wrap.update(contentKey), wrap.final()]);

  const protectedHeader = jsonToBase64url({ ...header, epk });
  const iv = randomBytes(IV_BYTES);
  const gcm = createCipheriv('aes-256-gcm', contentKey, iv, { authTagLength: TAG_BYTES });
  gcm.setAAD(Buffer.from(protectedHeader, 'latin1'));
  const ciphertext = Buffer.concat([gcm.update(plaintext), gcm.final()]);
  return [
    protectedHeader,
    encryptedKey.toString('base64url'),
    iv.toString('base64url'),
    ciphertext.toString('base64url'),
    gcm.getAuthTag().toString('base64url'),
  ].join('.');
}

interface EphemeralAgreement {
  readonly sharedSecret: Buffer;
  /** The ephemeral public key as `epk`, members in jose's order: x, crv, kty (and y on P-256). */
  readonly epk: Record<string, string>;
}

/**
 * The ephemeral X25519 key pair comes out of generateKeyPairSync as JWK objects and the
 * private key is imported from its JWK, so no KeyObject we hold shares the key-generation
 * job's key. With KeyObjects straight from generateKeyPairSync the thread could hang: Node
 * 20's job, destroyed by a GC that ran while the generated key's mutex was held (exporting
 * the public key allocates), waits on that same mutex forever. The benchmarks met it on the
 * event loop and on crypto workers about once per 50,000 to 100,000 seals (gdb: ~KeyGenJob in
 * uv_mutex_lock under Heap::CollectGarbage). Importing 32 random bytes as PKCS #8 avoids the
 * job too, but OpenSSL 3's DER decoder made it 3.5 times slower. This way the key agreement
 * alone does ~7,000/s against ~11,000/s before, and JWE encryption 5,800/s against 6,000/s.
 */
function agreeOnX25519(recipient: KeyObject): EphemeralAgreement {
  // @types/node has no JWK-encoding overload for x25519; Node returns JWK objects here.
  const ephemeral = generateKeyPairSync('x25519', { publicKeyEncoding: { format: 'jwk' }, privateKeyEncoding: { format: 'jwk' } } as object) as unknown as { publicKey: JsonWebKey; privateKey: JsonWebKey };
  const privateKey = createPrivateKey({ key: ephemeral.privateKey, format: 'jwk' });
  return {
    sharedSecret: diffieHellman({ privateKey, publicKey: recipient }),
    epk: { x: ephemeral.publicKey.x!, crv: 'X25519', kty: 'OKP' },
  };
}

/**
 * P-256 through the ECDH class: about a third cheaper than a KeyObject key pair plus
 * diffieHellman plus a JWK export (measured), because the ephemeral public key comes out as
 * the raw point (04 || x || y) that `epk` needs anyway. computeSecret checks the recipient
 * point is on the curve.
 */
function agreeOnP256(recipient: KeyObject): EphemeralAgreement {
  const ephemeral = createECDH('prime256v1');
  const point = ephemeral.generateKeys();
  return {
    sharedSecret: ephemeral.computeSecret(uncompressedPointOf(recipient)),
    epk: {
      x: point.subarray(1, 33).toString('base64url'),
      crv: 'P-256',
      kty: 'EC',
      y: point.subarray(33, 65).toString('base64url'),
    },
  };
}

/** A P-256 public key as the uncompressed point the ECDH class takes, made once per key. */
const uncompressedPoints = new WeakMap<KeyObject, Buffer>();

function uncompressedPointOf(publicKey: KeyObject): Buffer {
  let point = uncompressedPoints.get(publicKey);
  if (!point) {
    const { x, y } = publicKey.export({ format: 'jwk' });
    point = Buffer.concat([Buffer.from([0x04]), Buffer.from(x!, 'base64url'), Buffer.from(y!, 'base64url')]);
    uncompressedPoints.set(publicKey, point);
  }
  return point;
}

/**
 * The plaintext of a compact JWE (`text`, its protected header already parsed and checked
 * against the profile as `header`) with our private key `recipient`.
 */
export function decryptCompactJwe(
  text: string,
  header: Readonly<Record<string, unknown>>,
  recipient: KeyObject,
): Buffer {
  const curve = encryptionCurveOf(recipient);
  if (!curve || recipient.type !== 'private')
    throw new GatewayError(
      'JWE_MALFORMED',
      'the key named by the JWE kid cannot decrypt ECDH-ES+A256KW',
      '/jwe/header/kid',
    );
  const [protectedHeader, encryptedKeyPart, ivPart, ciphertextPart, tagPart] = text.split('.') as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (encryptedKeyPart === '') throw malformed('the JWE has no encrypted key', '/jwe/encrypted_key');
  const { epk } = header;
  if (!isJsonObject(epk) || PRIVATE_JWK_MEMBERS.some((member) => Object.hasOwn(epk, member)))
    throw malformed('the JWE header has no usable epk (ephemeral public key)', '/jwe/header/epk');
  const partyUInfo = partyInfo(header, 'apu');
  const partyVInfo = partyInfo(header, 'apv');
  if (partyUInfo && partyVInfo && sameBytes(partyUInfo, partyVInfo))
    throw malformed('apu and apv must differ', '/jwe/header/apv');
  const iv = Buffer.from(ivPart, 'base64url');
  if (iv.byteLength !== IV_BYTES) throw malformed(`the IV must be ${IV_BYTES} bytes`, '/jwe/iv');
  const tag = Buffer.from(tagPart, 'base64url');
  if (tag.byteLength !== TAG_BYTES) throw malformed(`the tag must be ${TAG_BYTES} bytes`, '/jwe/tag');

  const contentKey =
    unwrapContentKey(
      recipient,
      curve,
      epk,
      Buffer.from(encryptedKeyPart, 'base64url'),
      partyUInfo,
      partyVInfo,
    ) ?? randomBytes(CONTENT_KEY_BYTES);
  try {
    const gcm = createDecipheriv('aes-256-gcm', contentKey, iv, { authTagLength: TAG_BYTES });
    gcm.setAuthTag(tag);
    gcm.setAAD(Buffer.from(protectedHeader, 'latin1'));
    return Buffer.concat([gcm.update(Buffer.from(ciphertextPart, 'base64url')), gcm.final()]);
  } catch {
    throw new GatewayError('JWE_DECRYPTION_FAILED', 'JWE: decryption operation failed', '/jwe');
  }
}

/** Key agreement and key unwrap; undefined for any failure (the caller goes on with a random CEK). */
function unwrapContentKey(
  recipient: KeyObject,
  curve: EncryptionCurve,
  epk: Record<string, unknown>,
  encryptedKey: Buffer,
  partyUInfo: Uint8Array | undefined,
  partyVInfo: Uint8Array | undefined,
): Buffer | undefined {
  try {
    const ephemeral = ephemeralPublicKey(epk, curve);
    if (!ephemeral) return undefined;
    const keyEncryptionKey = concatKdfSha256(
      diffieHellman({ privateKey: recipient, publicKey: ephemeral }),
      KEY_MANAGEMENT_ALGORITHM,
      256,
      partyUInfo,
      partyVInfo,
    );
    const unwrap = createDecipheriv('id-aes256-wrap', keyEncryptionKey, AES_KW_IV);
    const contentKey = Buffer.concat([unwrap.update(encryptedKey), unwrap.final()]);
    return contentKey.byteLength === CONTENT_KEY_BYTES ? contentKey : undefined;
  } catch {
    // A point off the curve, a low-order X25519 point, a failed key-wrap integrity check.
    return undefined;
  }
}

/** `epk` as a KeyObject when it is a public key on our key's curve; only its public members are read. */
function ephemeralPublicKey(epk: Record<string, unknown>, curve: EncryptionCurve): KeyObject | undefined {
  const { kty, crv, x, y } = epk;
  if (typeof x !== 'string') return undefined;
  if (curve === 'X25519')
    return kty === 'OKP' && crv === 'X25519'
      ? createPublicKey({ key: { kty, crv, x }, format: 'jwk' })
      : undefined;
  return kty === 'EC' && crv === 'P-256' && typeof y === 'string'
    ? createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' })
    : undefined;
}

function partyInfo(header: Readonly<Record<string, unknown>>, member: 'apu' | 'apv'): Uint8Array | undefined {
  const value = header[member];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !BASE64URL.test(value) || value.length % 4 === 1)
    throw malformed(`${member} must be base64url`, `/jwe/header/${member}`);
  return Buffer.from(value, 'base64url');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(message: string, path: string): GatewayError {
  return new GatewayError('JWE_MALFORMED', `JWE: ${message}`, path);
}
