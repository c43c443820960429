import { isDeepStrictEqual } from 'node:util';
import type { MappingLoss } from '../partner-adapter.js';

/**
 * Why the value at this JSON pointer does not survive the format (undefined: nothing to add).
 * `kind` overrides the default where the read-back has a value the format made up rather than
 * carried (a synthesised default is still a field not carried).
 */
export type LossExplainer = (
  path: string,
  original: unknown,
) => { readonly reason: string; readonly kind?: MappingLoss['kind'] } | undefined;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * Every difference between a canonical message and what the partner format gives back for it
 * (encode, then decode the encoded tree). Reporting from the read-back rather than from a
 * hand-kept list means no field or code can be dropped silently, whatever the mapping does.
 * Objects are compared member by member, arrays of equal length item by item, and arrays that
 * change length as a whole.
 */
export function readBackLosses(
  original: unknown,
  readBack: unknown,
  explain: LossExplainer,
  path = '',
): MappingLoss[] {
  if (isDeepStrictEqual(original, readBack)) return [];
  if (isPlainObject(original) && isPlainObject(readBack)) {
    const keys = [...new Set([...Object.keys(original), ...Object.keys(readBack)])];
    return keys.flatMap((key) => readBackLosses(original[key], readBack[key], explain, `${path}/${key}`));
  }
  if (Array.isArray(original) && Array.isArray(readBack) && original.length === readBack.length) {
    return original.flatMap((item, i) => readBackLosses(item, readBack[i], explain, `${path}/${i}`));
  }
  const explanation = explain(path, original);
  const subset =
    Array.isArray(original) &&
    Array.isArray(readBack) &&
    readBack.every((item) => original.some((o) => isDeepStrictEqual(o, item)));
  const what = readBack === undefined ? 'not carried' : `reads back as ${show(readBack)}`;
  return [
    {
      path: path || '/',
      kind:
        explanation?.kind ??
        (readBack === undefined || subset ? 'FIELD_NOT_CARRIED' : 'CODE_READ_BACK_DIFFERENTLY'),
      detail: explanation ? `${what}: ${explanation.reason}` : what,
    },
  ];
}
