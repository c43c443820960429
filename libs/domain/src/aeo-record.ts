import type { AeoStatus } from './aeo-status.js';
import type { AuthorisationType } from './authorisation-type.js';
import type { Programme } from './programme.js';
import type { SupplyChainRole } from './supply-chain-role.js';

/** A national or partner-assigned identifier of the trader behind an AEO certificate. */
export interface TraderId {
  readonly scheme: string;
  readonly value: string;
}

export interface Address {
  readonly street: string;
  readonly city: string;
  readonly postcode?: string;
  readonly subdivision?: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
}

export interface Consent {
  /** The holder agreed that its AEO data may be shared with MRA partners (EU model: once for all). */
  readonly granted: boolean;
  /** Calendar date (YYYY-MM-DD) when consent was given or withdrawn. */
  readonly recordedOn: string;
}

/**
 * The canonical AEO record (domain.md §7.1). Dates are calendar dates `YYYY-MM-DD`;
 * `lastChangedAt` is an instant in UTC (`YYYY-MM-DDTHH:mm:ssZ`, optional milliseconds).
 * Optional fields are absent, never null, so documents compare by value.
 */
export interface AeoRecord {
  readonly programme: Programme;
  readonly aeoId: string;
  readonly aeoIdNormalized: string;
  readonly traderIds: readonly TraderId[];
  readonly legalName: string;
  readonly nameLatin?: string;
  readonly address: Address;
  readonly status: AeoStatus;
  readonly statusReason?: string;
  readonly statusEffectiveFrom: string;
  readonly statusEffectiveTo?: string;
  readonly authorisationType: AuthorisationType;
  readonly supplyChainRoles: readonly SupplyChainRole[];
  readonly authorisationDate: string;
  readonly validFrom: string;
  readonly validUntil?: string;
  readonly lastChangedAt: string;
  readonly recordVersion: number;
  readonly consent: Consent;
}
