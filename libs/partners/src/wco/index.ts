import { Xml2jsTreeSerializer } from '@aeo/codecs';
import type { PartnerAdapter } from '../partner-adapter.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { wcoCapabilities } from './wco-capabilities.js';
import { wcoContextOf } from './wco-context.js';
import { decodeWco } from './wco-decoder.js';
import { encodeWco } from './wco-encoder.js';

/**
 * The WCO-REF reference adapter: the gateway's own lossless WCO-style XML form of every
 * canonical message (config/partners/wco.yaml, schemas/v1/partners/wco/wco-aeo-exchange.xsd).
 */
export function createWcoAdapter(profile: PartnerProfile): PartnerAdapter {
  const context = wcoContextOf(profile);
  const serializer = new Xml2jsTreeSerializer();
  return {
    profile,
    decode: (bytes) => decodeWco(bytes, context),
    encode: (message) => encodeWco(message, context, serializer),
    capabilities: () => wcoCapabilities(context),
  };
}
