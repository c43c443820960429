import type { PartnerAdapter } from '../partner-adapter.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { EaeuAdapter } from './eaeu-adapter.js';

export { EaeuAdapter } from './eaeu-adapter.js';
export { EAEU_NS } from './eaeu-format.js';

/** The adapter for the EEC's common AEO register (partner code `eaeu`). */
export function createEaeuAdapter(profile: PartnerProfile): PartnerAdapter {
  return new EaeuAdapter(profile);
}
