import { GatewayError } from '@aeo/domain';
import type { PartnerAdapter } from '@aeo/partners';

/**
 * The ways a simulated partner can misbehave when sending (issue #4 item 7). Each defect is
 * applied to the real message (payload before signing, or token after) and, where the
 * defect is in the payload, checked against the adapter first so a test never passes
 * because the "defect" happened to be harmless.
 */
export const DEFECTS = ['bad-signature', 'bad-encryption-tag', 'malformed-body', 'unknown-code', 'truncated'] as const;
export type Defect = (typeof DEFECTS)[number];

export function isDefect(value: unknown): value is Defect {
  return typeof value === 'string' && (DEFECTS as readonly string[]).includes(value);
}

async function expectDecodeFailure(adapter: PartnerAdapter, bytes: Uint8Array, code: string): Promise<Uint8Array> {
  try {
    await adapter.decode(bytes);
  } catch (error) {
    if (error instanceof GatewayError && error.code === code) return bytes;
    throw new Error(`defect produced ${(error as GatewayError).code ?? String(error)} instead of ${code}`);
  }
  throw new Error(`defect did not break the message (expected ${code})`);
}

export const corrupt = {
  /** Defects in the partner-format bytes, signed properly afterwards. */
  async payload(defect: Defect, bytes: Uint8Array, adapter: PartnerAdapter): Promise<Uint8Array> {
    const text = Buffer.from(bytes).toString('utf8');
    if (defect === 'malformed-body') {
      const cut = Buffer.from(text.slice(0, Math.floor(text.length / 2)), 'utf8');
      return expectDecodeFailure(adapter, cut, adapter.profile.wire.format === 'xml' ? 'MALFORMED_XML' : 'MALFORMED_JSON');
    }
    if (defect === 'unknown-code') {
      // Replace the wire code of the first record's status by one no code list has.
      for (const entry of adapter.profile.codeLists.status) {
        if (entry.partner === null) continue;
        const quoted = adapter.profile.wire.format === 'xml' ? `>${entry.partner}<` : `"${entry.partner}"`;
        if (!text.includes(quoted)) continue;
        const mutated = text.replace(quoted, adapter.profile.wire.format === 'xml' ? '>ZZ9<' : '"ZZ9"');
        try {
          return await expectDecodeFailure(adapter, Buffer.from(mutated, 'utf8'), 'UNKNOWN_STATUS_CODE');
        } catch {
          // That occurrence was not the status element; try the next code.
        }
      }
      throw new Error('could not place an unknown status code in this message');
    }
    return bytes;
  },
  /** Defects in the sealed token. */
  token(defect: Defect, token: string): string {
    if (defect === 'bad-signature' || defect === 'bad-encryption-tag') {
      // Flip one character of the last segment: the JWS signature, or the JWE authentication tag.
      const last = token.lastIndexOf('.') + 1;
      const flipped = token[last] === 'A' ? 'B' : 'A';
      return `${token.slice(0, last)}${flipped}${token.slice(last + 1)}`;
    }
    if (defect === 'truncated') return token.slice(0, Math.floor(token.length / 2));
    return token;
  },
};
