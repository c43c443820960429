import { createHash } from 'node:crypto';

/**
 * The Concat KDF of NIST SP 800-56A as JWA uses it for ECDH-ES (RFC 7518 §4.6.2), with
 * SHA-256, for keys of at most 256 bits (one hash round; A256KW needs exactly 256):
 *
 *   key = SHA-256( 00000001 || Z || OtherInfo )
 *   OtherInfo = len || AlgorithmID || len || PartyUInfo || len || PartyVInfo || keydatalen
 *
 * where each `len` is a 32-bit big-endian byte count, AlgorithmID is the `alg` value
 * ("ECDH-ES+A256KW"), PartyUInfo / PartyVInfo are the decoded `apu` / `apv` (empty when
 * absent) and keydatalen is the key size in bits, 32-bit big-endian.
 */
export function concatKdfSha256(
  sharedSecret: Uint8Array,
  algorithmId: string,
  keyBits: number,
  partyUInfo: Uint8Array = EMPTY,
  partyVInfo: Uint8Array = EMPTY,
): Buffer {
  if (keyBits <= 0 || keyBits > 256 || keyBits % 8 !== 0)
    throw new RangeError(`Concat KDF here derives 8 to 256 bits, not ${keyBits}`);
  const algorithm = Buffer.from(algorithmId, 'ascii');
  const key = createHash('sha256')
    .update(uint32(1))
    .update(sharedSecret)
    .update(uint32(algorithm.byteLength))
    .update(algorithm)
    .update(uint32(partyUInfo.byteLength))
    .update(partyUInfo)
    .update(uint32(partyVInfo.byteLength))
    .update(partyVInfo)
    .update(uint32(keyBits))
    .digest();
  return key.subarray(0, keyBits / 8);
}

const EMPTY = new Uint8Array(0);

function uint32(value: number): Buffer {
  const bytes = Buffer.allocUnsafe(4);
  bytes.writeUInt32BE(value);
  return bytes;
}
