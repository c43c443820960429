import { describe, expect, it } from '@jest/globals';
import { errors } from 'jose';
import { GatewayError } from '@aeo/domain';
import { fromJoseError, reasonCodeOfJoseError, type JoseStage } from './jose-errors.js';

describe('jose errors → reason codes (the one mapping)', () => {
  it.each<[JoseStage, Error, string]>([
    ['jws', new errors.JWSSignatureVerificationFailed(), 'SIGNATURE_INVALID'],
    ['jws', new errors.JWSInvalid('Invalid Compact JWS'), 'JWS_MALFORMED'],
    [
      'jws',
      new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed'),
      'ALG_NOT_ALLOWED',
    ],
    ['jws', new errors.JOSENotSupported('Unsupported "alg" value'), 'ALG_NOT_ALLOWED'],
    [
      'jws',
      new errors.JOSENotSupported('Extension Header Parameter "x" is not recognized'),
      'CRIT_UNSUPPORTED',
    ],
    ['jws', new TypeError('CryptoKey does not support this operation'), 'KEY_ALG_MISMATCH'],
    ['jwe', new errors.JWEDecryptionFailed(), 'JWE_DECRYPTION_FAILED'],
    ['jwe', new errors.JWEInvalid('JWE Protected Header is invalid'), 'JWE_MALFORMED'],
    ['jwe', new errors.JOSEAlgNotAllowed('"alg" not allowed'), 'JWE_ALG_NOT_ALLOWED'],
    [
      'jwe',
      new errors.JOSENotSupported('Extension Header Parameter "exp" is not recognized'),
      'CRIT_UNSUPPORTED',
    ],
    ['jwe', new TypeError('Invalid key'), 'JWE_MALFORMED'],
    ['key', new errors.JWKInvalid('bad'), 'PARTNER_KEYS_INVALID'],
    ['key', new errors.JOSENotSupported('Unsupported "kty"'), 'PARTNER_KEYS_INVALID'],
    ['key', new TypeError('Invalid keyData'), 'PARTNER_KEYS_INVALID'],
    ['key', new DOMException('Invalid keyData', 'DataError'), 'PARTNER_KEYS_INVALID'],
    ['jwe', new DOMException('Invalid key', 'DataError'), 'JWE_MALFORMED'],
  ])('%s: %p → %s', (stage, error, code) => {
    expect(reasonCodeOfJoseError(error, stage)).toBe(code);
    const mapped = fromJoseError(error, stage, '/signature');
    expect(mapped).toBeInstanceOf(GatewayError);
    expect(mapped).toMatchObject({ code, path: '/signature' });
    expect(mapped.cause).toBe(error);
  });

  it('passes a GatewayError through unchanged', () => {
    const error = new GatewayError('KEY_UNKNOWN', 'x');
    expect(fromJoseError(error, 'jws')).toBe(error);
  });

  it("rethrows errors that are not jose's: a fault of ours is never blamed on the partner", () => {
    const bug = new RangeError('index out of range');
    expect(() => fromJoseError(bug, 'jws')).toThrow(bug);
    expect(reasonCodeOfJoseError(bug, 'jws')).toBeUndefined();
  });
});
