import { readFileSync } from 'node:fs';
import { repoPath } from '@aeo/config';
import { AEO_STATUSES, AUTHORISATION_TYPES, SUPPLY_CHAIN_ROLE_NAMES } from '@aeo/domain';
import type { PartnerAdapter } from '@aeo/partners';
import type { CodeListCoverage, DirectionCoverage, FieldLoss } from './report.js';

const LIST_SIZES: Readonly<Record<string, number>> = {
  status: AEO_STATUSES.length,
  authorisationType: AUTHORISATION_TYPES.length,
  role: SUPPLY_CHAIN_ROLE_NAMES.length,
};

/** The canonical AEO record's fields, from its JSON Schema (the model every partner maps to). */
function canonicalRecordFields(): string[] {
  const schema = JSON.parse(
    readFileSync(repoPath('schemas', 'v1', 'canonical', 'aeo-record.schema.json'), 'utf8'),
  ) as { properties: Record<string, unknown> };
  return Object.keys(schema.properties);
}

/** `record.validUntil` → validUntil; `record.traderIds (schemes other than ...)` → traderIds, partly. */
function parseLoss(entry: string): FieldLoss & { partial: boolean } {
  const match = /^(?:record\.)?([A-Za-z.]+)\s*(?:\((.*)\))?$/s.exec(entry.trim());
  if (!match) return { field: entry, detail: 'not carried', partial: false };
  return match[2]
    ? { field: match[1], detail: match[2], partial: true }
    : { field: match[1], detail: 'not carried by the format', partial: false };
}

/**
 * Mapping coverage per direction from the adapter's capabilities: which canonical fields the
 * partner's format carries, which are lost, and which code-list values have no counterpart
 * (or come back as another value).
 */
export function mappingCoverage(adapter: PartnerAdapter): {
  outbound: DirectionCoverage;
  inbound: DirectionCoverage;
} {
  const capabilities = adapter.capabilities();
  const losses = capabilities.fieldsNotCarried.map(parseLoss);
  const fullyLost = new Set(losses.filter((l) => !l.partial).map((l) => l.field));
  const carried = canonicalRecordFields()
    .filter((field) => !fullyLost.has(field))
    .map((field) => (losses.some((l) => l.partial && l.field === field) ? `${field} (partly)` : field));
  const lost = losses.map(({ field, detail }) => ({ field, detail }));
  const outboundLists: CodeListCoverage[] = capabilities.codeLists.map((list) => ({
    list: list.list,
    values: LIST_SIZES[list.list] ?? list.unsupported.length,
    noCounterpart: [...list.unsupported],
    readBackAs: list.lossy.map((l) => ({ ...l })),
  }));
  // Inbound, a canonical value can only arrive if the partner has a code that reads back as it.
  const inboundLists: CodeListCoverage[] = capabilities.codeLists.map((list) => ({
    list: list.list,
    values: LIST_SIZES[list.list] ?? list.unsupported.length,
    noCounterpart: [...list.unsupported, ...list.lossy.map((l) => l.canonical)],
    readBackAs: list.lossy.map((l) => ({ ...l })),
  }));
  const name = adapter.profile.displayName;
  return {
    outbound: {
      direction: 'outbound',
      summary: `Our records in ${name}'s ${capabilities.wireFormat.toUpperCase()} format: ${carried.length} canonical fields carried, ${lost.length} lost or partly lost; a value with no counterpart cannot be sent, and a many-to-one value reaches the partner as its counterpart.`,
      carried,
      lost,
      codeLists: outboundLists,
    },
    inbound: {
      direction: 'inbound',
      summary: `${name}'s records in our canonical model: fields the format does not carry arrive empty; canonical values with no partner code can never arrive, and a shared partner code is read back as one value.`,
      carried,
      lost,
      codeLists: inboundLists,
    },
  };
}
