import { assertValidCanonical } from '@aeo/codecs';
import { GatewayError, HOME_PROGRAMME, recordsOf, type AeoIdRuleOptions, type CanonicalMessage } from '@aeo/domain';
import type { PartnerProfile } from '../profile/partner-profile.js';

export function idRuleOptions(profile: PartnerProfile): AeoIdRuleOptions {
  return profile.identifiers?.krAeoId ? { krAeoId: profile.identifiers.krAeoId } : {};
}

/**
 * The last step of every decoder: the mapped message must pass the canonical schema and the
 * business rules, and carry only records of programmes this partner may speak for (its own,
 * or ours when it echoes our data back in a lookup response or receipt).
 */
export function checkDecoded(message: CanonicalMessage, profile: PartnerProfile): CanonicalMessage {
  assertValidCanonical(message, idRuleOptions(profile));
  recordsOf(message).forEach((record, i) => {
    if (record.programme !== HOME_PROGRAMME && !profile.recordProgrammes.includes(record.programme)) {
      throw new GatewayError('UNKNOWN_PROGRAMME', `${profile.partner} cannot send records of ${record.programme}`, `/body/records/${i}/programme`);
    }
  });
  return message;
}

/** Drop keys whose value is undefined, so optional canonical fields are absent rather than undefined. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
