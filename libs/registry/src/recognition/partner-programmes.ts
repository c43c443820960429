import type { AeoIdRuleOptions, Programme } from '@aeo/domain';
import { adapterFor, idRuleOptions } from '@aeo/partners';

/**
 * The issuing programmes a partner speaks for, and the options its identifier rules need
 * (Korea's AEO-id pattern is configured per profile). Recognition tries these in order.
 */
export interface PartnerProgrammes {
  readonly partner: string;
  readonly programmes: readonly Programme[];
  readonly idRuleOptions: AeoIdRuleOptions;
}

/**
 * The default candidate order: EAEU first (its certificate numbers are unmistakable), then
 * China, Korea and Türkiye. Order only matters for which error an unparseable id reports;
 * a bare code several programmes accept is resolved against the registers, not by order.
 */
export const RECOGNITION_PARTNERS = ['eaeu', 'cn', 'kr', 'tr'] as const;

/** Build the list from the validated partner profiles (config/partners/<partner>.yaml). */
export function partnerProgrammesFromProfiles(
  partners: readonly string[] = RECOGNITION_PARTNERS,
): PartnerProgrammes[] {
  return partners.map((partner) => {
    const profile = adapterFor(partner).profile;
    return { partner, programmes: profile.recordProgrammes, idRuleOptions: idRuleOptions(profile) };
  });
}
