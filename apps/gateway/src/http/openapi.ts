import type { INestApplication, Type } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Public, Roles } from '../auth/roles.guard.js';
import { ERROR_BODY, RESPONSES } from './api-schemas.js';
import { canonicalComponents } from './canonical-components.js';
import { declaredInput } from './input-validation.js';

const ROLES_METADATA = Roles().KEY;
const PUBLIC_METADATA = Public().KEY;
const BEARER = 'bearer';

/** What a handler allows, read from the same metadata RolesGuard enforces. */
export interface HandlerAccess {
  readonly operationId: string;
  readonly controller: string;
  readonly isPublic: boolean;
  readonly roles: readonly string[];
  readonly takesInput: boolean;
  readonly takesBody: boolean;
}

/** Every route handler of the application's controllers, with its access rule. */
export function handlerAccess(app: INestApplication): HandlerAccess[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  return discovery.getControllers().flatMap((wrapper) => {
    const controller = wrapper.metatype as Type | null;
    if (!controller) return [];
    const prototype = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype)
      .filter((name) => name !== 'constructor' && typeof prototype[name] === 'function' && Reflect.getMetadata(METHOD_METADATA, prototype[name] as object) !== undefined)
      .map((name) => {
        const handler = prototype[name] as object;
        const metadata = <T>(key: string) => (Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller)) as T | undefined;
        const input = declaredInput(handler);
        return {
          operationId: `${controller.name}_${name}`,
          controller: controller.name.replace(/Controller$/, ''),
          isPublic: metadata<boolean>(PUBLIC_METADATA) === true,
          roles: metadata<string[]>(ROLES_METADATA) ?? [],
          takesInput: input !== undefined,
          takesBody: input?.body !== undefined,
        };
      });
  });
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

const ERROR_RESPONSES = {
  MalformedJson: errorResponse('The body is not well-formed JSON (MALFORMED_JSON) or not UTF-8 (INVALID_ENCODING, 415).'),
  Unauthenticated: errorResponse('No valid bearer API key (UNAUTHENTICATED).'),
  Forbidden: errorResponse("The key's role may not call this route (FORBIDDEN); the attempt is audited as ACCESS_DENIED."),
  NotFound: errorResponse('No such resource (NOT_FOUND).'),
  TooLarge: errorResponse('The JSON body is larger than 2 MiB (PAYLOAD_TOO_LARGE).'),
  Invalid: errorResponse('A body field, query or path parameter is missing, unexpected or invalid: the reason code says which, `path` points at it.'),
  RateLimited: errorResponse('Over the caller\'s requests-per-second budget (RATE_LIMITED); see the Retry-After header.'),
};

const ERROR_STATUSES: Array<[string, keyof typeof ERROR_RESPONSES, (access: HandlerAccess) => boolean]> = [
  ['400', 'MalformedJson', (a) => a.takesBody],
  ['401', 'Unauthenticated', (a) => !a.isPublic],
  ['403', 'Forbidden', (a) => !a.isPublic],
  ['413', 'TooLarge', (a) => a.takesBody],
  ['422', 'Invalid', (a) => a.takesInput],
  ['429', 'RateLimited', () => true],
];

function rolesText(access: HandlerAccess): string {
  if (access.isPublic) return '**Access:** public, no credentials.';
  if (access.roles.length === 0) return '**Access:** no role may call this route.';
  return `**Roles:** ${access.roles.join(', ')}. Other roles get 403 (audited as ACCESS_DENIED).`;
}

/**
 * The OpenAPI 3.1 document of every route: tags, the bearer scheme, each route's roles (from
 * the @Roles metadata RolesGuard enforces, never retyped), inputs (from @ApiInput, which also
 * validates), responses, and the one error body. Canonical records are the published JSON
 * Schemas themselves.
 */
export function buildApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('MRA data-exchange gateway')
    .setDescription(
      'AEO status exchange under Mutual Recognition Arrangements, recognition on arrival, and the audit log. ' +
        'Every route except /health and /.well-known/jwks.json needs `Authorization: Bearer <API key>` (MRA_API_KEYS); ' +
        'each route lists the roles it allows. Errors are always `{"error":{"code","message","path"}}`. ' +
        'JSON bodies are capped at 2 MiB; every caller has a requests-per-second budget (429 with Retry-After).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key from MRA_API_KEYS (name:role:token); roles operator, auditor, risk-system, security-officer.' }, BEARER)
    .build();
  config.components = {
    ...config.components,
    schemas: { Error: ERROR_BODY, ...canonicalComponents(), AuditEntry: RESPONSES.auditEntry },
    responses: ERROR_RESPONSES,
  };
  const document = SwaggerModule.createDocument(app, config);
  const byOperation = new Map(handlerAccess(app).map((access) => [access.operationId, access]));
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem as Record<string, { operationId?: string } & Record<string, unknown>>)) {
      const access = operation.operationId ? byOperation.get(operation.operationId) : undefined;
      if (!access) continue;
      const tags = (operation.tags as string[] | undefined) ?? [];
      operation.tags = tags.length > 0 ? tags : [access.controller];
      operation.description = [operation.description, rolesText(access)].filter(Boolean).join('\n\n');
      operation['x-mra-roles'] = access.isPublic ? ['public'] : [...access.roles];
      operation.security = access.isPublic ? [] : [{ [BEARER]: [] }];
      const responses = (operation.responses ?? {}) as Record<string, unknown>;
      for (const [status, name, applies] of ERROR_STATUSES) {
        if (applies(access) && !responses[status]) responses[status] = { $ref: `#/components/responses/${name}` };
      }
      operation.responses = responses;
    }
  }
  return document;
}
