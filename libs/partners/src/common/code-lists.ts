import { AEO_STATUSES, AUTHORISATION_TYPES, SUPPLY_CHAIN_ROLE_NAMES, type AeoStatus, type AuthorisationType, type SupplyChainRole } from '@aeo/domain';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { CodeList } from './code-list.js';

/** The three code lists every profile maps, built and checked from the profile. */
export interface PartnerCodeLists {
  readonly status: CodeList<AeoStatus>;
  readonly authorisationType: CodeList<AuthorisationType>;
  readonly role: CodeList<SupplyChainRole>;
}

export function codeListsOf(profile: PartnerProfile): PartnerCodeLists {
  return {
    status: new CodeList('status', profile.codeLists.status, AEO_STATUSES, 'UNKNOWN_STATUS_CODE'),
    authorisationType: new CodeList(
      'authorisationType',
      profile.codeLists.authorisationType,
      AUTHORISATION_TYPES,
      'UNKNOWN_AUTHORISATION_TYPE',
    ),
    role: new CodeList('role', profile.codeLists.role, SUPPLY_CHAIN_ROLE_NAMES, 'UNKNOWN_ROLE_CODE'),
  };
}
