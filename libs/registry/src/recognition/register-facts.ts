import type { AeoRecord, AeoStatus, AuthorisationType, Environment, SupplyChainRole } from '@aeo/domain';

/** Where one foreign AEO sits in the register: the index key. */
export interface RegisterKey {
  readonly environment: Environment;
  readonly programme: string;
  readonly aeoIdNormalized: string;
}

/**
 * One stored version of a foreign AEO, cut down to what a recognition decision reads plus
 * its provenance. The in-memory index holds 100,000s of these, so names, addresses and
 * trader ids (which the decision never looks at) are left out of it. Optional dates are
 * present as undefined rather than absent: every instance then has one shape, which keeps
 * V8's property access on the fast path monomorphic.
 */
export interface RegisterFacts {
  readonly programme: string;
  readonly aeoIdNormalized: string;
  readonly status: AeoStatus;
  readonly statusEffectiveFrom: string;
  readonly statusEffectiveTo: string | undefined;
  readonly authorisationType: AuthorisationType;
  readonly supplyChainRoles: readonly SupplyChainRole[];
  readonly validFrom: string;
  readonly validUntil: string | undefined;
  readonly consentGranted: boolean;
  readonly recordVersion: number;
  /** UTC milliseconds when this gateway stored the version. */
  readonly storedAt: number;
  /** The partner the version came from. */
  readonly source: string;
  readonly sourceMessageId: string | null;
}

export interface Provenance {
  readonly storedAt: number;
  readonly source: string;
  readonly sourceMessageId: string | null;
}

export function factsOf(record: AeoRecord, provenance: Provenance): RegisterFacts {
  return {
    programme: record.programme,
    aeoIdNormalized: record.aeoIdNormalized,
    status: record.status,
    statusEffectiveFrom: record.statusEffectiveFrom,
    statusEffectiveTo: record.statusEffectiveTo,
    authorisationType: record.authorisationType,
    supplyChainRoles: record.supplyChainRoles,
    validFrom: record.validFrom,
    validUntil: record.validUntil,
    consentGranted: record.consent.granted,
    recordVersion: record.recordVersion,
    storedAt: provenance.storedAt,
    source: provenance.source,
    sourceMessageId: provenance.sourceMessageId,
  };
}

/** Flat string key of the in-memory maps; NUL cannot occur in any of the three parts. */
export function registerKeyString(environment: string, programme: string, aeoIdNormalized: string): string {
  return `${environment}\u0000${programme}\u0000${aeoIdNormalized}`;
}
