import { createCnAdapter } from './cn/index.js';
import { createEaeuAdapter } from './eaeu/index.js';
import { createKrAdapter } from './kr/index.js';
import type { PartnerAdapter } from './partner-adapter.js';
import type { PartnerProfile } from './profile/partner-profile.js';
import { loadPartnerProfile, ProfileError } from './profile/profile-loader.js';
import { createTrAdapter } from './tr/index.js';
import { createWcoAdapter } from './wco/index.js';

/** The mapper of each partner; a new partner adds its factory here (and its profile, schema and fixtures). */
const FACTORIES: Readonly<Record<string, (profile: PartnerProfile) => PartnerAdapter>> = {
  cn: createCnAdapter,
  eaeu: createEaeuAdapter,
  kr: createKrAdapter,
  tr: createTrAdapter,
  wco: createWcoAdapter,
};

const cache = new Map<string, PartnerAdapter>();

/** The adapter of a partner, built once from its validated profile. */
export function adapterFor(partner: string): PartnerAdapter {
  const cached = cache.get(partner);
  if (cached) return cached;
  const factory = FACTORIES[partner];
  if (!factory) throw new ProfileError(`no mapper for partner '${partner}' (known: ${Object.keys(FACTORIES).join(', ')})`);
  const adapter = factory(loadPartnerProfile(partner));
  cache.set(partner, adapter);
  return adapter;
}

export function knownPartners(): string[] {
  return Object.keys(FACTORIES);
}
