import { XmlStringSerializer, type XmlTreeSerializer } from '@aeo/codecs';
import type { CanonicalMessage } from '@aeo/domain';
import { codeListsOf } from '../common/code-lists.js';
import type { EncodeOptions, EncodeResult, MappingCapabilities, PartnerAdapter } from '../partner-adapter.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { ProfileError } from '../profile/profile-loader.js';
import { eaeuCapabilities } from './eaeu-capabilities.js';
import type { EaeuContext } from './eaeu-context.js';
import { decodeEaeuMessage } from './eaeu-decoder.js';
import { documentCodesOf } from './eaeu-document-codes.js';
import { encodeEaeuMessage } from './eaeu-encoder.js';
import { EAEU_NS } from './eaeu-format.js';

/**
 * The Eurasian Economic Commission's common AEO register (programme EAEU-EEC), in our assumed
 * XML format in the style of the EAEU integrated information system (formatNotes in
 * config/partners/eaeu.yaml). Records of every member state travel in it, ours included.
 */
export class EaeuAdapter implements PartnerAdapter {
  private readonly context: EaeuContext;

  constructor(
    readonly profile: PartnerProfile,
    private readonly serializer: XmlTreeSerializer = new XmlStringSerializer(),
  ) {
    // The encoder and the XSD are written for one namespace; a profile naming another would produce documents nobody can validate.
    if (profile.wire.format !== 'xml' || profile.wire.namespace !== EAEU_NS.aeo) {
      throw new ProfileError(
        `profile ${profile.partner}: the eaeu adapter writes XML in namespace ${EAEU_NS.aeo}`,
      );
    }
    this.context = { profile, codeLists: codeListsOf(profile), documentCodes: documentCodesOf(profile) };
  }

  decode(bytes: Uint8Array): Promise<CanonicalMessage> {
    return decodeEaeuMessage(bytes, this.context);
  }

  encode(message: CanonicalMessage, options?: EncodeOptions): EncodeResult {
    return encodeEaeuMessage(message, this.context, this.serializer, options);
  }

  capabilities(): MappingCapabilities {
    return eaeuCapabilities(this.context);
  }
}
