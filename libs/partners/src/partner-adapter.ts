import type { CanonicalMessage } from '@aeo/domain';
import type { PartnerProfile } from './profile/partner-profile.js';

/** Something the partner's format cannot carry, reported instead of dropped silently. */
export interface MappingLoss {
  /** JSON pointer into the canonical message, e.g. `/body/records/0/validUntil`. */
  readonly path: string;
  readonly kind: 'FIELD_NOT_CARRIED' | 'CODE_READ_BACK_DIFFERENTLY';
  readonly detail: string;
}

/**
 * How much checking an encode does. 'full' (the default): the canonical message is validated
 * against the schema first and, where the adapter reads its output back, every loss is listed.
 * 'trusted': the caller built the message from records the home register already validated
 * (outbound deltas and snapshots), so both passes are skipped and `losses` is left empty;
 * whatever the format itself cannot carry still throws CANNOT_ENCODE, and the bytes are the
 * same as with 'full'.
 */
export interface EncodeOptions {
  readonly checks?: 'full' | 'trusted';
}

export interface EncodeResult {
  readonly bytes: Uint8Array;
  readonly losses: readonly MappingLoss[];
}

/** What a partner format can and cannot carry, independent of any one message. */
export interface MappingCapabilities {
  readonly partner: string;
  readonly wireFormat: 'xml' | 'json';
  /** Canonical fields (dotted names, e.g. `record.validUntil`) that this format has no place for. */
  readonly fieldsNotCarried: readonly string[];
  /** Per code list: canonical values with no counterpart, and values that come back as another value. */
  readonly codeLists: readonly CodeListCapabilities[];
  readonly messageTypes: readonly string[];
}

export interface CodeListCapabilities {
  readonly list: string;
  readonly unsupported: readonly string[];
  readonly lossy: readonly { canonical: string; partner: string; readBackAs: string }[];
}

/**
 * One partner's wire format at the edge of the gateway. decode: partner bytes → canonical
 * (throws GatewayError with a reason code and path; never returns a half-mapped message).
 * encode: canonical → partner bytes plus what could not be carried. Adapters never talk to
 * each other: partner to partner always goes through the canonical model.
 */
export interface PartnerAdapter {
  readonly profile: PartnerProfile;
  decode(bytes: Uint8Array): Promise<CanonicalMessage>;
  encode(message: CanonicalMessage, options?: EncodeOptions): EncodeResult;
  capabilities(): MappingCapabilities;
}
