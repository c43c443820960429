import { MESSAGE_TYPES } from '@aeo/domain';
import type { PartnerCodeLists } from '../common/code-lists.js';
import type { MappingCapabilities } from '../partner-adapter.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { CN_FIELDS_NOT_CARRIED } from './cn-loss-reasons.js';

/** What the GACC format can never carry, whatever the message (the mapping report). */
export function cnCapabilities(profile: PartnerProfile, lists: PartnerCodeLists): MappingCapabilities {
  return {
    partner: profile.partner,
    wireFormat: profile.wire.format,
    fieldsNotCarried: [...CN_FIELDS_NOT_CARRIED],
    codeLists: [
      lists.status.capabilities(),
      lists.authorisationType.capabilities(),
      lists.role.capabilities(),
    ],
    messageTypes: [...MESSAGE_TYPES],
  };
}
