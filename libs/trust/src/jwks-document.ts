import { keyState } from './key-validity.js';
import type { OwnKeyRecord } from './own-key.js';
import { VALIDITY_MEMBERS, type JwksDocument } from './partner-jwks.js';

/** One of our keys as a public JWK, with its validity in our `mra_*` members. */
export function publicJwkOf(record: OwnKeyRecord): Record<string, unknown> {
  return {
    ...record.publicJwk,
    kid: record.kid,
    alg: record.alg,
    use: record.use,
    [VALIDITY_MEMBERS.activatesAt]: instant(record.activatesAt),
    [VALIDITY_MEMBERS.retiresAt]: instant(record.retiresAt),
  };
}

/**
 * Our JWKS as served at GET /.well-known/jwks.json: every key that is not retired or revoked,
 * including keys that are not active yet, so partners learn a new key before it signs. A
 * retired key disappears; partners keep their copy to check messages issued before it retired.
 */
export function jwksDocument(records: readonly OwnKeyRecord[], now: Date): JwksDocument {
  return {
    keys: records
      .filter((record) => {
        const state = keyState(record, now);
        return state === 'active' || state === 'pending';
      })
      .sort((a, b) => a.kid.localeCompare(b.kid))
      .map(publicJwkOf),
  };
}

function instant(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}
