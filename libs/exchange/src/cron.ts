/**
 * Five-field cron (minute hour day-of-month month day-of-week, UTC) as used in
 * config/mra/*.yaml for snapshot schedules: numbers, `*`, lists `a,b`, ranges `a-b` and steps
 * `*\/n` or `a-b/n`. Day-of-week 0 and 7 are Sunday. Both day fields restricted: either may match (classic cron).
 */
const FIELDS: ReadonlyArray<[min: number, max: number]> = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];

function parseField(text: string, [min, max]: readonly [number, number], source: string): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [from, upper] = range === '*' ? [min, max] : ((range ?? '').split('-').map(Number) as [number, number?]);
    const to = upper ?? (stepText === undefined ? from : max);
    if (![from, to, step].every(Number.isInteger) || from < min || to > max || from > to || step < 1) {
      throw new Error(`cron '${source}': '${part}' is not valid for ${min}-${max}`);
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

export interface CronSchedule {
  matches(at: Date): boolean;
}

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron '${expression}': expected 5 fields`);
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => parseField(p, FIELDS[i], expression)) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (weekdays.has(7)) weekdays.add(0);
  const dayRestricted = parts[2] !== '*';
  const weekdayRestricted = parts[4] !== '*';
  return {
    matches(at) {
      if (!minutes.has(at.getUTCMinutes()) || !hours.has(at.getUTCHours()) || !months.has(at.getUTCMonth() + 1)) return false;
      const day = days.has(at.getUTCDate());
      const weekday = weekdays.has(at.getUTCDay());
      if (dayRestricted && weekdayRestricted) return day || weekday;
      return day && weekday;
    },
  };
}
