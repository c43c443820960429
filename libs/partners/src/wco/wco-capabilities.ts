import { MESSAGE_TYPES } from '@aeo/domain';
import type { MappingCapabilities } from '../partner-adapter.js';
import type { WcoContext } from './wco-context.js';

/**
 * WCO-REF has an element for every canonical field (aeoIdNormalized is derived from ID and
 * ProgrammeCode on reading), so nothing is listed as not carried. The code-list part comes from
 * the profile, which maps every value 1:1.
 */
export function wcoCapabilities(context: WcoContext): MappingCapabilities {
  const { codeLists, profile } = context;
  return {
    partner: profile.partner,
    wireFormat: profile.wire.format,
    fieldsNotCarried: [],
    codeLists: [
      codeLists.status.capabilities(),
      codeLists.authorisationType.capabilities(),
      codeLists.role.capabilities(),
    ],
    messageTypes: [...MESSAGE_TYPES],
  };
}
