import type { ReasonCode } from './reason-codes.js';

/**
 * The one error type that crosses library boundaries. `code` is stable and machine-read;
 * `path` names where in the input the problem is (an element path such as
 * `/AEOStatusDelta/Operator[2]/Status`, or a JSON pointer), so an operator or a partner's
 * engineer can find it without reading our code.
 */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';

  constructor(
    readonly code: ReasonCode,
    message: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toJSON(): { code: string; message: string; path?: string } {
    return this.path === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, path: this.path };
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}
