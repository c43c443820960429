import type { PartnerAdapter } from '../partner-adapter.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { trCapabilities } from './tr-capabilities.js';
import { decodeTrMessage } from './tr-decoder.js';
import { encodeTrMessage } from './tr-encoder.js';
import { trVocabulary } from './tr-vocabulary.js';
import { YfksDirectory } from './tr-yfks.js';

/**
 * The adapter for Türkiye's Ministry of Trade (programme TR-MOT), an assumed JSON format
 * with Turkish member names (see config/partners/tr.yaml formatNotes). Code lists and the
 * YFKS table are built and checked once, here, so a bad profile fails at start-up.
 */
export function createTrAdapter(profile: PartnerProfile): PartnerAdapter {
  const vocabulary = trVocabulary(profile);
  const yfks = new YfksDirectory(profile);
  const capabilities = trCapabilities(profile, vocabulary);
  return {
    profile,
    decode: async (bytes) => decodeTrMessage(bytes, profile, vocabulary),
    encode: (message, options) => encodeTrMessage(message, profile, vocabulary, yfks, options),
    capabilities: () => capabilities,
  };
}
