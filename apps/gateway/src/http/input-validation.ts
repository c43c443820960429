import { applyDecorators, Inject, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBody, ApiParam, ApiQuery } from '@nestjs/swagger';
import { DEFAULT_LIMITS } from '@aeo/codecs';
import { GatewayError, type ReasonCode } from '@aeo/domain';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { AuditLog } from '@aeo/audit';
import { from, switchMap, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/roles.guard.js';
import { GATEWAY_AUDIT } from '../tokens.js';
import { canonicalComponents, type JsonSchema } from './canonical-components.js';

// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

const API_INPUT = 'mra:api-input';
const COMPONENT_PREFIX = '#/components/schemas/';
const COMPONENT_ID = 'urn:mra-gateway:api:';

export interface ApiInputSchemas {
  readonly body?: JsonSchema;
  readonly query?: JsonSchema;
  readonly params?: JsonSchema;
}

type Location = keyof ApiInputSchemas;

/**
 * The route's input, declared once: validated before the handler runs (after authentication
 * and the role check, so a caller without rights learns nothing about the shape), and
 * documented in OpenAPI from the same schemas. A route with @ApiInput and no `body` accepts
 * no body (an empty JSON object is tolerated); without `query` it accepts no query parameters.
 */
export const ApiInput = (input: ApiInputSchemas) =>
  applyDecorators(
    SetMetadata(API_INPUT, input),
    ...(input.body ? [ApiBody({ schema: input.body as never, required: true })] : []),
    ...documentParameters(input.query, (name, schema, required) => ApiQuery({ name, required, schema: schema as never, description: schema.description as string | undefined })),
    ...documentParameters(input.params, (name, schema) => ApiParam({ name, required: true, schema: schema, description: schema.description as string | undefined })),
  );

function documentParameters(schema: JsonSchema | undefined, decorate: (name: string, schema: JsonSchema, required: boolean) => MethodDecorator): MethodDecorator[] {
  if (!schema) return [];
  const required = (schema.required as string[] | undefined) ?? [];
  return Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).map(([name, property]) => decorate(name, property, required.includes(name)));
}

/** Whether a handler declared its input (for the OpenAPI document and the route tests). */
export function declaredInput(handler: object): ApiInputSchemas | undefined {
  return Reflect.getMetadata(API_INPUT, handler) as ApiInputSchemas | undefined;
}

const EMPTY_OBJECT: JsonSchema = { type: 'object', additionalProperties: false, properties: {} };

/** One compiled validator per schema object, shared by every request. */
class SchemaCompiler {
  private readonly ajv: Ajv2020;
  private readonly compiled = new WeakMap<JsonSchema, ValidateFunction>();

  constructor() {
    this.ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats(this.ajv);
    for (const [name, schema] of Object.entries(canonicalComponents())) this.ajv.addSchema(toAjv({ ...schema, $id: `${COMPONENT_ID}${name}` }));
  }

  validator(schema: JsonSchema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(toAjv(schema));
      this.compiled.set(schema, validate);
    }
    return validate;
  }
}

/** OpenAPI references components by document pointer; ajv knows them by $id. */
function toAjv(schema: JsonSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema), (key, value: unknown) =>
    key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENT_PREFIX) ? `${COMPONENT_ID}${value.slice(COMPONENT_PREFIX.length)}` : value,
  ) as JsonSchema;
}

interface ValidatedRequest extends AuthenticatedRequest {
  readonly body?: unknown;
  readonly query?: unknown;
  readonly params?: unknown;
}

/**
 * Registered globally: checks body, query and path parameters of every route that declares
 * @ApiInput, and answers 422 with the reason code and a JSON pointer to the field. A
 * rejection is audited (REQUEST_REJECTED: who, which route, which field; never the values).
 */
@Injectable()
export class InputValidationInterceptor implements NestInterceptor {
  private readonly compiler = new SchemaCompiler();

  constructor(
    private readonly reflector: Reflector,
    @Inject(GATEWAY_AUDIT) private readonly audit: AuditLog,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const input = this.reflector.get<ApiInputSchemas | undefined>(API_INPUT, context.getHandler());
    if (!input) return next.handle();
    const request = context.switchToHttp().getRequest<ValidatedRequest>();
    try {
      this.check('params', request.params ?? {}, input.params ?? EMPTY_OBJECT);
      this.check('query', request.query ?? {}, input.query ?? EMPTY_OBJECT);
      this.checkBody(request.body, input.body);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      return from(this.auditRejection(request, error)).pipe(switchMap(() => Promise.reject(error)));
    }
    return next.handle();
  }

  private async auditRejection(request: ValidatedRequest, error: GatewayError): Promise<void> {
    // Group committed like refused calls and recognition decisions: a caller sending invalid
    // bodies at its full rate must not cost one transaction (and one fsync) per request.
    await this.audit.appendGroupCommitted({
      direction: 'INTERNAL',
      type: 'REQUEST_REJECTED',
      outcome: error.code,
      actor: request.principal?.name ?? null,
      details: { method: request.method, path: request.path, field: error.path ?? '/' },
    });
  }

  private checkBody(body: unknown, schema: JsonSchema | undefined): void {
    if (body === undefined) {
      if (schema) throw new GatewayError('MISSING_REQUIRED_FIELD', 'a JSON object body is required (Content-Type: application/json)', '/');
      return;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new GatewayError('SCHEMA_VIOLATION', 'the request body must be a JSON object', '/');
    }
    rejectHostileKeys(body);
    this.check('body', body, schema ?? EMPTY_OBJECT);
  }

  private check(location: Location, value: unknown, schema: JsonSchema): void {
    const validate = this.compiler.validator(schema);
    if (validate(value)) return;
    const error = validate.errors?.[0];
    throw error ? toGatewayError(location, error) : new GatewayError('SCHEMA_VIOLATION', `${location} does not match its schema`, '/');
  }
}

const WHERE: Record<Location, string> = { body: 'body field', query: 'query parameter', params: 'path parameter' };

const ENUM_CODES: Array<[RegExp, ReasonCode]> = [
  [/\/status$/, 'UNKNOWN_STATUS_CODE'],
  [/\/authorisationType$/, 'UNKNOWN_AUTHORISATION_TYPE'],
  [/\/(supplyChainRoles\/\d+|role)$/, 'UNKNOWN_ROLE_CODE'],
  [/\/programme$/, 'UNKNOWN_PROGRAMME'],
];

/** The most specific reason code for the first violation, with a pointer to the field. */
function toGatewayError(location: Location, error: ErrorObject): GatewayError {
  const params = error.params as { missingProperty?: string; additionalProperty?: string; type?: string; format?: string; allowedValues?: unknown[] };
  const field = params.missingProperty ?? params.additionalProperty;
  const path = field === undefined ? error.instancePath || '/' : `${error.instancePath}/${field}`;
  const what = `${WHERE[location]} ${path}`;
  switch (error.keyword) {
    case 'required':
      return new GatewayError('MISSING_REQUIRED_FIELD', `${what} is required`, path);
    case 'additionalProperties':
      return new GatewayError('UNEXPECTED_FIELD', `${what} is not accepted here`, path);
    case 'enum':
      return new GatewayError(ENUM_CODES.find(([pattern]) => pattern.test(path))?.[1] ?? 'INVALID_VALUE', `${what} must be one of ${(params.allowedValues ?? []).join(', ')}`, path);
    case 'format':
      return new GatewayError(params.format === 'date' || params.format === 'date-time' ? 'INVALID_DATE' : 'INVALID_VALUE', `${what} must be a valid ${params.format}`, path);
    case 'type':
      // A list or an object of the wrong shape is a structural error; a scalar of the wrong type is a bad value.
      return new GatewayError(
        params.type === 'array' || params.type === 'object' ? 'SCHEMA_VIOLATION' : 'INVALID_VALUE',
        location === 'query' ? `${what} must be given once` : `${what} must be ${params.type}`,
        path,
      );
    case 'minItems':
    case 'maxItems':
      return new GatewayError('SCHEMA_VIOLATION', `${what} ${error.message ?? 'has the wrong number of items'}`, path);
    default:
      return new GatewayError('INVALID_VALUE', `${what} ${error.message ?? 'is not valid'}`, path);
  }
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Keys that would reach an object's prototype if any code merged the body, and nesting deeper
 * than our formats ever need; walked iteratively so a hostile depth cannot exhaust the stack.
 */
function rejectHostileKeys(body: object): void {
  const pending: Array<{ value: unknown; pointer: string; depth: number }> = [{ value: body, pointer: '', depth: 1 }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { value, pointer, depth } = item;
    if (value === null || typeof value !== 'object') continue;
    if (depth > DEFAULT_LIMITS.maxDepth) throw new GatewayError('NESTING_TOO_DEEP', `values nest deeper than ${DEFAULT_LIMITS.maxDepth}`, pointer || '/');
    for (const key of Object.keys(value)) {
      const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (FORBIDDEN_KEYS.has(key)) throw new GatewayError('FORBIDDEN_KEY', `key '${key}' is not accepted`, at);
      pending.push({ value: (value as Record<string, unknown>)[key], pointer: at, depth: depth + 1 });
    }
  }
}
