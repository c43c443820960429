/**
 * Request validation before the handler: bodies, query and path parameters are checked
 * against the route's schema (the one /docs shows) and refused with a specific reason code
 * and a JSON pointer to the field: 422 for an invalid value, 400 for malformed JSON, 413 over
 * 2 MiB, 415 for a non-UTF-8 charset. A rejection is audited and changes no register; a
 * caller without the right to call the route learns nothing about its shape (401/403 first).
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { searchAudit } from '@aeo/audit';
import { homeRecord } from '../support/builders.js';
import { UNLIMITED, call, startTestGateway, type RoleName, type TestGateway } from './support/in-process-gateway.js';

jest.setTimeout(120_000);

const { recordVersion: _v, lastChangedAt: _t, ...change } = homeRecord({}, 7301);
const recognition = { declaredAeoId: 'AEOCN4403960001', declarationReference: 'VALIDATION-1' };
const nested = (depth: number): unknown => (depth === 0 ? 'x' : [nested(depth - 1)]);

interface Case {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly as: RoleName;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
  readonly status: number;
  readonly code: string;
  readonly at: string;
}

const CASES: Case[] = [
  { name: 'malformed JSON', method: 'POST', path: '/v1/recognitions', as: 'risk-system', rawBody: '{"declaredAeoId": ', status: 400, code: 'MALFORMED_JSON', at: '/' },
  { name: 'a JSON string instead of an object', method: 'POST', path: '/v1/recognitions', as: 'risk-system', rawBody: '"AEOCN4403960001"', status: 422, code: 'SCHEMA_VIOLATION', at: '/' },
  { name: 'a JSON array instead of an object', method: 'POST', path: '/v1/recognitions', as: 'risk-system', body: [recognition], status: 422, code: 'SCHEMA_VIOLATION', at: '/' },
  { name: 'no JSON body at all', method: 'POST', path: '/v1/recognitions', as: 'risk-system', rawBody: 'declaredAeoId=1', headers: { 'content-type': 'text/plain' }, status: 422, code: 'MISSING_REQUIRED_FIELD', at: '/' },
  { name: 'a misspelt field', method: 'POST', path: '/v1/recognitions', as: 'risk-system', body: { ...recognition, arrivaltime: '2026-01-01T00:00:00Z' }, status: 422, code: 'UNEXPECTED_FIELD', at: '/arrivaltime' },
  { name: 'a missing field', method: 'POST', path: '/v1/recognitions', as: 'risk-system', body: { declaredAeoId: 'AEOCN4403960001' }, status: 422, code: 'MISSING_REQUIRED_FIELD', at: '/declarationReference' },
  { name: 'a number where text belongs', method: 'POST', path: '/v1/recognitions', as: 'risk-system', body: { ...recognition, declarationReference: 42 }, status: 422, code: 'INVALID_VALUE', at: '/declarationReference' },
  { name: 'an unknown supply-chain role', method: 'POST', path: '/v1/recognitions', as: 'risk-system', body: { ...recognition, role: 'SMUGGLER' }, status: 422, code: 'UNKNOWN_ROLE_CODE', at: '/role' },
  { name: 'an impossible arrival date', method: 'POST', path: '/v1/recognitions', as: 'risk-system', body: { ...recognition, arrivalTime: '2025-02-30T08:00:00Z' }, status: 422, code: 'INVALID_DATE', at: '/arrivalTime' },
  { name: 'a prototype-polluting key', method: 'POST', path: '/v1/recognitions', as: 'risk-system', rawBody: '{"declaredAeoId":"x","declarationReference":"y","__proto__":{"admin":true}}', status: 422, code: 'FORBIDDEN_KEY', at: '/__proto__' },
  { name: 'hostile nesting', method: 'POST', path: '/v1/recognitions', as: 'risk-system', body: { ...recognition, extra: nested(100) }, status: 422, code: 'NESTING_TOO_DEEP', at: '/extra/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0' },
  { name: 'a body in another charset', method: 'POST', path: '/v1/recognitions', as: 'risk-system', rawBody: JSON.stringify(recognition), headers: { 'content-type': 'application/json; charset=latin1' }, status: 415, code: 'INVALID_ENCODING', at: '/' },
  { name: 'no records', method: 'POST', path: '/v1/register/records', as: 'operator', body: { records: [] }, status: 422, code: 'SCHEMA_VIOLATION', at: '/records' },
  { name: 'records that are not a list', method: 'POST', path: '/v1/register/records', as: 'operator', body: { records: change }, status: 422, code: 'SCHEMA_VIOLATION', at: '/records' },
  { name: 'a record without its id', method: 'POST', path: '/v1/register/records', as: 'operator', body: { records: [{ ...change, aeoId: undefined }] }, status: 422, code: 'MISSING_REQUIRED_FIELD', at: '/records/0/aeoId' },
  { name: 'a record with an unknown status', method: 'POST', path: '/v1/register/records', as: 'operator', body: { records: [{ ...change, status: 'ASLEEP' }] }, status: 422, code: 'UNKNOWN_STATUS_CODE', at: '/records/0/status' },
  { name: 'a record with an unknown field', method: 'POST', path: '/v1/register/records', as: 'operator', body: { records: [{ ...change, isAdmin: true }] }, status: 422, code: 'UNEXPECTED_FIELD', at: '/records/0/isAdmin' },
  { name: 'an unknown environment', method: 'POST', path: '/v1/register/records', as: 'operator', body: { records: [change], environment: 'staging' }, status: 422, code: 'INVALID_VALUE', at: '/environment' },
  { name: 'a status change to no status', method: 'POST', path: '/v1/register/records/KZ-1/status', as: 'operator', body: { status: 'ASLEEP', effectiveFrom: '2026-01-01' }, status: 422, code: 'UNKNOWN_STATUS_CODE', at: '/status' },
  { name: 'a status change on no real day', method: 'POST', path: '/v1/register/records/KZ-1/status', as: 'operator', body: { status: 'SUSPENDED', effectiveFrom: '2026-02-29' }, status: 422, code: 'INVALID_DATE', at: '/effectiveFrom' },
  { name: 'a reason that is not text', method: 'POST', path: '/v1/register/records/KZ-1/status', as: 'operator', body: { status: 'SUSPENDED', effectiveFrom: '2026-01-01', reason: 7 }, status: 422, code: 'INVALID_VALUE', at: '/reason' },
  { name: 'a snapshot for nobody', method: 'POST', path: '/v1/snapshots', as: 'operator', body: {}, status: 422, code: 'MISSING_REQUIRED_FIELD', at: '/partner' },
  { name: 'a body where none is taken', method: 'POST', path: '/v1/dlq/00000000-0000-4000-8000-000000000000/replay', as: 'operator', body: { force: true }, status: 422, code: 'UNEXPECTED_FIELD', at: '/force' },
  { name: 'an unknown outbound state', method: 'GET', path: '/v1/outbox?state=LOST', as: 'operator', status: 422, code: 'INVALID_VALUE', at: '/state' },
  { name: 'an unknown query parameter', method: 'GET', path: '/v1/audit?actor=ops', as: 'auditor', status: 422, code: 'UNEXPECTED_FIELD', at: '/actor' },
  { name: 'a query parameter given twice', method: 'GET', path: '/v1/dlq?limit=1&limit=2', as: 'operator', status: 422, code: 'INVALID_VALUE', at: '/limit' },
  { name: 'a page size that is not a number', method: 'GET', path: '/v1/outbox?limit=all', as: 'auditor', status: 422, code: 'INVALID_VALUE', at: '/limit' },
  { name: 'an audit sequence number that is not one', method: 'GET', path: '/v1/audit/1e3', as: 'auditor', status: 422, code: 'INVALID_VALUE', at: '/seq' },
  { name: 'a message id with control characters', method: 'POST', path: '/v1/outbox/abc%0Adef/resend', as: 'operator', status: 422, code: 'INVALID_VALUE', at: '/messageId' },
  { name: 'query parameters on a route that takes none', method: 'GET', path: '/v1/audit/1?debug=1', as: 'auditor', status: 422, code: 'UNEXPECTED_FIELD', at: '/debug' },
];

describe('request validation', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway('validation', { env: UNLIMITED });
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
  }, 60_000);

  it.each(CASES.map((c) => [c.name, c] as const))('refuses %s', async (_name, c) => {
    const answer = await call(c.method, `${gateway.url}${c.path}`, { body: c.body, rawBody: c.rawBody, token: gateway.tokens[c.as], headers: c.headers });
    expect({ status: answer.status, body: answer.body }).toEqual({ status: c.status, body: { error: { code: c.code, message: expect.any(String), path: c.at } } });
  });

  it('accepts a valid record and keeps answering recognitions (existing behaviour)', async () => {
    const created = await call<{ records: { aeoIdNormalized: string; recordVersion: number }[] }>('POST', `${gateway.url}/v1/register/records`, { body: { records: [change] }, token: gateway.tokens.operator });
    expect(created.status).toBe(201);
    expect(created.body.records[0]).toMatchObject({ aeoIdNormalized: change.aeoIdNormalized, recordVersion: 1 });
    const decision = await call<{ reasonCode: string }>('POST', `${gateway.url}/v1/recognitions`, { body: { declaredAeoId: 'CN12345', declarationReference: 'V-2', role: 'EXPORTER' }, token: gateway.tokens['risk-system'] });
    expect(decision.status).toBe(200);
    expect(decision.body.reasonCode).toBe('INVALID_IDENTIFIER');
  });

  it('leaves the register unchanged and audits the rejection (who, which route, which field)', async () => {
    const { recordVersion: _v2, lastChangedAt: _t2, ...other } = homeRecord({}, 7302);
    const refused = await call('POST', `${gateway.url}/v1/register/records`, { body: { records: [other, { ...change, status: 'ASLEEP' }] }, token: gateway.tokens.operator });
    expect(refused.status).toBe(422);
    expect((await call('GET', `${gateway.url}/v1/register/records/${encodeURIComponent(other.aeoIdNormalized)}`, { token: gateway.tokens.operator })).status).toBe(404);
    const audit = await searchAudit(gateway.dataSource, { type: 'REQUEST_REJECTED', outcome: 'UNKNOWN_STATUS_CODE', limit: 500 });
    expect(audit.entries).toEqual(
      expect.arrayContaining([expect.objectContaining({ actor: 'operator', details: { method: 'POST', path: '/v1/register/records', field: '/records/1/status' } })]),
    );
  });

  it('checks the caller before the input: 401 without a key and 403 for a wrong role, whatever the body', async () => {
    const hostile = { records: 'nope', __proto__: null };
    expect((await call('POST', `${gateway.url}/v1/register/records`, { body: hostile })).status).toBe(401);
    expect((await call('POST', `${gateway.url}/v1/register/records`, { body: hostile, token: gateway.tokens.auditor })).status).toBe(403);
  });

  it('refuses a JSON body over 2 MiB with 413 and the error body', async () => {
    const oversize = JSON.stringify({ ...recognition, padding: 'x'.repeat(2 * 1024 * 1024) });
    const answer = await call('POST', `${gateway.url}/v1/recognitions`, { rawBody: oversize, token: gateway.tokens['risk-system'] });
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String), path: '/' } } });
  });
});
