import { describe, expect, it } from '@jest/globals';
import type { SupplyChainRole } from '@aeo/domain';
import { validateRecognitionRequest, type RecognitionRequest } from './recognition-request.js';

const request = (overrides: Partial<Record<keyof RecognitionRequest, unknown>> = {}) =>
  ({
    declaredAeoId: 'CN4403960001',
    declarationReference: 'KZ-DECL-0001',
    environment: 'production',
    ...overrides,
  }) as RecognitionRequest;

describe('recognition request', () => {
  it('accepts an arrival time with Z or an offset, and leaves it out when not given', () => {
    expect(validateRecognitionRequest(request({ arrivalTime: '2024-06-10T08:30:00Z' })).arrivalMillis).toBe(
      Date.parse('2024-06-10T08:30:00Z'),
    );
    expect(
      validateRecognitionRequest(request({ arrivalTime: '2024-06-10T13:30:00.250+05:00' })).arrivalMillis,
    ).toBe(Date.parse('2024-06-10T08:30:00.250Z'));
    expect(validateRecognitionRequest(request()).arrivalMillis).toBeUndefined();
  });

  it.each([
    [{ arrivalTime: '2024-02-30T08:00:00Z' }, 'INVALID_DATE', '/arrivalTime'],
    [{ arrivalTime: '2024-06-10' }, 'INVALID_DATE', '/arrivalTime'],
    [{ arrivalTime: 'yesterday' }, 'INVALID_DATE', '/arrivalTime'],
    [{ environment: 'staging' }, 'INVALID_VALUE', '/environment'],
    [{ role: 'PIRATE' as SupplyChainRole }, 'UNKNOWN_ROLE_CODE', '/role'],
    [{ declarationReference: '' }, 'MISSING_REQUIRED_FIELD', '/declarationReference'],
    [{ declarationReference: 'a\nb' }, 'INVALID_VALUE', '/declarationReference'],
    [{ declaredAeoId: 42 }, 'MISSING_REQUIRED_FIELD', '/declaredAeoId'],
  ])('refuses %j', (overrides, code, path) => {
    expect(() => validateRecognitionRequest(request(overrides))).toThrow(
      expect.objectContaining({ code, path }),
    );
  });
});
