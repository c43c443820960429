import { GatewayError } from '@aeo/domain';
import { DEFAULT_LIMITS, type InputLimits } from '../limits.js';
import { decodeUtf8Input } from '../text-input.js';

/** Keys that would reach an object's prototype if a consumer ever merged the value. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Hardened JSON input: size limit, strict UTF-8, bounded nesting, and no prototype-polluting
 * keys anywhere in the document. Errors carry a JSON pointer to the offending value.
 */
export function parseJsonSafely(bytes: Uint8Array, limits: InputLimits = DEFAULT_LIMITS): unknown {
  const text = decodeUtf8Input(bytes, limits).replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new GatewayError('MALFORMED_JSON', `JSON is not well-formed: ${(cause as Error).message}`, undefined, { cause });
  }
  inspect(value, '', 1, limits.maxDepth);
  return value;
}

function inspect(value: unknown, pointer: string, depth: number, maxDepth: number): void {
  if (value === null || typeof value !== 'object') return;
  if (depth > maxDepth) throw new GatewayError('NESTING_TOO_DEEP', `values nest deeper than ${maxDepth}`, pointer || '/');
  if (Array.isArray(value)) {
    value.forEach((item, i) => inspect(item, `${pointer}/${i}`, depth + 1, maxDepth));
    return;
  }
  for (const key of Object.keys(value)) {
    const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (FORBIDDEN_KEYS.has(key)) throw new GatewayError('FORBIDDEN_KEY', `key '${key}' is not accepted`, at);
    inspect((value as Record<string, unknown>)[key], at, depth + 1, maxDepth);
  }
}

/** Serialise for the wire: UTF-8, no BOM, two-space indent so humans can read fixtures. */
export function encodeJson(value: unknown): Uint8Array {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}
