import type { CanonicalMessage } from '@aeo/domain';
import type { EncodeOptions, EncodeResult, MappingCapabilities, PartnerAdapter } from '../partner-adapter.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { krCapabilities } from './kr-capabilities.js';
import { decodeKrMessage } from './kr-decoder.js';
import { encodeKrMessage } from './kr-encoder.js';
import { krMappingOf } from './kr-mapping.js';

/**
 * The Korea Customs Service adapter (JSON). Building it checks the profile's code lists and
 * mapping tables, so a broken profile fails here rather than on the first message.
 */
export function createKrAdapter(profile: PartnerProfile): PartnerAdapter {
  const mapping = krMappingOf(profile);
  return {
    profile,
    // Decoding is synchronous; the port is async so XML adapters can use async parsers.
    decode: async (bytes: Uint8Array): Promise<CanonicalMessage> => decodeKrMessage(bytes, mapping),
    encode: (message: CanonicalMessage, options?: EncodeOptions): EncodeResult => encodeKrMessage(message, mapping, options),
    capabilities: (): MappingCapabilities => krCapabilities(mapping),
  };
}
