import { validateCanonicalMessage, type AeoIdRuleOptions, type CanonicalMessage } from '@aeo/domain';
import { encodeJson, parseJsonSafely } from './json/safe-json.js';
import { DEFAULT_LIMITS, type InputLimits } from './limits.js';
import { assertCanonicalShape } from './schema/canonical-schema.js';

/**
 * Full check of a canonical message: JSON Schema first (shape, code lists), then the
 * domain's business rules (identifiers, check digits, dates, consistency).
 */
export function assertValidCanonical(value: unknown, options: AeoIdRuleOptions = {}): asserts value is CanonicalMessage {
  assertCanonicalShape(value);
  validateCanonicalMessage(value, options);
}

/** The gateway's own JSON form of canonical messages (what `mra convert --to canonical` prints). */
export const CanonicalJsonCodec = {
  decode(bytes: Uint8Array, limits: InputLimits = DEFAULT_LIMITS, options: AeoIdRuleOptions = {}): CanonicalMessage {
    const value = parseJsonSafely(bytes, limits);
    assertValidCanonical(value, options);
    return value;
  },
  encode(message: CanonicalMessage, options: AeoIdRuleOptions = {}): Uint8Array {
    assertValidCanonical(message, options);
    return encodeJson(message);
  },
};
