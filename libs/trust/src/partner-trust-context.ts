import type { Programme } from '@aeo/domain';
import type { PartnerProfile, PartnerSecurityProfile } from '@aeo/partners';

/**
 * What the trust layer needs to know about one partner: who it is, its security profile,
 * and (optionally) the media type and size limit of its wire format. Built from a partner
 * profile with trustContextOf, or by hand in tests and the partner simulator.
 */
export interface PartnerTrustContext {
  /** Partner code (cn, kr, tr, eaeu, wco): the namespace of its keys and of its message ids. */
  readonly partner: string;
  /** The partner's programme: the `iss` of what it sends, the `aud` of what we send it. */
  readonly programme: Programme;
  readonly security: PartnerSecurityProfile;
  /** The `cty` its messages must carry; not checked when absent. */
  readonly contentType?: string;
  /** Largest payload accepted from it, in bytes. */
  readonly maxPayloadBytes?: number;
}

export function trustContextOf(profile: PartnerProfile): PartnerTrustContext {
  return {
    partner: profile.partner,
    programme: profile.programme,
    security: profile.security,
    contentType: profile.wire.mediaType,
    maxPayloadBytes: profile.limits.maxBytes,
  };
}
