/**
 * A small Prometheus registry: counters, histograms and gauges read at scrape time, in the
 * text exposition format 0.0.4. Small enough to read in one sitting; label values are
 * escaped, names are fixed by the code, never by input.
 */
type Labels = Readonly<Record<string, string>>;

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k].replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`)
    .join(',');
}

function series(name: string, key: string, value: number): string {
  return `${name}${key ? `{${key}}` : ''} ${Number.isFinite(value) ? value : 0}`;
}

interface Metric {
  render(): string[];
}

export class Counter implements Metric {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    private readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }

  render(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`, ...[...this.values].map(([k, v]) => series(this.name, k, v))];
  }
}

export class Histogram implements Metric {
  private readonly data = new Map<string, { buckets: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly bounds: readonly number[],
  ) {}

  observe(value: number, labels: Labels = {}): void {
    const key = labelKey(labels);
    const entry = this.data.get(key) ?? { buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
    this.bounds.forEach((bound, i) => {
      if (value <= bound) entry.buckets[i] += 1;
    });
    entry.sum += value;
    entry.count += 1;
    this.data.set(key, entry);
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [key, entry] of this.data) {
      const prefix = key ? `${key},` : '';
      this.bounds.forEach((bound, i) => lines.push(`${this.name}_bucket{${prefix}le="${bound}"} ${entry.buckets[i]}`));
      lines.push(`${this.name}_bucket{${prefix}le="+Inf"} ${entry.count}`);
      lines.push(series(`${this.name}_sum`, key, entry.sum), series(`${this.name}_count`, key, entry.count));
    }
    return lines;
  }
}

/** A gauge whose values are read when Prometheus scrapes (queue depths, key expiry). */
export class Gauge implements Metric {
  private latest: readonly { labels: Labels; value: number }[] = [];
  constructor(
    readonly name: string,
    private readonly help: string,
    readonly collect: () => Promise<readonly { labels: Labels; value: number }[]>,
  ) {}

  async refresh(): Promise<void> {
    this.latest = await this.collect();
  }

  render(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, ...this.latest.map((s) => series(this.name, labelKey(s.labels), s.value))];
  }
}

export class MetricsRegistry {
  private readonly metrics: Metric[] = [];

  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }

  histogram(name: string, help: string, bounds: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, bounds));
  }

  gauge(name: string, help: string, collect: Gauge['collect']): Gauge {
    return this.add(new Gauge(name, help, collect));
  }

  /** The exposition text; a gauge whose source is down renders its last values. */
  async render(): Promise<string> {
    await Promise.all(this.metrics.filter((m): m is Gauge => m instanceof Gauge).map((g) => g.refresh().catch(() => undefined)));
    return `${this.metrics.flatMap((m) => m.render()).join('\n')}\n`;
  }

  private add<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }
}
