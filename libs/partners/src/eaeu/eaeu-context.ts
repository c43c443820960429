import type { PartnerCodeLists } from '../common/code-lists.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import type { EecDocumentCodes } from './eaeu-document-codes.js';

/** What the decoder and encoder need from the profile, built and checked once per adapter. */
export interface EaeuContext {
  readonly profile: PartnerProfile;
  readonly codeLists: PartnerCodeLists;
  readonly documentCodes: EecDocumentCodes;
}
