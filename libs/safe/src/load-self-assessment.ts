import { readFileSync } from 'node:fs';
import { parseJsonSafely } from '@aeo/codecs';
import { repoPath } from '@aeo/config';
import { GatewayError } from '@aeo/domain';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { LoadedSelfAssessment, SafeSelfAssessment } from './self-assessment.js';

// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => void;

/** The SRC's own answers (July 2024 survey): what `mra safe show` prints without a file. */
export function srcSelfAssessmentFile(): string {
  return repoPath('config', 'safe', 'kz-src-2024.json');
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  // allowUnionTypes: `basis` is string-or-null, which reads better as one type list than an anyOf.
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  const schemaFile = repoPath('schemas', 'v1', 'config', 'safe-self-assessment.schema.json');
  compiled = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
  return compiled;
}

/** JSON pointer of what an ajv error is about: the missing or unexpected property itself where there is one. */
function pointerOf(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const property = params.missingProperty ?? params.additionalProperty;
  return property === undefined ? error.instancePath : `${error.instancePath}/${property}`;
}

function describeError(error: ErrorObject): string {
  const params = error.params as { allowedValue?: unknown };
  const expected = error.keyword === 'const' ? ` ${JSON.stringify(params.allowedValue)}` : '';
  return `${pointerOf(error) || '/'} ${error.message ?? 'is invalid'}${expected}`;
}

/**
 * Parse and validate one self-assessment. `file` only labels errors: every error names it,
 * and its `path` is `<file>#<JSON pointer>` so the operator can go straight to the value.
 */
export function parseSelfAssessment(bytes: Uint8Array, file: string): LoadedSelfAssessment {
  let data: unknown;
  try {
    data = parseJsonSafely(bytes);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    throw new GatewayError(error.code, `${file}: ${error.message}`, `${file}#${error.path ?? ''}`, {
      cause: error,
    });
  }
  const validate = validator();
  if (!validate(data)) {
    // An if/then failure is reported twice (the property and the "if" itself); the property says more.
    const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
    const first = errors[0];
    throw new GatewayError(
      'SCHEMA_VIOLATION',
      `${file}: not a SAFE self-assessment: ${errors.map(describeError).join('; ')}`,
      `${file}#${first ? pointerOf(first) : ''}`,
    );
  }
  return { file, assessment: data as SafeSelfAssessment };
}

export function loadSelfAssessment(file: string): LoadedSelfAssessment {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new GatewayError('INVALID_VALUE', `${file}: cannot read: ${(error as Error).message}`, file, {
      cause: error,
    });
  }
  return parseSelfAssessment(bytes, file);
}
