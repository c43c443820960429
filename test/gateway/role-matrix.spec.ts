/**
 * The role matrix: every route of the running gateway × {no key, a wrong key, each role},
 * against the expected table in route-roles.ts. Without a valid key: 401. With a key whose
 * role the route does not allow: 403, and an ACCESS_DENIED audit entry naming the caller and
 * the route. Allowed: neither 401 nor 403 (nor a crash). The routes are discovered from the
 * Express router of the running app, so a route nobody put in the table fails this test.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { searchAudit, type AuditEntry } from '@aeo/audit';
import { DATABASES } from '../support/databases.js';
import { ROUTE_RULES, type RouteRule } from './route-roles.js';
import { ROLE_NAMES, UNLIMITED, call, discoverRoutes, startTestGateway, token, type RoleName, type TestGateway } from './support/in-process-gateway.js';

jest.setTimeout(120_000);

type Caller = 'no key' | 'bad key' | RoleName;
const CALLERS: readonly Caller[] = ['no key', 'bad key', ...ROLE_NAMES];

type Expected = 'unauthenticated' | 'forbidden' | 'allowed';

function expectedFor(rule: RouteRule, caller: Caller): Expected {
  if (rule.access === 'public') return 'allowed';
  if (caller === 'no key' || caller === 'bad key') return 'unauthenticated';
  if (rule.access === 'any-key') return 'allowed';
  return rule.access.includes(caller) ? 'allowed' : 'forbidden';
}

const routeKey = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

async function allAccessDenied(gateway: TestGateway): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let cursor: number | undefined;
  do {
    const page = await searchAudit(gateway.dataSource, { type: 'ACCESS_DENIED', order: 'asc', limit: 500, ...(cursor === undefined ? {} : { cursor }) });
    entries.push(...page.entries);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return entries;
}

describe.each(DATABASES)('role matrix on %s', (_kind, createDatabase) => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway('roles', { env: UNLIMITED, createDatabase });
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
  }, 60_000);

  it('the table lists exactly the routes the app serves', () => {
    const served = new Set(discoverRoutes(gateway.gateway).map(routeKey));
    const listed = new Set(ROUTE_RULES.map(routeKey));
    expect({ missingFromTable: [...served].filter((r) => !listed.has(r)).sort(), notServed: [...listed].filter((r) => !served.has(r)).sort() }).toEqual({
      missingFromTable: [],
      notServed: [],
    });
    expect(listed.size).toBe(ROUTE_RULES.length);
  });

  it('answers 401 without a valid key, 403 (audited) for a wrong role, and serves the allowed roles', async () => {
    const tokens: Record<Caller, string | undefined> = { 'no key': undefined, 'bad key': token('not-a-key'), ...gateway.tokens };
    const outcomes: string[] = [];
    const mismatches: string[] = [];
    const forbidden: Array<{ actor: RoleName; method: string; path: string }> = [];
    for (const rule of ROUTE_RULES) {
      const path = rule.sample.path ?? rule.path;
      for (const caller of CALLERS) {
        const answer = await call(rule.method, `${gateway.url}${path}`, { body: rule.sample.body, token: tokens[caller] });
        const expected = expectedFor(rule, caller);
        const got = answer.status === 401 ? 'unauthenticated' : answer.status === 403 ? 'forbidden' : answer.status >= 500 ? `failed ${answer.status}` : 'allowed';
        outcomes.push(`${rule.method} ${path} as ${caller}: ${answer.status}`);
        if (got !== expected) mismatches.push(`${rule.method} ${path} as ${caller}: expected ${expected}, got ${answer.status} ${answer.text.slice(0, 200)}`);
        if (expected === 'unauthenticated' && got === expected) expect(answer.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
        if (expected === 'forbidden' && got === expected) {
          expect(answer.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
          forbidden.push({ actor: caller as RoleName, method: rule.method, path: new URL(`${gateway.url}${path}`).pathname });
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(outcomes.length).toBe(ROUTE_RULES.length * CALLERS.length);
    expect(forbidden.length).toBeGreaterThan(0);

    const denied = await allAccessDenied(gateway);
    const unaudited = forbidden.filter(
      (refusal) =>
        !denied.some(
          (entry) =>
            entry.actor === refusal.actor &&
            entry.outcome === 'FORBIDDEN' &&
            (entry.details as { method?: string }).method === refusal.method &&
            decodeURIComponent(String((entry.details as { path?: string }).path)) === decodeURIComponent(refusal.path),
        ),
    );
    expect(unaudited).toEqual([]);
  });
});
