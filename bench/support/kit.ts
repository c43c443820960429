/**
 * Shared plumbing of the benchmarks: arguments, medians, tables, the result file, RSS
 * sampling, a load snapshot, and the summary metrics bench/run-all.ts collects. Nothing
 * here measures anything by itself.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '@aeo/config';

const argv = process.argv.slice(2);

/** `--name value` (or the default); `--quick` is a bare flag. */
export function argument(name: string, fallback: string): string {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 && argv[at + 1] !== undefined ? argv[at + 1] : fallback;
}

export function numberArgument(name: string, fallback: number): number {
  const value = Number(argument(name, String(fallback)));
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number`);
  return value;
}

export function flag(name: string): boolean {
  return argv.includes(`--${name}`);
}

export const QUICK = flag('quick');

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))];
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Poll `done` every `everyMs` until it holds; throws after `timeoutMs` with `what` in the message. */
export async function waitFor(
  what: string,
  done: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 5,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function load(): { loadavg1: number; loadavg5: number; loadavg15: number; cpus: number } {
  const [one, five, fifteen] = loadavg();
  return {
    loadavg1: round(one, 2),
    loadavg5: round(five, 2),
    loadavg15: round(fifteen, 2),
    cpus: cpus().length,
  };
}

export function round(value: number, digits = 0): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export const mb = (bytes: number) => round(bytes / 1_048_576, 1);

/**
 * Samples process.memoryUsage.rss() every few milliseconds while a phase runs. A sample
 * cannot fire while the event loop is blocked, so `peakMb` is also checked at each explicit
 * `mark()` (call it between chunks); `maxRssMb` is the kernel's high-water mark for the
 * whole process (getrusage), which no sampling can miss but which includes the set-up.
 */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private peak = 0;
  readonly baselineMb = mb(process.memoryUsage.rss());

  start(everyMs = 5): this {
    this.mark();
    this.timer = setInterval(() => this.mark(), everyMs);
    return this;
  }

  mark(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  }

  stop(): { baselineMb: number; peakMb: number; maxRssMb: number } {
    clearInterval(this.timer);
    this.mark();
    return {
      baselineMb: this.baselineMb,
      peakMb: mb(this.peak),
      maxRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
    };
  }
}

/** One line of the summary table run-all prints: a gateway figure beside the floor of the same run. */
export interface SummaryMetric {
  /** Benchmark group, e.g. `pipeline`. */
  readonly group: string;
  readonly metric: string;
  readonly unit: string;
  readonly gateway: number;
  /** The raw floor measured in the same run, when there is one. */
  readonly floor: number | null;
  readonly floorLabel: string | null;
  /** gateway / floor (for "higher is better" units) or floor / gateway (for times), so 1.0 = the floor. */
  readonly ratio: number | null;
  readonly target: string | null;
  readonly met: boolean | null;
  /** Why there is no figure, or what qualifies it. */
  readonly note?: string;
}

export interface TargetSpec {
  readonly text: string;
  readonly check: (value: number) => boolean;
}

export const atLeast = (value: number, unit: string): TargetSpec => ({
  text: `>= ${value.toLocaleString('en-US')} ${unit}`,
  check: (v) => v >= value,
});
export const atMost = (value: number, unit: string): TargetSpec => ({
  text: `<= ${value.toLocaleString('en-US')} ${unit}`,
  check: (v) => v <= value,
});

/** Lower-is-better units: the ratio is inverted so that it always reads "fraction of the floor achieved". */
const LOWER_IS_BETTER = /^(s|ms|µs|MB)$/;

export function summaryMetric(
  group: string,
  metric: string,
  unit: string,
  gateway: number,
  floor?: { value: number; label: string } | null,
  target?: TargetSpec | null,
): SummaryMetric {
  const ratio =
    floor && floor.value > 0 && gateway > 0
      ? round(LOWER_IS_BETTER.test(unit) ? floor.value / gateway : gateway / floor.value, 3)
      : null;
  return {
    group,
    metric,
    unit,
    gateway,
    floor: floor?.value ?? null,
    floorLabel: floor?.label ?? null,
    ratio,
    target: target?.text ?? null,
    met: target ? target.check(gateway) : null,
  };
}

/** Markdown-style table with the first column left-aligned and the others right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

export const fmt = (n: number | null | undefined, digits = 0): string =>
  n === null || n === undefined || !Number.isFinite(n)
    ? '–'
    : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** Write bench/results/<name>-<timestamp>.json with the machine, the load, and `summary` for run-all. */
export function writeResult(
  name: string,
  body: Record<string, unknown> & { summary: readonly SummaryMetric[] },
): string {
  const dir = repoPath('bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${timestamp()}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ benchmark: name, node: process.version, quick: QUICK, finishedAt: new Date().toISOString(), load: load(), ...body }, null, 2)}\n`,
  );
  return file;
}

/** Progress on stderr, so stdout stays the table. */
let lastProgress = { at: Date.now(), message: 'start' };

/**
 * A benchmark that stops moving ends with a message naming the step it was in, instead of
 * hanging the whole `npm run bench`: every step calls progress(), and one that has not for
 * STALL_MS (or --stall-s) is taken as stuck.
 */
const STALL_MS = numberArgument('stall-s', 600) * 1000;
setInterval(() => {
  if (Date.now() - lastProgress.at < STALL_MS) return;
  process.stderr.write(`no progress for ${STALL_MS / 1000} s; stuck in: ${lastProgress.message}\n`);
  process.exit(3);
}, 5_000).unref();

export function progress(message: string): void {
  lastProgress = { at: Date.now(), message };
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
