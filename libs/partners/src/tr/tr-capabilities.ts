import { MESSAGE_TYPES } from '@aeo/domain';
import type { MappingCapabilities } from '../partner-adapter.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { TR_FIELDS_NOT_CARRIED } from './tr-record-encoder.js';
import type { TrVocabulary } from './tr-vocabulary.js';

/**
 * What the Turkish format can carry, whatever the message: no end of validity, and the
 * negotiable code lists' gaps (EXPIRED and non-TR/KZ types unsupported; annulment and
 * consolidator read back as revocation and freight forwarder).
 */
export function trCapabilities(profile: PartnerProfile, vocabulary: TrVocabulary): MappingCapabilities {
  return {
    partner: profile.partner,
    wireFormat: profile.wire.format,
    fieldsNotCarried: [...TR_FIELDS_NOT_CARRIED],
    codeLists: [vocabulary.status, vocabulary.authorisationType, vocabulary.role].map((list) =>
      list.capabilities(),
    ),
    messageTypes: [...MESSAGE_TYPES],
  };
}
