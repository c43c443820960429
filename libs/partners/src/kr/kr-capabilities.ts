import { MESSAGE_TYPES } from '@aeo/domain';
import type { MappingCapabilities } from '../partner-adapter.js';
import type { KrMapping } from './kr-mapping.js';

/**
 * What the KCS format can carry, whatever the message. Every canonical field has a member
 * (formatNotes in the profile), so nothing is listed as not carried; the losses are all in the
 * code lists. The inbound-only operator kinds (SEA, AIR → CARRIER) lose the transport mode on
 * the way in, which this canonical-side report has no slot for: they are in formatNotes (8).
 */
export function krCapabilities(mapping: KrMapping): MappingCapabilities {
  const { status, authorisationType, role } = mapping.codes;
  return {
    partner: mapping.profile.partner,
    wireFormat: mapping.profile.wire.format,
    fieldsNotCarried: [],
    codeLists: [status.capabilities(), authorisationType.capabilities(), role.capabilities()],
    messageTypes: [...MESSAGE_TYPES],
  };
}
