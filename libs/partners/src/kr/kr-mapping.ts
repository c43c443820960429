import { GatewayError, type AeoIdRuleOptions } from '@aeo/domain';
import { codeListsOf, type PartnerCodeLists } from '../common/code-lists.js';
import { idRuleOptions } from '../common/decoded-message.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { krTablesOf, type KrTables } from './kr-tables.js';

/** Everything both kr mappers read from the profile, checked once when the adapter is built. */
export interface KrMapping {
  readonly profile: PartnerProfile;
  readonly codes: PartnerCodeLists;
  readonly tables: KrTables;
  /** The configured KCS AEO-id pattern (identifiers.krAeoId). */
  readonly idOptions: AeoIdRuleOptions;
}

export function krMappingOf(profile: PartnerProfile): KrMapping {
  return {
    profile,
    codes: codeListsOf(profile),
    tables: krTablesOf(profile),
    idOptions: idRuleOptions(profile),
  };
}

/**
 * Identifier rules raise GatewayErrors without a path (they do not know where the value sits);
 * this gives such an error the path of the value in the message.
 */
export function atPath<T>(path: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof GatewayError && error.path === undefined) {
      throw new GatewayError(error.code, error.message, path, { cause: error });
    }
    throw error;
  }
}
