import type { XmlElement } from '@aeo/codecs';
import { GatewayError, isCalendarDate, isUtcInstant } from '@aeo/domain';
import { textOf } from './eaeu-xml-reader.js';

/**
 * Lexical values of the format, read with the element's path in every error. They mirror the
 * XSD types in EEC_M_SimpleDataObjects (the decoder does not run the XSD, so it checks the same
 * things itself, with the gateway's reason codes).
 */

/** Re-raise an identifier rule's error (which has no path) at the element it came from. */
export function atPath<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof GatewayError && error.path === undefined) {
      throw new GatewayError(error.code, error.message, path, { cause: error });
    }
    throw error;
  }
}

const XS_DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,3})?(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * An xs:dateTime with an explicit offset, as a canonical UTC instant. The Commission works in
 * Moscow time, so offsets are normal; a time without one is ambiguous and refused. Fractional
 * seconds are kept as written, so a value that was already UTC comes back unchanged.
 */
export function instantOf(element: XmlElement): string {
  const text = textOf(element);
  const match = XS_DATE_TIME.exec(text);
  const invalid = () =>
    new GatewayError(
      'INVALID_DATE',
      `${element.name} '${text}' is not a date-time with an offset`,
      element.path,
    );
  if (!match) throw invalid();
  const [, local, fraction = '', zone, sign, hours, minutes] = match;
  const asUtc = `${local}${fraction}Z`;
  if (!isUtcInstant(asUtc)) throw invalid();
  if (zone === 'Z') return asUtc;
  if (Number(hours) > 14 || Number(minutes) > 59) throw invalid();
  const offsetMillis = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000;
  const shifted = `${new Date(Date.parse(asUtc) - offsetMillis).toISOString().slice(0, 19)}${fraction}Z`;
  if (!isUtcInstant(shifted)) throw invalid();
  return shifted;
}

export function calendarDateOf(element: XmlElement): string {
  const text = textOf(element);
  if (!isCalendarDate(text)) {
    throw new GatewayError(
      'INVALID_DATE',
      `${element.name} '${String(text)}' is not a real date YYYY-MM-DD`,
      element.path,
    );
  }
  return text;
}

export function booleanOf(element: XmlElement): boolean {
  const text = textOf(element);
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new GatewayError('INVALID_VALUE', `${element.name} must be true or false`, element.path);
}

export function positiveIntegerOf(element: XmlElement): number {
  const text = textOf(element);
  const value = Number(text);
  if (!/^[1-9]\d*$/.test(text) || !Number.isSafeInteger(value)) {
    throw new GatewayError('INVALID_VALUE', `${element.name} must be a positive integer`, element.path);
  }
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidOf(element: XmlElement): string {
  const text = textOf(element);
  if (!UUID.test(text))
    throw new GatewayError('INVALID_VALUE', `${element.name} must be a UUID`, element.path);
  return text;
}

export function countryOf(element: XmlElement): string {
  const text = textOf(element);
  if (!/^[A-Z]{2}$/.test(text)) {
    throw new GatewayError(
      'INVALID_VALUE',
      `${element.name} must be an ISO 3166-1 alpha-2 code`,
      element.path,
    );
  }
  return text;
}

/** One of a fixed set of format codes (receipt outcomes, address kinds), mapped to its meaning. */
export function fixedCodeOf<T>(element: XmlElement, codes: Readonly<Record<string, T>>): T {
  const text = textOf(element);
  if (!Object.hasOwn(codes, text)) {
    throw new GatewayError(
      'INVALID_VALUE',
      `${element.name} '${text}' is not one of ${Object.keys(codes).join(', ')}`,
      element.path,
    );
  }
  return codes[text];
}
