import { GatewayError, type Programme, type SupplyChainRole } from '@aeo/domain';
import type { JsonObject } from '../common/json-reader.js';
import type { KrMapping } from './kr-mapping.js';
import { compactToIsoDate, kstToUtc } from './kst-time.js';

/*
 * Readers of KCS wire values that need more than JsonObject gives: codes from the profile's
 * tables, KST date-times, YYYYMMDD dates and Y/N flags. Each names the member at fault.
 */

/** Programme of an administration code (issuer_cd, sender_cd, receiver_cd). */
export function programmeAt(object: JsonObject, key: string, mapping: KrMapping): Programme {
  const code = object.requiredString(key);
  const programme = mapping.tables.administrations.fromWire(code);
  if (!programme) {
    throw new GatewayError(
      'UNKNOWN_PROGRAMME',
      `unknown administration code '${code}'`,
      `${object.path}/${key}`,
    );
  }
  return programme;
}

export function dateAt(object: JsonObject, key: string): string {
  return compactToIsoDate(object.requiredString(key), `${object.path}/${key}`);
}

export function optionalDateAt(object: JsonObject, key: string): string | undefined {
  return object.has(key) ? dateAt(object, key) : undefined;
}

export function instantAt(object: JsonObject, key: string): string {
  return kstToUtc(object.requiredString(key), `${object.path}/${key}`);
}

export function yesNoAt(object: JsonObject, key: string): boolean {
  const flag = object.requiredString(key);
  if (flag !== 'Y' && flag !== 'N') {
    throw new GatewayError('INVALID_VALUE', `${key} must be Y or N`, `${object.path}/${key}`);
  }
  return flag === 'Y';
}

/** A KCS operator kind as a canonical role: an inbound-only kind (SEA, AIR) or a code of the role list. */
export function roleOf(code: string, path: string, mapping: KrMapping): SupplyChainRole {
  return mapping.tables.inboundRoleCodes.get(code) ?? mapping.codes.role.toCanonical(code, path);
}
