import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { GatewayError } from '@aeo/domain';

/**
 * Encryption at rest of stored message bytes (X-Road's message-log body encryption). The
 * entry always carries the SHA-256 of the plaintext, so the chain proves what was exchanged
 * whether or not the bytes are kept, and whoever holds the key can show the bytes match.
 * `id` is stored beside each sealed payload and picks the key when reading, so keys can be
 * rotated without rewriting anything.
 */
export interface PayloadCipher {
  readonly id: string;
  /** `associated` is the plaintext's SHA-256: a sealed payload cannot be moved to another row. */
  seal(plaintext: Uint8Array, associated: string): Uint8Array;
  open(sealed: Uint8Array, associated: string): Uint8Array;
}

/** Finds the cipher a payload was sealed with; undefined when this process lacks the key. */
export type PayloadCipherLookup = (id: string) => PayloadCipher | undefined;

export function cipherLookup(ciphers: readonly PayloadCipher[] = []): PayloadCipherLookup {
  const byId = new Map(ciphers.map((cipher) => [cipher.id, cipher]));
  return (id) => byId.get(id);
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a random 96-bit nonce: stored form is nonce || ciphertext || tag.
 * The key (32 bytes) comes from the key store; this module never persists it.
 */
export function aes256GcmPayloadCipher(id: string, key: Uint8Array): PayloadCipher {
  if (key.length !== 32)
    throw new GatewayError('INVALID_VALUE', 'an AES-256-GCM payload key has 32 bytes', '/key');
  if (id.length === 0 || id.length > 64)
    throw new GatewayError('INVALID_VALUE', 'cipher id: 1 to 64 characters', '/id');
  const keyBytes = Buffer.from(key);
  return {
    id,
    seal(plaintext, associated) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyBytes, nonce);
      cipher.setAAD(Buffer.from(associated, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return Buffer.concat([nonce, body, cipher.getAuthTag()]);
    },
    open(sealed, associated) {
      const bytes = Buffer.from(sealed);
      if (bytes.length < NONCE_BYTES + TAG_BYTES) {
        throw new GatewayError('PAYLOAD_UNREADABLE', `sealed payload ${associated} is too short`);
      }
      const decipher = createDecipheriv('aes-256-gcm', keyBytes, bytes.subarray(0, NONCE_BYTES));
      decipher.setAAD(Buffer.from(associated, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      try {
        return Buffer.concat([
          decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
          decipher.final(),
        ]);
      } catch (error) {
        throw new GatewayError(
          'PAYLOAD_UNREADABLE',
          `sealed payload ${associated} fails authentication`,
          undefined,
          {
            cause: error,
          },
        );
      }
    },
  };
}
