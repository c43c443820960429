import {
  listPartnerCodes,
  loadPartnerProfile,
  type PartnerAdapter,
  type PartnerProfile,
} from '@aeo/partners';
import {
  keyStoreFromEnv,
  loadPartnerKeyRegistry,
  partnerJwksPath,
  systemClock,
  type Clock,
  type KeyStore,
  type PartnerKeyRegistry,
} from '@aeo/trust';
import { Option } from 'commander';

/**
 * What the trust commands (keys, jwks, sign, verify) read from the outside world. The
 * defaults read the environment and config/; tests pass their own profiles and adapter.
 */
export interface TrustCliDeps {
  readonly clock: Clock;
  /** Our key store: MRA_KEYS_DIR and MRA_KEY_PASSPHRASE. */
  keyStore(): KeyStore;
  partnerCodes(): string[];
  profileFor(partner: string): PartnerProfile;
  /** Every configured partner's public keys; `overrides` maps a partner to another JWKS file. */
  partnerKeys(overrides?: Readonly<Record<string, string>>): Promise<PartnerKeyRegistry>;
  /** Where `mra keys import` writes a partner's JWKS. */
  jwksPathFor(partner: string): string;
}

export interface SignCliDeps extends TrustCliDeps {
  adapterFor(partner: string): PartnerAdapter;
}

export function defaultTrustCliDeps(): TrustCliDeps {
  return {
    clock: systemClock,
    keyStore: () => keyStoreFromEnv(),
    partnerCodes: listPartnerCodes,
    profileFor: loadPartnerProfile,
    partnerKeys: (overrides) => loadPartnerKeyRegistry(overrides ? { overrides } : {}),
    jwksPathFor: partnerJwksPath,
  };
}

export function partnerOption(deps: TrustCliDeps): Option {
  return new Option('--partner <partner>', 'partner code').choices(deps.partnerCodes()).makeOptionMandatory();
}

/** A JSON line on stderr: reports go there so stdout stays exactly the message. */
export function writeReport(report: Record<string, unknown>): void {
  process.stderr.write(`${JSON.stringify(report)}\n`);
}

export function parseInstant(value: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value))
    throw new Error(`not an ISO-8601 instant: ${value}`);
  return at;
}

export function parsePositiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new Error(`not a positive number: ${value}`);
  return n;
}
