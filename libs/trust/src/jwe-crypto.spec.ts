import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { decryptCompactJwe, encryptCompactJwe } from './jwe-crypto.js';

const HEADER = { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'k', typ: 'mra+jwe', cty: 'mra+jws' } as const;

describe('ECDH-ES+A256KW ephemeral keys', () => {
  it.each([
    ['X25519', () => generateKeyPairSync('x25519')],
    ['P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' })],
  ] as const)('%s: every message gets its own ephemeral key, and the recipient opens each', (curve, recipientPair) => {
    const recipient = recipientPair();
    const tokens = Array.from({ length: 50 }, (_, i) => encryptCompactJwe(Buffer.from(`message ${i}`), HEADER, recipient.publicKey));
    const headers = tokens.map((token) => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { epk: { crv: string; x: string } });
    expect(new Set(headers.map((h) => h.epk.x)).size).toBe(tokens.length);
    expect(headers.every((h) => h.epk.crv === curve && Buffer.from(h.epk.x, 'base64url').byteLength === 32)).toBe(true);
    tokens.forEach((token, i) => expect(decryptCompactJwe(token, headers[i], recipient.privateKey).toString('utf8')).toBe(`message ${i}`));
  });
});
