import { readFileSync } from 'node:fs';
import { repoPath } from '@aeo/config';

export type JsonSchema = { readonly [keyword: string]: unknown };

/** Fields the gateway sets on every change; a value a caller sends is replaced. */
const SET_BY_GATEWAY = ['recordVersion', 'lastChangedAt'];

function canonicalSchema(name: string): Record<string, unknown> {
  const { $schema: _dialect, $id: _id, ...schema } = JSON.parse(readFileSync(repoPath('schemas', 'v1', 'canonical', `${name}.schema.json`), 'utf8')) as Record<string, unknown>;
  return schema;
}

/**
 * Components taken from the published canonical JSON Schemas, so the API documentation and
 * the request validation read the same file as partners do and cannot drift from it.
 * `AeoRecordChange` is the record as an operator enters it: the canonical record minus the
 * two fields the gateway sets.
 */
export function canonicalComponents(): Record<string, JsonSchema> {
  const record = canonicalSchema('aeo-record');
  const properties = record.properties as Record<string, Record<string, unknown>>;
  const change = {
    ...record,
    title: 'AEO record change',
    description: `A home AEO as the operator enters it: the canonical AEO record, where ${SET_BY_GATEWAY.join(' and ')} are set by the gateway (a value sent is replaced).`,
    required: (record.required as string[]).filter((field) => !SET_BY_GATEWAY.includes(field)),
    properties: Object.fromEntries(
      Object.entries(properties).map(([name, schema]) => [name, SET_BY_GATEWAY.includes(name) ? { ...schema, readOnly: true } : schema]),
    ),
  };
  return { AeoRecord: record, AeoRecordChange: change };
}
