import { describe, expect, it } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import { GatewayError } from '@aeo/domain';
import { GatewayErrorFilter } from './gateway-error.filter.js';

/** What the filter answered: status, headers and body. */
function answer(exception: unknown): { status: number; headers: Record<string, string>; body: unknown } {
  const seen = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const response = {
    status(code: number) {
      seen.status = code;
      return response;
    },
    setHeader(name: string, value: string) {
      seen.headers[name] = value;
    },
    json(body: unknown) {
      seen.body = body;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new GatewayErrorFilter().catch(exception, host);
  return seen;
}

describe('GatewayErrorFilter', () => {
  it('answers a domain rejection 422 with its reason code and path', () => {
    expect(answer(new GatewayError('INVALID_DATE', 'effectiveFrom must be YYYY-MM-DD', '/effectiveFrom'))).toMatchObject({
      status: 422,
      body: { error: { code: 'INVALID_DATE', path: '/effectiveFrom' } },
    });
  });

  it('answers a transient failure 503 with Retry-After', () => {
    expect(answer(new GatewayError('TRANSIENT_FAILURE', 'changed 3 times in a row; try again'))).toMatchObject({
      status: 503,
      headers: { 'Retry-After': '1' },
      body: { error: { code: 'TRANSIENT_FAILURE' } },
    });
  });

  it.each([
    ['a killed PostgreSQL backend', Object.assign(new Error('terminating connection due to administrator command'), { driverError: { code: '57P01' } })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a deadlock the database resolved by rolling back', Object.assign(new Error('deadlock detected'), { code: '40P01' })],
  ])('answers %s 503 TRANSIENT_FAILURE, saying nothing about internals', (_what, error) => {
    const seen = answer(error);
    expect(seen).toMatchObject({ status: 503, headers: { 'Retry-After': '1' }, body: { error: { code: 'TRANSIENT_FAILURE' } } });
    expect(JSON.stringify(seen.body)).not.toMatch(/administrator|terminated|deadlock/);
  });

  it('answers anything else 500 INTERNAL_ERROR without internals', () => {
    const seen = answer(new TypeError("Cannot read properties of undefined (reading 'secretThing')"));
    expect(seen).toMatchObject({ status: 500, body: { error: { code: 'INTERNAL_ERROR' } } });
    expect(JSON.stringify(seen.body)).not.toContain('secretThing');
  });
});
