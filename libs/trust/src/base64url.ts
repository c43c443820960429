/**
 * base64url (RFC 4648 §5, no padding) through Buffer, which does it natively: jose's
 * JavaScript encoder was a fifth of the snapshot-sealing time on multi-megabyte payloads
 * (bench/README.md finding 4). Decoders here assume the segment was already checked to be
 * base64url (compact-token.ts does that before any cryptography).
 */
export function toBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** A JOSE header as its protected-header segment: the UTF-8 of its JSON, base64url. */
export function jsonToBase64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * Decode into a Uint8Array of its own. Buffer.from hands small results out of a shared
 * 8 KiB pool; a payload given to callers must not keep (or expose) that pool.
 */
export function fromBase64urlOwned(segment: string): Uint8Array {
  const bytes = new Uint8Array(Buffer.byteLength(segment, 'base64url'));
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).write(segment, 'base64url');
  return bytes;
}
