import { GatewayError } from '@aeo/domain';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Canonical JSON in the manner of RFC 8785 (JCS), restricted to what the audit log stores:
 *
 * - object members sorted by key, comparing UTF-16 code units (JavaScript's default string
 *   sort, which is what RFC 8785 §3.2.3 prescribes);
 * - no whitespace anywhere;
 * - strings escaped exactly as ECMAScript `JSON.stringify` does (RFC 8785 §3.2.2.2);
 * - numbers as ECMAScript `Number.prototype.toString` (RFC 8785 §3.2.2.3); NaN and
 *   infinities are not JSON and are refused, as are strings with lone surrogates;
 * - `undefined` members of objects are left out (as JSON.stringify does); anything that is
 *   not plain JSON data (Date, Map, class instances, bigint, functions) is refused, so a
 *   value never changes form between the hash and the stored copy.
 *
 * Throws GatewayError INVALID_VALUE with a JSON pointer to the offending value.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '');
}

function encode(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      if (LONE_SURROGATE.test(value)) throw invalid(path, 'string contains a lone surrogate');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw invalid(path, `${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((item, index) => encode(item === undefined ? null : item, `${path}/${index}`)).join(',')}]`;
      }
      const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
      if (prototype !== Object.prototype && prototype !== null) {
        throw invalid(path, `${prototype.constructor?.name ?? 'object'} is not plain JSON data`);
      }
      const record = value as Record<string, unknown>;
      const members: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const member = record[key];
        if (member === undefined) continue;
        if (LONE_SURROGATE.test(key))
          throw invalid(`${path}/${escapePointer(key)}`, 'key contains a lone surrogate');
        members.push(`${JSON.stringify(key)}:${encode(member, `${path}/${escapePointer(key)}`)}`);
      }
      return `{${members.join(',')}}`;
    }
    default:
      throw invalid(path, `${typeof value} is not JSON data`);
  }
}

/** True when the string is not well-formed UTF-16 (RFC 8785 refuses such strings). */
export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function invalid(path: string, reason: string): GatewayError {
  return new GatewayError('INVALID_VALUE', `not canonical JSON data: ${reason}`, path === '' ? '/' : path);
}
