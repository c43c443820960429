import { GatewayError, isGatewayError } from '@aeo/domain';
import type { JsonObject } from '../common/json-reader.js';
import { dateFromWire, instantFromWire } from './tr-dates.js';

/** Run a check whose errors carry no path (identifier rules) and give them the wire path. */
export function atPath<T>(path: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (isGatewayError(error) && error.path === undefined) {
      throw new GatewayError(error.code, error.message, path, { cause: error });
    }
    throw error;
  }
}

export function requiredDate(object: JsonObject, key: string): string {
  return dateFromWire(object.requiredString(key), `${object.path}/${key}`);
}

export function optionalDate(object: JsonObject, key: string): string | undefined {
  return object.has(key) ? requiredDate(object, key) : undefined;
}

export function requiredInstant(object: JsonObject, key: string): string {
  return instantFromWire(object.requiredString(key), `${object.path}/${key}`);
}

/** A code value read through a code list, with the wire path in the error. */
export function requiredCode<C>(
  object: JsonObject,
  key: string,
  list: { toCanonical(code: string, path: string): C },
): C {
  return list.toCanonical(object.requiredString(key), `${object.path}/${key}`);
}
