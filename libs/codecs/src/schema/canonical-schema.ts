import { readFileSync, readdirSync } from 'node:fs';
import { repoPath } from '@aeo/config';
import { GatewayError, type CanonicalMessage, type ReasonCode } from '@aeo/domain';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

export const CANONICAL_SCHEMA_ID = 'urn:mra-gateway:schema:v1:message';

let compiled: ValidateFunction | undefined;

/** Loads every schema under schemas/v1/canonical once; they reference each other by $id. */
function canonicalValidator(): ValidateFunction {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  const dir = repoPath('schemas', 'v1', 'canonical');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.schema.json')).sort()) {
    ajv.addSchema(JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as object);
  }
  compiled = ajv.getSchema(CANONICAL_SCHEMA_ID);
  if (!compiled) throw new Error(`schema ${CANONICAL_SCHEMA_ID} not found in ${dir}`);
  return compiled;
}

const ENUM_CODES: Array<[RegExp, ReasonCode]> = [
  [/\/status$/, 'UNKNOWN_STATUS_CODE'],
  [/\/authorisationType$/, 'UNKNOWN_AUTHORISATION_TYPE'],
  [/\/(supplyChainRoles\/\d+|role)$/, 'UNKNOWN_ROLE_CODE'],
  [/\/(programme|sender|recipient)$/, 'UNKNOWN_PROGRAMME'],
  [/\/messageType$/, 'UNSUPPORTED_MESSAGE_TYPE'],
];

const DATE_FIELDS = /(Date|On|From|To|Until|At|asOf|createdAt)$/;

/** The most specific reason code for a schema error, so partners see the same codes as business validation gives. */
function reasonFor(error: ErrorObject): ReasonCode {
  const path = error.instancePath;
  switch (error.keyword) {
    case 'required':
      return 'MISSING_REQUIRED_FIELD';
    case 'additionalProperties':
      return 'UNEXPECTED_FIELD';
    case 'enum':
      return ENUM_CODES.find(([pattern]) => pattern.test(path))?.[1] ?? 'SCHEMA_VIOLATION';
    case 'const':
      return path.endsWith('/schemaVersion') ? 'UNSUPPORTED_SCHEMA_VERSION' : 'SCHEMA_VIOLATION';
    case 'format':
    case 'pattern':
      return DATE_FIELDS.test(path) && (error.params as { format?: string }).format !== 'uuid' ? 'INVALID_DATE' : 'SCHEMA_VIOLATION';
    default:
      return 'SCHEMA_VIOLATION';
  }
}

/** Structural validation against the published JSON Schema; throws the first violation with its JSON pointer. */
export function assertCanonicalShape(value: unknown): asserts value is CanonicalMessage {
  const validate = canonicalValidator();
  if (validate(value)) return;
  const error = (validate.errors ?? []).find((e) => e.keyword !== 'if') ?? validate.errors?.[0];
  if (!error) throw new GatewayError('SCHEMA_VIOLATION', 'message does not match the canonical schema');
  const missing = (error.params as { missingProperty?: string; additionalProperty?: string }) ?? {};
  const extra = missing.missingProperty ?? missing.additionalProperty;
  const path = extra ? `${error.instancePath}/${extra}` : error.instancePath || '/';
  throw new GatewayError(reasonFor(error), `${path}: ${error.message ?? 'schema violation'}`, path);
}
