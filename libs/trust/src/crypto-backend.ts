import type { KeyObject } from 'node:crypto';
import type { SignatureAlgorithm } from './algorithms.js';
import { decryptCompactJwe, encryptCompactJwe } from './jwe-crypto.js';
import { createSignature, signatureIsValid } from './jws-crypto.js';

/** What the sealer asks for: sign a JWS signing input, then (optionally) encrypt the JWS to a recipient. */
export interface SealJob {
  /** base64url(header) "." base64url(payload), as it will travel. */
  readonly signingInput: string;
  readonly alg: SignatureAlgorithm;
  readonly privateKey: KeyObject;
  /** The JWE's protected header (without epk) and the recipient's public key; absent for a bare JWS. */
  readonly encryptTo?: { readonly header: Readonly<Record<string, unknown>>; readonly recipient: KeyObject };
}

/**
 * The per-message cryptography of sealing and opening, with every policy decision (which key,
 * which algorithm, which header) already taken by the caller. Two implementations: in the
 * calling thread (`inlineCrypto`), and on worker threads (`CryptoWorkerPool`), so that the
 * crypto runs on another core than the event loop. Both give the same bytes and throw the same
 * GatewayErrors (JWE_MALFORMED, JWE_DECRYPTION_FAILED) for the same input.
 */
export interface CryptoBackend {
  /** The compact JWS, or the compact JWE around it when `encryptTo` is given. */
  seal(job: SealJob): Promise<string>;
  /** The plaintext of a compact JWE whose protected header (`header`) the caller has checked. */
  decrypt(text: string, header: Readonly<Record<string, unknown>>, recipient: KeyObject): Promise<Buffer>;
  /** Whether `signature` is a valid `alg` signature of `signingInput` under `publicKey`. */
  verify(alg: SignatureAlgorithm, signingInput: Buffer, signature: Buffer, publicKey: KeyObject): Promise<boolean>;
}

/** Seal on the calling thread: the synchronous node:crypto functions (PS256 signing goes to the libuv pool). */
export async function sealInThread(job: SealJob): Promise<string> {
  const signature = await createSignature(job.alg, Buffer.from(job.signingInput, 'latin1'), job.privateKey);
  const jws = `${job.signingInput}.${signature.toString('base64url')}`;
  if (!job.encryptTo) return jws;
  return encryptCompactJwe(Buffer.from(jws, 'latin1'), job.encryptTo.header, job.encryptTo.recipient);
}

/** Everything on the calling thread: the default, and what a worker runs. */
export const inlineCrypto: CryptoBackend = {
  seal: sealInThread,
  async decrypt(text, header, recipient) {
    return decryptCompactJwe(text, header, recipient);
  },
  async verify(alg, signingInput, signature, publicKey) {
    return signatureIsValid(alg, signingInput, signature, publicKey);
  },
};
