import { GatewayError } from '@aeo/domain';
import type { PartnerSecurityProfile } from '@aeo/partners';
import type { CryptoKey } from 'jose';
import { CONTENT_ENCRYPTION_ALGORITHM, KEY_MANAGEMENT_ALGORITHM } from './algorithms.js';
import type { CompactJwe } from './compact-token.js';
import { inlineCrypto, type CryptoBackend } from './crypto-backend.js';
import { encryptCompactJwe } from './jwe-crypto.js';
import { keyObjectOf } from './key-objects.js';
import type { DecryptionKeyProvider } from './own-key.js';
import { MRA_JWE_TYP, MRA_JWS_TYP } from './signing-profile.js';

/**
 * Sign-then-encrypt: the compact JWS becomes the plaintext of a compact JWE addressed to the
 * partner's encryption key (ECDH-ES+A256KW, A256GCM). The signature stays inside, so what the
 * recipient verifies after decrypting is exactly what we signed.
 */
export interface EncryptionRecipient {
  readonly kid: string;
  readonly key: CryptoKey;
}

/** The protected header of our JWEs (epk is added when encrypting). */
export function jweHeaderFor(recipientKid: string): Readonly<Record<string, unknown>> {
  return { alg: KEY_MANAGEMENT_ALGORITHM, enc: CONTENT_ENCRYPTION_ALGORITHM, kid: recipientKid, typ: MRA_JWE_TYP, cty: MRA_JWS_TYP };
}

/** Synchronous node:crypto underneath (jwe-crypto.ts); a Promise as it always was. */
export async function encryptJws(jws: string, recipient: EncryptionRecipient): Promise<string> {
  return encryptCompactJwe(Buffer.from(jws, 'latin1'), jweHeaderFor(recipient.kid), keyObjectOf(recipient.key));
}

export interface DecryptedJws {
  readonly jws: string;
  readonly kid: string;
  readonly alg: string;
}

/** Header members of a JWE that would bring a key from elsewhere (`epk` is the ECDH-ES ephemeral key and is expected). */
const KEY_CARRYING_MEMBERS = ['jwk', 'jku', 'x5c', 'x5u', 'x5t', 'x5t#S256'];

/**
 * Decrypt a JWE from a partner, after checking its header: our algorithms, one of our keys,
 * no compression, no extensions, and a JWS inside.
 */
export async function decryptJwe(
  jwe: CompactJwe,
  security: PartnerSecurityProfile,
  keys: DecryptionKeyProvider | undefined,
  now: Date,
  crypto: CryptoBackend = inlineCrypto,
): Promise<DecryptedJws> {
  const { header } = jwe;
  if (
    header.alg !== security.encryption.keyManagementAlgorithm ||
    header.enc !== security.encryption.contentEncryption
  ) {
    throw new GatewayError(
      'JWE_ALG_NOT_ALLOWED',
      `JWE alg/enc ${JSON.stringify(header.alg)}/${JSON.stringify(header.enc)} is not ${security.encryption.keyManagementAlgorithm}/${security.encryption.contentEncryption}`,
      '/jwe/header/alg',
    );
  }
  for (const member of KEY_CARRYING_MEMBERS) {
    if (member in header)
      throw new GatewayError(
        'EMBEDDED_KEY_FORBIDDEN',
        `JWE header member '${member}' is not accepted`,
        `/jwe/header/${member}`,
      );
  }
  if ('zip' in header)
    throw new GatewayError('JWE_MALFORMED', 'compressed JWE (zip) is not accepted', '/jwe/header/zip');
  if ('crit' in header)
    throw new GatewayError(
      'CRIT_UNSUPPORTED',
      'the MRA profile defines no JWE header extensions',
      '/jwe/header/crit',
    );
  if (header.cty !== MRA_JWS_TYP)
    throw new GatewayError(
      'HEADER_CLAIM_INVALID',
      `JWE cty must be "${MRA_JWS_TYP}" (a nested JWS)`,
      '/jwe/header/cty',
    );
  if (header.typ !== undefined && header.typ !== MRA_JWE_TYP)
    throw new GatewayError('HEADER_CLAIM_INVALID', `JWE typ must be "${MRA_JWE_TYP}"`, '/jwe/header/typ');
  if (typeof header.kid !== 'string' || header.kid === '')
    throw new GatewayError('HEADER_CLAIM_MISSING', 'the JWE header has no kid', '/jwe/header/kid');
  const key = keys?.decryptionKey(header.kid, now);
  if (!key)
    throw new GatewayError(
      'JWE_KEY_UNKNOWN',
      `JWE is addressed to key '${header.kid}', which is not one of our encryption keys`,
      '/jwe/header/kid',
    );
  const plaintext = await crypto.decrypt(jwe.text, header, keyObjectOf(key.privateKey));
  return { jws: plaintext.toString('latin1'), kid: key.kid, alg: header.alg };
}
