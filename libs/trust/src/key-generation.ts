import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { PublicJwk } from './algorithms.js';
import { jwkThumbprint, publicPartOf } from './jwk-keys.js';
import { KEY_TYPES, type KeyType } from './own-key.js';

const generate = promisify(generateKeyPair);

/** RSA keys we create; 3072 bits keeps PS256 keys acceptable well past a one-year lifetime. */
export const RSA_MODULUS_BITS = 3072;

export interface GeneratedKeyPair {
  readonly privateJwk: Record<string, unknown>;
  readonly publicJwk: PublicJwk;
  readonly thumbprint: string;
}

export async function generateKeyPairJwk(type: KeyType): Promise<GeneratedKeyPair> {
  const spec: { alg: string; crv?: string } = KEY_TYPES[type];
  const pair =
    spec.alg === 'EdDSA'
      ? await generate('ed25519')
      : spec.alg === 'PS256'
        ? await generate('rsa', { modulusLength: RSA_MODULUS_BITS })
        : spec.crv === 'X25519'
          ? await generate('x25519')
          : await generate('ec', { namedCurve: 'P-256' });
  const privateJwk = pair.privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const publicJwk = publicPartOf(privateJwk);
  return { privateJwk, publicJwk, thumbprint: await jwkThumbprint(privateJwk) };
}

/**
 * Key ids say whose key it is, what it is for and when it starts, and end with the start of
 * the RFC 7638 thumbprint so two keys never share a kid: `kz-src-sig-es256-20260101-q8Zx1_Ab`.
 */
export function kidFor(programme: string, type: KeyType, activatesAt: Date, thumbprint: string): string {
  const day = activatesAt.toISOString().slice(0, 10).replaceAll('-', '');
  return `${programme.toLowerCase()}-${type}-${day}-${thumbprint.slice(0, 8)}`;
}
