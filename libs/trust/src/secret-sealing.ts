import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';

/**
 * Private keys at rest: AES-256-GCM under a key derived with scrypt from the operator's
 * passphrase (MRA_KEY_PASSPHRASE), a fresh salt and IV per file. The additional
 * authenticated data binds the ciphertext to its key id and public key, so a sealed private
 * key cannot be moved into another key's file.
 */
export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** About 100 ms and 32 MiB per derivation on our 2-vCPU machines; stored per file so it can grow. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

export interface SealedSecret {
  readonly kdf: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string;
  readonly cipher: 'aes-256-gcm';
  readonly iv: string;
  readonly tag: string;
  readonly ciphertext: string;
}

export class SecretSealingError extends Error {
  override readonly name = 'SecretSealingError';
}

function deriveKey(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const { N, r, p } = params;
  // Refuse parameters a tampered file could use to exhaust memory or CPU.
  if (!Number.isInteger(Math.log2(N)) || N < 2 ** 14 || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16) {
    return Promise.reject(new SecretSealingError(`scrypt parameters out of range: N=${N} r=${r} p=${p}`));
  }
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase.normalize('NFC'),
      salt,
      32,
      { N, r, p, maxmem: 256 * N * r * p + 2 ** 20 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

export async function sealSecret(
  plaintext: Uint8Array,
  passphrase: string,
  aad: string,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<SealedSecret> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(passphrase, salt, params);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    kdf: 'scrypt',
    ...params,
    salt: salt.toString('base64url'),
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
    ciphertext: ciphertext.toString('base64url'),
  };
}

export async function openSecret(sealed: SealedSecret, passphrase: string, aad: string): Promise<Buffer> {
  if (sealed.kdf !== 'scrypt' || sealed.cipher !== 'aes-256-gcm')
    throw new SecretSealingError(`unsupported sealing ${sealed.kdf}/${sealed.cipher}`);
  const key = await deriveKey(passphrase, Buffer.from(sealed.salt, 'base64url'), sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64url')), decipher.final()]);
  } catch {
    throw new SecretSealingError('cannot decrypt: wrong passphrase, or the file was altered');
  }
}
