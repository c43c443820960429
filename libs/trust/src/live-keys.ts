import type { KeyRing } from './key-ring.js';
import type { DecryptionKey, DecryptionKeyProvider, OwnKeyRecord, SigningKey, SigningKeyProvider } from './own-key.js';
import type { SignatureAlgorithm } from './algorithms.js';
import type { PartnerKey, PartnerKeyLookup, PartnerKeyRegistry } from './partner-key-registry.js';

/**
 * The keys a running gateway uses: our unlocked private keys and the partners' public keys,
 * replaceable while it runs. After `mra keys rotate` or `mra keys import` the operator
 * reloads (HTTP or SIGHUP) instead of restarting. The sealer, the verifier and the checkpoint
 * signer hold this object and ask it for a key at each use, so a reload takes effect for the
 * next message; a message being sealed or opened keeps the key it already has.
 *
 * `replace` swaps both sets at once. It receives fully loaded, validated sets, so a failed
 * reload (a wrong passphrase, an invalid JWKS) never leaves the gateway half-switched.
 */
export class LiveKeys implements SigningKeyProvider, DecryptionKeyProvider, PartnerKeyLookup {
  private current: { readonly ring: KeyRing; readonly partners: PartnerKeyRegistry };
  private replacedAt: Date | undefined;

  constructor(ring: KeyRing, partners: PartnerKeyRegistry) {
    this.current = { ring, partners };
  }

  replace(ring: KeyRing, partners: PartnerKeyRegistry, at: Date): void {
    this.current = { ring, partners };
    this.replacedAt = at;
  }

  /** When the keys were last reloaded (undefined: as loaded at start). */
  get lastReplacedAt(): Date | undefined {
    return this.replacedAt;
  }

  /** Our key records as loaded (no private material). */
  ourKeys(): OwnKeyRecord[] {
    return this.current.ring.records();
  }

  signingKey(alg: SignatureAlgorithm, at: Date): SigningKey {
    return this.current.ring.signingKey(alg, at);
  }

  decryptionKey(kid: string, at: Date): DecryptionKey | undefined {
    return this.current.ring.decryptionKey(kid, at);
  }

  partners(): string[] {
    return this.current.partners.partners();
  }

  keysOf(partner: string): PartnerKey[] {
    return this.current.partners.keysOf(partner);
  }

  find(partner: string, kid: string): PartnerKey | undefined {
    return this.current.partners.find(partner, kid);
  }

  partnersHolding(kid: string): string[] {
    return this.current.partners.partnersHolding(kid);
  }

  encryptionKeyFor(partner: string, now: Date): PartnerKey | undefined {
    return this.current.partners.encryptionKeyFor(partner, now);
  }
}
