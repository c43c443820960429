/**
 * The whole hostile-input catalogue: every case of every table under cases/, in one list.
 * hostile-catalogue.spec.ts runs them; README.md lists the categories and counts.
 */
import { CATEGORIES, type Category, type HostileCase } from './case-types.js';
import { CANONICAL_CASES } from './cases/canonical.js';
import { JOSE_CASES } from './cases/jose.js';
import { JSON_INPUT_CASES } from './cases/json-input.js';
import { NAME_CANONICAL_CASES, NAME_DECODE_CASES, NAME_STORE_CASE } from './cases/names.js';
import { XML_INPUT_CASES } from './cases/xml-input.js';

export const HOSTILE_CASES: readonly HostileCase[] = [
  ...XML_INPUT_CASES,
  ...JSON_INPUT_CASES,
  ...NAME_DECODE_CASES,
  ...CANONICAL_CASES,
  ...NAME_CANONICAL_CASES,
  NAME_STORE_CASE,
  ...JOSE_CASES,
];

/** Categories and counts, as README.md shows them. */
export function countsTable(cases: readonly HostileCase[]): string {
  const columns = ['cn', 'eaeu', 'kr', 'tr', 'wco', 'canonical', 'store'] as const;
  const columnOf = (c: HostileCase): string =>
    c.target === 'decode' || c.target === 'verify' ? c.partner : c.target;
  const rows = (Object.keys(CATEGORIES) as Category[]).map((category) => {
    const inCategory = cases.filter((c) => c.category === category);
    const cells = columns.map((column) => String(inCategory.filter((c) => columnOf(c) === column).length));
    return `| ${category} | ${cells.join(' | ')} | ${inCategory.length} |`;
  });
  const totals = columns.map((column) => String(cases.filter((c) => columnOf(c) === column).length));
  return [
    `| category | ${columns.join(' | ')} | total |`,
    `| --- | ${columns.map(() => '---:').join(' | ')} | ---: |`,
    ...rows,
    `| **all** | ${totals.join(' | ')} | **${cases.length}** |`,
  ].join('\n');
}
