/**
 * Who may call what: the expected access of EVERY route of the gateway, written out by hand
 * so that a change to a route's @Roles (or a new route) has to be made here too, on purpose.
 * test/gateway/role-matrix.spec.ts discovers the routes of the running app and fails when a
 * route is missing here or a row names a route that does not exist.
 *
 * access: the roles whose key is accepted; 'public' needs no key; 'any-key' needs a valid key
 * of any role (the API documentation, which also takes HTTP Basic).
 */
import type { RoleName } from './support/in-process-gateway.js';
import { homeRecord } from '../support/builders.js';

export type Access = 'public' | 'any-key' | readonly RoleName[];

export interface SampleRequest {
  /** The concrete path to call (path parameters filled in, query included); defaults to the template. */
  readonly path?: string;
  readonly body?: unknown;
}

export interface RouteRule {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express path template, as the router holds it: /v1/audit/:seq */
  readonly path: string;
  readonly access: Access;
  readonly sample: SampleRequest;
}

const { recordVersion: _version, lastChangedAt: _changed, ...homeChange } = homeRecord({}, 4242);

export const ROUTE_RULES: readonly RouteRule[] = [
  // Health and keys: public.
  { method: 'GET', path: '/health', access: 'public', sample: {} },
  { method: 'GET', path: '/.well-known/jwks.json', access: 'public', sample: {} },
  { method: 'GET', path: '/health/ready', access: 'public', sample: {} },

  // Who am I (the console's log-in), partners and inbound flow.
  { method: 'GET', path: '/v1/me', access: ['operator', 'auditor', 'risk-system', 'security-officer'], sample: {} },
  { method: 'GET', path: '/v1/partners', access: ['operator', 'auditor'], sample: {} },
  { method: 'GET', path: '/v1/partners/:partner', access: ['operator', 'auditor'], sample: { path: '/v1/partners/cn' } },
  { method: 'GET', path: '/v1/inbound', access: ['operator', 'auditor'], sample: {} },
  { method: 'GET', path: '/v1/audit-chain/status', access: ['auditor'], sample: {} },
  { method: 'GET', path: '/v1/testrun-reports', access: ['operator', 'auditor'], sample: {} },
  { method: 'GET', path: '/v1/testrun-reports/:name', access: ['operator', 'auditor'], sample: { path: '/v1/testrun-reports/none.json' } },

  // Keys in use, and reload without a restart.
  { method: 'GET', path: '/v1/keys', access: ['security-officer', 'auditor'], sample: {} },
  { method: 'POST', path: '/v1/keys/reload', access: ['security-officer'], sample: {} },

  // The web console's static files: public, they hold no data.
  { method: 'GET', path: '/console', access: 'public', sample: {} },
  { method: 'GET', path: '/console/:file', access: 'public', sample: { path: '/console/api.js' } },

  // Home register.
  { method: 'POST', path: '/v1/register/records', access: ['operator'], sample: { body: { records: [homeChange] } } },
  { method: 'GET', path: '/v1/register/records/:aeoId', access: ['operator', 'auditor', 'risk-system'], sample: { path: `/v1/register/records/${encodeURIComponent('KZ/9999/ТИП 3')}` } },
  {
    method: 'POST',
    path: '/v1/register/records/:aeoId/status',
    access: ['operator'],
    sample: { path: `/v1/register/records/${encodeURIComponent('KZ/9999/ТИП 3')}/status`, body: { status: 'SUSPENDED', effectiveFrom: '2026-01-01' } },
  },
  { method: 'POST', path: '/v1/snapshots', access: ['operator'], sample: { body: { partner: 'cn' } } },

  // Recognition on arrival.
  { method: 'POST', path: '/v1/recognitions', access: ['risk-system', 'operator'], sample: { body: { declaredAeoId: 'AEOCN4403960001', declarationReference: 'ROLE-MATRIX-1' } } },

  // Outbox and dead letters.
  { method: 'GET', path: '/v1/outbox', access: ['operator', 'auditor'], sample: { path: '/v1/outbox?limit=5' } },
  { method: 'POST', path: '/v1/outbox/:messageId/resend', access: ['operator'], sample: { path: '/v1/outbox/00000000-0000-4000-8000-000000000000/resend' } },
  { method: 'GET', path: '/v1/dlq', access: ['operator', 'auditor'], sample: { path: '/v1/dlq?limit=5' } },
  { method: 'POST', path: '/v1/dlq/:messageId/replay', access: ['operator'], sample: { path: '/v1/dlq/00000000-0000-4000-8000-000000000000/replay' } },

  // Audit and metrics.
  { method: 'GET', path: '/v1/audit', access: ['auditor'], sample: { path: '/v1/audit?type=ACCESS_DENIED&limit=1' } },
  { method: 'GET', path: '/v1/audit/:seq', access: ['auditor'], sample: { path: '/v1/audit/1' } },
  { method: 'GET', path: '/metrics', access: ['operator', 'auditor'], sample: {} },

  // The API documentation (Swagger UI and its assets' entry points, the OpenAPI document).
  { method: 'GET', path: '/docs', access: 'any-key', sample: {} },
  { method: 'GET', path: '/docs/', access: 'any-key', sample: {} },
  { method: 'GET', path: '/docs/index.html', access: 'any-key', sample: {} },
  { method: 'GET', path: '/docs/LICENSE', access: 'any-key', sample: {} },
  { method: 'GET', path: '/docs/swagger-ui-init.js', access: 'any-key', sample: {} },
  { method: 'GET', path: '/docs/docs/swagger-ui-init.js', access: 'any-key', sample: {} },
  { method: 'GET', path: '/docs-json', access: 'any-key', sample: {} },
];
