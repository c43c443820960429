import { MESSAGE_TYPES, type MessageType } from '@aeo/domain';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { ProfileError } from '../profile/profile-loader.js';

/**
 * The EEC codes in every ccdo:EDocHeader: csdo:InfEnvelopeCode names the common-process message
 * (P.CC.nn.MSG.nnn), csdo:EDocCode the structure (R.CC.RG.nn.nnn). The AEO-register process code
 * is not public, so they come from the profile (mappingTables.eecMessageCodes and
 * eecStructureCodes) and can be corrected without a code change. Checked once, at adapter creation.
 */
export interface EecDocumentCodes {
  readonly message: Readonly<Record<MessageType, string>>;
  readonly structure: Readonly<Record<MessageType, string>>;
}

/** The same shapes as csdo:InfEnvelopeCode and csdo:EDocCode in the XSD. */
const MESSAGE_CODE = /^P\.[A-Z]{2}\.\d{2}\.MSG\.\d{3}$/;
const STRUCTURE_CODE = /^R\.[A-Z]{2}\.[A-Z]{2}\.\d{2}\.\d{3}$/;

export function documentCodesOf(profile: PartnerProfile): EecDocumentCodes {
  return {
    message: codeTable(profile, 'eecMessageCodes', MESSAGE_CODE),
    structure: codeTable(profile, 'eecStructureCodes', STRUCTURE_CODE),
  };
}

function codeTable(profile: PartnerProfile, name: string, shape: RegExp): Record<MessageType, string> {
  const where = `profile ${profile.partner}: mappingTables.${name}`;
  const table = profile.mappingTables?.[name];
  if (!table) throw new ProfileError(`${where} is required (one code per message type)`);
  const unknown = Object.keys(table).find((key) => !(MESSAGE_TYPES as readonly string[]).includes(key));
  if (unknown !== undefined) throw new ProfileError(`${where}: '${unknown}' is not a message type`);
  const codes = {} as Record<MessageType, string>;
  for (const type of MESSAGE_TYPES) {
    const code = table[type];
    if (code === undefined || !shape.test(code))
      throw new ProfileError(`${where}.${type} must match ${shape.source}`);
    if (Object.values(codes).includes(code)) throw new ProfileError(`${where}: '${code}' is used twice`);
    codes[type] = code;
  }
  return codes;
}
