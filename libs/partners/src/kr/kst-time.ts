import { GatewayError, isCalendarDate, isUtcInstant } from '@aeo/domain';

/**
 * Time on the KCS wire. Date-times are Korea Standard Time with an explicit `+09:00` (Korea
 * has had no daylight saving since 1988, so the offset is fixed); canonical instants are UTC
 * `Z`. Fractions of a second are kept as written so a value reads back character for
 * character. Calendar dates are compact `YYYYMMDD` and are the same day on both sides.
 */
const KST_OFFSET_MS = 9 * 60 * 60 * 1000;
const KST_DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,3})?\+09:00$/;
const UTC_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,3})?Z$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/** Shift a wall-clock time `YYYY-MM-DDTHH:mm:ss` by `offsetMs`; undefined if it leaves years 0000–9999. */
function shiftWallClock(wallClock: string, offsetMs: number): string | undefined {
  // Date.UTC maps years 0–99 to 1900–1999, so the year is set separately.
  const [date, time] = wallClock.split('T') as [string, string];
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hours, minutes, seconds] = time.split(':').map(Number) as [number, number, number];
  const instant = new Date(0);
  instant.setUTCFullYear(year, month - 1, day);
  instant.setUTCHours(hours, minutes, seconds, 0);
  instant.setTime(instant.getTime() + offsetMs);
  const shiftedYear = instant.getUTCFullYear();
  if (shiftedYear < 0 || shiftedYear > 9999) return undefined;
  // Within years 0000–9999 toISOString is exactly YYYY-MM-DDTHH:mm:ss.sssZ.
  return instant.toISOString().slice(0, 19);
}

/** A wire date-time (KST) as a canonical UTC instant; INVALID_DATE at `path` otherwise. */
export function kstToUtc(value: string, path: string): string {
  const match = KST_DATE_TIME.exec(value);
  const fraction = match?.[2] ?? '';
  // The wall clock must itself be a real time (no 24:00, no 30 February) before it is shifted.
  const utc =
    match && isUtcInstant(`${match[1]}${fraction}Z`) ? shiftWallClock(match[1], -KST_OFFSET_MS) : undefined;
  if (utc === undefined) {
    throw new GatewayError(
      'INVALID_DATE',
      `'${value.slice(0, 40)}' is not a KST date-time YYYY-MM-DDTHH:mm:ss+09:00`,
      path,
    );
  }
  return `${utc}${fraction}Z`;
}

/** A canonical UTC instant as a wire date-time in KST; CANNOT_ENCODE at `path` if it has no KST spelling. */
export function utcToKst(instant: string, path: string): string {
  const match = UTC_INSTANT.exec(instant);
  const kst = match ? shiftWallClock(match[1], KST_OFFSET_MS) : undefined;
  if (kst === undefined) {
    throw new GatewayError('CANNOT_ENCODE', `'${instant}' cannot be written as a KST date-time`, path);
  }
  return `${kst}${match![2] ?? ''}+09:00`;
}

/** A wire date `YYYYMMDD` as a canonical `YYYY-MM-DD`; INVALID_DATE at `path` unless it is a real day. */
export function compactToIsoDate(value: string, path: string): string {
  const match = COMPACT_DATE.exec(value);
  const iso = match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
  if (iso === undefined || !isCalendarDate(iso)) {
    throw new GatewayError('INVALID_DATE', `'${value.slice(0, 40)}' is not a real date YYYYMMDD`, path);
  }
  return iso;
}

/** A canonical `YYYY-MM-DD` as a wire `YYYYMMDD`. */
export function isoToCompactDate(date: string): string {
  return date.replace(/-/g, '');
}
