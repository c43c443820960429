import { MESSAGE_TYPES } from '@aeo/domain';
import type { MappingCapabilities } from '../partner-adapter.js';
import type { EaeuContext } from './eaeu-context.js';

/**
 * What the EAEU format cannot carry, independent of any message. Every canonical field has a
 * place; the gaps are in the code lists (non-EAEU authorisation types, expiry) and in many-to-one
 * codes (annulment read back as revocation), both taken from the profile. Two things are reported
 * per message only, because they depend on the value: a certificate number spelt other than in
 * the official form, and a trader-id scheme the XSD does not list (none today).
 */
export function eaeuCapabilities(context: EaeuContext): MappingCapabilities {
  const lists = context.codeLists;
  return {
    partner: context.profile.partner,
    wireFormat: 'xml',
    fieldsNotCarried: [],
    codeLists: [
      lists.status.capabilities(),
      lists.authorisationType.capabilities(),
      lists.role.capabilities(),
    ],
    messageTypes: [...MESSAGE_TYPES],
  };
}
