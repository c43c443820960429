import { GatewayError } from '../gateway-error.js';

/** The outcome of a successful identifier check: the canonical spelling of the value. */
export interface NormalisedIdentifier {
  readonly scheme: string;
  readonly raw: string;
  readonly normalised: string;
}

/**
 * One identifier scheme: what it looks like, how its check digit works (if it has one) and
 * its canonical spelling. `normalise` throws GatewayError IDENTIFIER_FORMAT or
 * IDENTIFIER_CHECK_DIGIT, never anything else.
 */
export interface IdentifierRule {
  readonly scheme: string;
  readonly description: string;
  normalise(raw: string): NormalisedIdentifier;
}

export function formatError(scheme: string, raw: string, expected: string): GatewayError {
  return new GatewayError('IDENTIFIER_FORMAT', `${scheme}: '${printable(raw)}' is not ${expected}`);
}

export function checkDigitError(scheme: string, raw: string): GatewayError {
  return new GatewayError('IDENTIFIER_CHECK_DIGIT', `${scheme}: check digit of '${printable(raw)}' is wrong`);
}

/** Keep error messages one line and bounded, whatever the input was. */
function printable(raw: string): string {
  const oneLine = raw.replace(/[\u0000-\u001f\u007f]/g, '?');
  return oneLine.length > 40 ? `${oneLine.slice(0, 40)}…` : oneLine;
}

export function digitsOf(value: string): number[] {
  return Array.from(value, (ch) => ch.charCodeAt(0) - 48);
}
