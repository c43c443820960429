import { GatewayError, isCalendarDate } from '@aeo/domain';
import type { XmlElement } from '@aeo/codecs';

/**
 * Scalar values as the GACC format writes them. Dates are `YYYYMMDD`; instants are
 * `YYYYMMDDhhmmss`, optionally followed by three digits of milliseconds, in Beijing time
 * (UTC+8, no daylight saving since 1991), the clock China's customs systems keep.
 */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
const WIRE_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const WIRE_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})?$/;
const CANONICAL_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;

function textOf(element: XmlElement): string {
  const value = element.text.trim();
  if (value === '')
    throw new GatewayError('MISSING_REQUIRED_FIELD', `${element.name} is empty`, element.path);
  return value;
}

/** `20240115` → `2024-01-15`; an impossible day such as `20240230` is INVALID_DATE. */
export function dateFromWire(element: XmlElement): string {
  const match = WIRE_DATE.exec(textOf(element));
  const date = match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
  if (!date || !isCalendarDate(date)) {
    throw new GatewayError('INVALID_DATE', `${element.name} must be a real date YYYYMMDD`, element.path);
  }
  return date;
}

export function dateToWire(date: string): string {
  return date.replaceAll('-', '');
}

/** Beijing wall-clock time on the wire → canonical UTC instant; milliseconds only when the wire has them. */
export function instantFromWire(element: XmlElement): string {
  const match = WIRE_TIME.exec(textOf(element));
  const invalid = () =>
    new GatewayError(
      'INVALID_DATE',
      `${element.name} must be a real time YYYYMMDDhhmmss[SSS] (Beijing time)`,
      element.path,
    );
  if (!match) throw invalid();
  const [, year, month, day, hour, minute, second, millis] = match;
  if (
    !isCalendarDate(`${year}-${month}-${day}`) ||
    Number(hour) > 23 ||
    Number(minute) > 59 ||
    Number(second) > 59
  )
    throw invalid();
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const local = new Date(0);
  local.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  local.setUTCHours(Number(hour), Number(minute), Number(second), Number(millis ?? 0));
  const iso = new Date(local.getTime() - BEIJING_OFFSET_MS).toISOString();
  if (!/^\d{4}-/.test(iso)) throw invalid();
  return millis === undefined ? `${iso.slice(0, 19)}Z` : iso;
}

/** Canonical UTC instant → Beijing wall-clock time; milliseconds are written (as three digits) only when present. */
export function instantToWire(instant: string, path: string): string {
  const match = CANONICAL_INSTANT.exec(instant);
  if (!match) throw new GatewayError('CANNOT_ENCODE', `'${instant}' is not a UTC instant`, path);
  const beijing = new Date(Date.parse(instant) + BEIJING_OFFSET_MS).toISOString();
  if (!/^\d{4}-/.test(beijing))
    throw new GatewayError('CANNOT_ENCODE', `'${instant}' is out of the format's date range`, path);
  const digits = beijing.replace(/\D/g, '');
  return match[7] === undefined ? digits.slice(0, 14) : digits.slice(0, 17);
}

/** A positive or zero decimal integer; range rules (chunk numbers, versions) are the canonical validator's job. */
export function integerFromWire(element: XmlElement): number {
  const text = textOf(element);
  const value = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value))
    throw new GatewayError('INVALID_VALUE', `${element.name} must be a whole number`, element.path);
  return value;
}
