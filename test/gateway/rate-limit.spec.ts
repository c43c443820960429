/**
 * Rate limits: per API key (by name) at its role's rate, per client IP for callers without a
 * valid key (API and /docs alike), a separate per-IP budget for public routes. A refusal is
 * 429 with Retry-After and the API's error body. Limits here are tiny so that a burst of
 * concurrent requests is sure to exceed them within one one-second window.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { call, startTestGateway, token, type Answer, type TestGateway } from './support/in-process-gateway.js';

jest.setTimeout(120_000);

const LIMIT = 3;
const BURST = 25;

function burst(send: (i: number) => Promise<Answer>): Promise<Answer[]> {
  return Promise.all(Array.from({ length: BURST }, (_, i) => send(i)));
}

function expectRefusals(answers: Answer[]): void {
  const refused = answers.filter((a) => a.status === 429);
  expect(refused.length).toBeGreaterThan(0);
  for (const answer of refused) {
    expect(answer.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  }
}

describe('rate limits', () => {
  let gateway: TestGateway;
  const secondOperator = token('op2');

  beforeAll(async () => {
    gateway = await startTestGateway('ratelimit', {
      env: {
        MRA_RATE_LIMIT_OPERATOR: String(LIMIT),
        MRA_RATE_LIMIT_AUDITOR: String(LIMIT),
        MRA_RATE_LIMIT_UNAUTHENTICATED: String(LIMIT),
        MRA_RATE_LIMIT_PUBLIC: String(LIMIT),
        // The risk system keeps a large budget: its burst must all pass.
        MRA_RATE_LIMIT_RISK_SYSTEM: String(BURST * 4),
      },
      extraKeys: [`second-operator:operator:${secondOperator}`],
    });
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
  }, 60_000);

  it("refuses an API key over its role's budget with 429, RATE_LIMITED and Retry-After, without touching another key's budget", async () => {
    expectRefusals(await burst(() => call('GET', `${gateway.url}/v1/outbox?limit=1`, { token: gateway.tokens.operator })));
    // Same role, another key: its own budget.
    expect((await call('GET', `${gateway.url}/v1/outbox?limit=1`, { token: secondOperator })).status).toBe(200);
  });

  it("applies each role's own limit", async () => {
    const answers = await burst(() => call('GET', `${gateway.url}/v1/register/records/KZ-NONE`, { token: gateway.tokens['risk-system'] }));
    expect(answers.map((a) => a.status)).toEqual(Array(BURST).fill(404));
  });

  it('counts callers without a valid key per IP, across routes and /docs, apart from valid keys from that IP', async () => {
    const bad = token('guess');
    const routes = ['/v1/outbox', '/v1/audit', '/metrics', '/docs-json', '/v1/dlq'];
    const answers = await burst((i) => call('GET', `${gateway.url}${routes[i % routes.length]}`, { token: bad }));
    expectRefusals(answers);
    expect(answers.filter((a) => a.status !== 429).every((a) => a.status === 401)).toBe(true);
    expect((await call('GET', `${gateway.url}/v1/audit?limit=1`, { token: gateway.tokens.auditor })).status).toBe(200);
  });

  it('gives /health and the JWKS their own per-IP budget', async () => {
    expectRefusals(await burst(() => call('GET', `${gateway.url}/.well-known/jwks.json`)));
  });
});
