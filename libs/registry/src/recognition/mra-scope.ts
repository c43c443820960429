import type { Environment } from '@aeo/domain';
import { mraOperative, type MraConfig } from '../mra-config.js';

/**
 * Whether the partner's MRA lets us recognise its AEOs on an arrival date.
 *
 * Production: the arrangement must be operative on that date (mraOperative): state `pilot`
 * or `in-force`, inside inForceFrom/inForceUntil. A pilot counts: an MRA pilot is a real,
 * limited grant of benefits agreed by both administrations (Türkiye–Korea took effect
 * through one), and the outbound side already shares our register with pilot partners
 * under the same rule, so both directions agree on which MRAs are open. An operator who
 * wants no production benefits during a pilot sets the partner's state to `negotiating`.
 *
 * Pilot environment (MRA negotiation test runs): open unless suspended, whatever the dates,
 * exactly as mraShares opens the outbound side, because rehearsals happen before the
 * arrangement is signed and before its planned date of entry into force.
 */
export function mraOpenFor(config: MraConfig, environment: Environment, arrivalDate: string): boolean {
  return environment === 'production' ? mraOperative(config, arrivalDate) : config.state !== 'suspended';
}

/** The MRA's inbound scope: recognised programmes (all of the partner's when not listed) and authorisation types. */
export function mraCovers(config: MraConfig, programme: string, authorisationType: string): boolean {
  const programmes = config.inbound.recognisedProgrammes;
  if (programmes !== undefined && !programmes.includes(programme)) return false;
  return (config.inbound.recognisedAuthorisationTypes as readonly string[]).includes(authorisationType);
}

/** Stale: the partner's data last reached us more than freshnessSlaHours before `atMillis` (or never). */
export function partnerDataStale(
  config: MraConfig,
  lastDataAt: number | undefined,
  atMillis: number,
): boolean {
  return lastDataAt === undefined || atMillis - lastDataAt > config.freshnessSlaHours * 3_600_000;
}
