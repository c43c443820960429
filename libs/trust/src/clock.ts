/** Where "now" comes from. Tests and `mra verify --at` pass a fixed clock; nothing reads Date.now() directly. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(instant: Date | string): Clock {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) throw new Error(`not an instant: ${String(instant)}`);
  return { now: () => new Date(at) };
}

/** Seconds since the epoch, as JOSE's NumericDate (RFC 7519 §2). */
export function numericDate(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}
