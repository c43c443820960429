import type { CryptoKey } from 'jose';
import type { KeyAlgorithm, KeyUse } from './algorithms.js';
import { fromJoseError } from './jose-errors.js';
import { importKey } from './jwk-keys.js';
import { isRevoked, isValidAt, type KeyValidity } from './key-validity.js';
import { parsePartnerJwks, type PartnerJwk } from './partner-jwks.js';

/** One public key of one partner, imported for WebCrypto. */
export interface PartnerKey {
  readonly partner: string;
  readonly kid: string;
  readonly alg: KeyAlgorithm;
  readonly use: KeyUse;
  readonly validity: KeyValidity;
  readonly jwk: Readonly<Record<string, unknown>>;
  readonly key: CryptoKey;
}

/** What the sealer, the verifier and the expiry report read of partners' keys. */
export interface PartnerKeyLookup {
  partners(): string[];
  keysOf(partner: string): PartnerKey[];
  find(partner: string, kid: string): PartnerKey | undefined;
  partnersHolding(kid: string): string[];
  encryptionKeyFor(partner: string, now: Date): PartnerKey | undefined;
}

/**
 * Every partner's public keys, looked up by (partner, kid). A kid is only ever resolved in
 * the JWKS of the partner the message claims to come from: a valid signature by partner A's
 * key never authenticates a message from partner B.
 */
export class PartnerKeyRegistry implements PartnerKeyLookup {
  private constructor(private readonly byPartner: ReadonlyMap<string, ReadonlyMap<string, PartnerKey>>) {}

  /** Validate and import JWKS documents, one per partner code. */
  static async fromJwks(documents: Readonly<Record<string, unknown>>): Promise<PartnerKeyRegistry> {
    const byPartner = new Map<string, Map<string, PartnerKey>>();
    for (const [partner, document] of Object.entries(documents)) {
      byPartner.set(partner, await importPartnerKeys(partner, parsePartnerJwks(document, partner)));
    }
    return new PartnerKeyRegistry(byPartner);
  }

  /** A registry with one partner's keys replaced (e.g. `mra verify --jwks FILE`). */
  async withPartnerJwks(partner: string, document: unknown): Promise<PartnerKeyRegistry> {
    const byPartner = new Map(this.byPartner);
    byPartner.set(partner, await importPartnerKeys(partner, parsePartnerJwks(document, partner)));
    return new PartnerKeyRegistry(byPartner);
  }

  partners(): string[] {
    return [...this.byPartner.keys()].sort();
  }

  keysOf(partner: string): PartnerKey[] {
    return [...(this.byPartner.get(partner)?.values() ?? [])];
  }

  find(partner: string, kid: string): PartnerKey | undefined {
    return this.byPartner.get(partner)?.get(kid);
  }

  /** Partners whose JWKS holds this kid: for telling "unknown key" from "another partner's key". */
  partnersHolding(kid: string): string[] {
    return this.partners().filter((partner) => this.byPartner.get(partner)?.has(kid));
  }

  /**
   * The key to encrypt to: the partner's newest encryption key valid now; between keys of the
   * same age, X25519 before P-256 (its key agreement costs a fraction of P-256's, bench/README.md
   * finding 6), then the first kid. A partner that publishes both curves accepts both, and a
   * newer key still wins, so rotation works as the annex describes.
   */
  encryptionKeyFor(partner: string, now: Date): PartnerKey | undefined {
    return this.keysOf(partner)
      .filter((k) => k.use === 'enc' && !isRevoked(k.validity, now) && isValidAt(k.validity, now))
      .sort(
        (a, b) =>
          (b.validity.activatesAt?.getTime() ?? 0) - (a.validity.activatesAt?.getTime() ?? 0) ||
          curvePreference(a) - curvePreference(b) ||
          a.kid.localeCompare(b.kid),
      )[0];
  }
}

/** Lower is preferred: X25519, then P-256. */
function curvePreference(key: PartnerKey): number {
  return key.jwk.crv === 'X25519' ? 0 : 1;
}

async function importPartnerKeys(partner: string, jwks: PartnerJwk[]): Promise<Map<string, PartnerKey>> {
  const keys = new Map<string, PartnerKey>();
  for (const entry of jwks) {
    let key: CryptoKey;
    try {
      key = await importKey(entry.jwk, entry.alg, 'public');
    } catch (error) {
      throw fromJoseError(error, 'key', `/keys/${entry.kid}`);
    }
    keys.set(entry.kid, {
      partner,
      kid: entry.kid,
      alg: entry.alg,
      use: entry.use,
      validity: entry.validity,
      jwk: entry.jwk,
      key,
    });
  }
  return keys;
}
