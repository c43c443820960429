import { codeListsOf } from '../common/code-lists.js';
import type { PartnerAdapter } from '../partner-adapter.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { cnCapabilities } from './cn-capabilities.js';
import { decodeCnMessage } from './cn-decoder.js';
import { encodeCnMessage } from './cn-encoder.js';

/**
 * China's GACC: the assumed XML exchange format `urn:gacc:aeo-mra:exchange:1`
 * (MessageHead/MessageBody, see schemas/v1/partners/cn/). The real GACC format is not
 * public; config/partners/cn.yaml says what is assumed.
 */
export function createCnAdapter(profile: PartnerProfile): PartnerAdapter {
  if (profile.wire.format !== 'xml')
    throw new Error(`profile ${profile.partner}: the GACC adapter reads and writes XML only`);
  const lists = codeListsOf(profile);
  return {
    profile,
    decode: (bytes) => decodeCnMessage(bytes, profile, lists),
    encode: (message, options) => encodeCnMessage(message, profile, lists, options),
    capabilities: () => cnCapabilities(profile, lists),
  };
}
