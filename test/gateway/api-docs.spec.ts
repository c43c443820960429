/**
 * The API documentation: /docs (Swagger UI) and /docs-json (OpenAPI 3.1) open only with an
 * API key, as a bearer token or as the password of HTTP Basic (so a browser shows its own
 * log-in prompt). The document is valid OpenAPI (checked by the independent Python
 * openapi-spec-validator), lists every route the app serves with its tags, inputs, error
 * responses and the roles from the same metadata RolesGuard enforces, and carries the
 * canonical AEO record schema unchanged.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '@aeo/config';
import { ROUTE_RULES } from './route-roles.js';
import { UNLIMITED, call, discoverRoutes, startTestGateway, token, type TestGateway } from './support/in-process-gateway.js';

jest.setTimeout(120_000);

type Operation = {
  operationId: string;
  tags?: string[];
  description?: string;
  security?: Array<Record<string, string[]>>;
  responses: Record<string, unknown>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  'x-mra-roles'?: string[];
};
type OpenApi = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { required?: string[] } & Record<string, unknown>>; securitySchemes: Record<string, unknown> };
};

const basic = (password: string) => `Basic ${Buffer.from(`reader:${password}`).toString('base64')}`;
const isDocsRoute = (path: string) => path === '/docs' || path.startsWith('/docs/') || path === '/docs-json';
const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('API documentation', () => {
  let gateway: TestGateway;
  let document: OpenApi;

  beforeAll(async () => {
    gateway = await startTestGateway('apidocs', { env: UNLIMITED });
    const answer = await call<OpenApi>('GET', `${gateway.url}/docs-json`, { token: gateway.tokens['security-officer'] });
    expect(answer.status).toBe(200);
    document = answer.body;
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
  }, 60_000);

  it('needs an API key: without one the browser is asked for Basic credentials', async () => {
    // Express matches routes without regard to case and with a trailing slash: so must the check.
    for (const path of ['/docs', '/docs/', '/docs-json', '/docs/swagger-ui-init.js', '/docs-json/', '/DOCS-JSON', '/Docs/swagger-ui-init.js', '/DOCS']) {
      const refused = await call('GET', `${gateway.url}${path}`);
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
      expect(refused.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    }
    expect((await call('GET', `${gateway.url}/docs-json`, { token: token('guess') })).status).toBe(401);
    expect((await call('GET', `${gateway.url}/docs-json`, { headers: { authorization: basic(token('guess')) } })).status).toBe(401);
    expect((await call('GET', `${gateway.url}/docs-json`, { headers: { authorization: 'Basic !!!' } })).status).toBe(401);
  });

  it('opens with a key of any role, as a bearer token or as the Basic password', async () => {
    const page = await call('GET', `${gateway.url}/docs`, { headers: { authorization: basic(gateway.tokens.auditor) } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui');
    const init = await call('GET', `${gateway.url}/docs/swagger-ui-init.js`, { headers: { authorization: basic(gateway.tokens['risk-system']) } });
    expect(init.status).toBe(200);
    expect(init.text).toMatch(/"openapi": "3\.1\.0"/);
    expect((await call('GET', `${gateway.url}/docs-json`, { token: gateway.tokens.operator })).status).toBe(200);
  });

  it('is a valid OpenAPI 3.1 document', () => {
    expect(document.openapi).toBe('3.1.0');
    const file = join(mkdtempSync(join(tmpdir(), 'mra-openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const check = spawnSync('python3', ['-m', 'openapi_spec_validator', '--schema', '3.1', file], { encoding: 'utf8' });
    expect({ status: check.status, output: `${check.stdout}${check.stderr}`.trim() }).toEqual({ status: 0, output: `${file}: OK` });
  });

  it('lists every route the app serves, and nothing else', () => {
    const served = discoverRoutes(gateway.gateway)
      .filter((route) => !isDocsRoute(route.path))
      .map((route) => `${route.method} ${toOpenApiPath(route.path)}`)
      .sort();
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(served);
  });

  it('tags every route and gives each its roles, security scheme and error responses', () => {
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect({ where, tagged: (operation.tags ?? []).length > 0 }).toEqual({ where, tagged: true });
        const roles = operation['x-mra-roles'] ?? [];
        expect({ where, roles: roles.length > 0 }).toEqual({ where, roles: true });
        const isPublic = roles.includes('public');
        expect({ where, security: operation.security }).toEqual({ where, security: isPublic ? [] : [{ bearer: [] }] });
        expect(operation.description).toContain(isPublic ? 'public' : `**Roles:** ${roles.join(', ')}`);
        const required = isPublic ? ['429'] : ['401', '403', '429'];
        expect({ where, missing: required.filter((status) => !operation.responses[status]) }).toEqual({ where, missing: [] });
      }
    }
  });

  it('documents the roles RolesGuard enforces, as the route table expects them', () => {
    for (const rule of ROUTE_RULES.filter((r) => !isDocsRoute(r.path))) {
      const operation = document.paths[toOpenApiPath(rule.path)]?.[rule.method.toLowerCase()];
      const expected = rule.access === 'public' ? ['public'] : [...rule.access];
      expect({ route: `${rule.method} ${rule.path}`, roles: [...(operation?.['x-mra-roles'] ?? [])].sort() }).toEqual({ route: `${rule.method} ${rule.path}`, roles: [...expected].sort() });
    }
  });

  it('documents inputs with the validated schemas and the one error body', () => {
    const recognitions = document.paths['/v1/recognitions'].post;
    expect(recognitions.requestBody?.content['application/json'].schema).toMatchObject({ additionalProperties: false, required: ['declaredAeoId', 'declarationReference'] });
    expect(recognitions.responses['422']).toEqual({ $ref: '#/components/responses/Invalid' });
    expect(recognitions.responses['400']).toEqual({ $ref: '#/components/responses/MalformedJson' });
    expect(recognitions.responses['413']).toEqual({ $ref: '#/components/responses/TooLarge' });
    const outboxParameters = (document.paths['/v1/outbox'].get as unknown as { parameters: Array<{ name: string; in: string }> }).parameters;
    expect(outboxParameters.map((p) => `${p.in}:${p.name}`).sort()).toEqual(['query:limit', 'query:partner', 'query:state']);
    expect(document.components.schemas.Error).toMatchObject({ required: ['error'], properties: { error: { required: ['code', 'message'], properties: { code: {}, message: {}, path: {} } } } });
  });

  it('uses the canonical AEO record schema itself, so documentation and validation cannot drift', () => {
    const { $schema: _dialect, $id: _id, ...canonical } = JSON.parse(readFileSync(repoPath('schemas', 'v1', 'canonical', 'aeo-record.schema.json'), 'utf8')) as Record<string, unknown>;
    expect(document.components.schemas.AeoRecord).toEqual(canonical);
    const change = document.components.schemas.AeoRecordChange;
    expect(change.required).toEqual((canonical.required as string[]).filter((field) => field !== 'recordVersion' && field !== 'lastChangedAt'));
    expect(document.paths['/v1/register/records'].post.requestBody?.content['application/json'].schema).toMatchObject({
      properties: { records: { items: { $ref: '#/components/schemas/AeoRecordChange' } } },
    });
  });
});
