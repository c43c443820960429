import type { AeoIdRuleOptions } from '@aeo/domain';
import { codeListsOf, type PartnerCodeLists } from '../common/code-lists.js';
import { idRuleOptions } from '../common/decoded-message.js';
import type { PartnerProfile } from '../profile/partner-profile.js';

/** What the reader and the writer need from the profile, built once per adapter. */
export interface WcoContext {
  readonly profile: PartnerProfile;
  readonly codeLists: PartnerCodeLists;
  readonly idRules: AeoIdRuleOptions;
}

export function wcoContextOf(profile: PartnerProfile): WcoContext {
  return { profile, codeLists: codeListsOf(profile), idRules: idRuleOptions(profile) };
}
