/** Validates partner wire bytes against the partner's published schema (XSD or JSON Schema). */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { repoPath } from '@aeo/config';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import libxmljs from 'libxmljs2';
import type { PartnerProfile } from '@aeo/partners';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

export function wireSchemaErrors(profile: PartnerProfile, bytes: Uint8Array): string[] {
  const schemaPath = repoPath(profile.wire.schemaFile);
  const schemaText = readFileSync(schemaPath, 'utf8');
  if (profile.wire.format === 'xml') {
    const xsd = libxmljs.parseXml(schemaText, { baseUrl: `${dirname(schemaPath)}/` });
    const doc = libxmljs.parseXml(Buffer.from(bytes).toString('utf8'), { noent: false, nonet: true });
    return doc.validate(xsd) ? [] : doc.validationErrors.map((e) => `${e.line ?? ''}: ${e.message.trim()}`);
  }
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(schemaText) as object);
  const value: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
