import { GatewayError, isCalendarDate, isUtcInstant } from '@aeo/domain';

/**
 * Dates and instants as the Turkish format writes them. Calendar dates are GG.AA.YYYY
 * (day.month.year, the form Turkish official documents use). Instants carry an explicit
 * offset; we write Türkiye time (UTC+03:00 all year since 2016) and accept any offset,
 * converting to the canonical UTC form. The fraction of a second is kept as written, so
 * an instant survives the round trip character for character.
 */
const WIRE_DATE = /^(\d{2})\.(\d{2})\.(\d{4})$/;
const WIRE_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,3})?(Z|([+-])(\d{2}):(\d{2}))$/;
const CANONICAL_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,3})?Z$/;

const TURKIYE_OFFSET_MINUTES = 180;
const TURKIYE_OFFSET = '+03:00';

export function dateFromWire(value: string, path: string): string {
  const match = WIRE_DATE.exec(value);
  const iso = match ? `${match[3]}-${match[2]}-${match[1]}` : undefined;
  if (iso === undefined || !isCalendarDate(iso)) {
    throw new GatewayError('INVALID_DATE', `'${value.slice(0, 40)}' is not a real date GG.AA.YYYY`, path);
  }
  return iso;
}

export function dateToWire(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}.${month}.${year}`;
}

/** Whole seconds shifted by an offset, as `YYYY-MM-DDTHH:mm:ss`; undefined outside years 0000–9999. */
function shiftSeconds(wallClock: string, offsetMinutes: number): string | undefined {
  const shifted = new Date(Date.parse(`${wallClock}Z`) + offsetMinutes * 60_000).toISOString();
  return /^\d{4}-/.test(shifted) ? shifted.slice(0, 19) : undefined;
}

export function instantFromWire(value: string, path: string): string {
  const invalid = () =>
    new GatewayError('INVALID_DATE', `'${value.slice(0, 40)}' is not an instant with an offset`, path);
  const match = WIRE_INSTANT.exec(value);
  if (!match || !isUtcInstant(`${match[1]}Z`)) throw invalid();
  const [, wallClock, fraction = '', zone, sign, hours, minutes] = match;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    if (Number(hours) > 14 || Number(minutes) > 59) throw invalid();
    offsetMinutes = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  }
  const utc = shiftSeconds(wallClock, -offsetMinutes);
  if (utc === undefined) throw invalid();
  return `${utc}${fraction}Z`;
}

export function instantToWire(utcInstant: string, path: string): string {
  const match = CANONICAL_INSTANT.exec(utcInstant);
  const local = match ? shiftSeconds(match[1], TURKIYE_OFFSET_MINUTES) : undefined;
  if (!match || local === undefined) {
    throw new GatewayError('CANNOT_ENCODE', `'${utcInstant}' cannot be written in Türkiye time`, path);
  }
  return `${local}${match[2] ?? ''}${TURKIYE_OFFSET}`;
}
