/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line is a
 * HELP or TYPE comment or a sample of a declared family; label values are properly quoted.
 * Throws on the first line that is not.
 */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  readonly samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?(?:[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?|\+Inf|-Inf|NaN))$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\\\|\\"|\\n)*)"(,|$)/y;

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (!match) throw new Error(`bad labels in: ${line}`);
    labels[match[1]] = match[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  }
  return labels;
}

function familyOf(sampleName: string, families: ReadonlyMap<string, Family>): string | undefined {
  if (families.has(sampleName)) return sampleName;
  const base = sampleName.replace(/_(bucket|sum|count)$/, '');
  return families.get(base)?.type === 'histogram' || families.get(base)?.type === 'summary' ? base : undefined;
}

export function parsePrometheusText(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, Family>();
  for (const line of text.split('\n').slice(0, -1)) {
    if (line.startsWith('# HELP ')) {
      if (!METRIC_NAME.test(line.split(' ')[2] ?? '')) throw new Error(`bad HELP line: ${line}`);
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      if (!METRIC_NAME.test(name ?? '') || !['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type ?? '')) throw new Error(`bad TYPE line: ${line}`);
      if (families.has(name)) throw new Error(`family declared twice: ${name}`);
      families.set(name, { type: type as Family['type'], samples: [] });
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const family = familyOf(match[1], families);
    if (!family) throw new Error(`sample of an undeclared family: ${line}`);
    families.get(family)!.samples.push({ name: match[1], labels: match[2] ? parseLabels(match[2], line) : {}, value: Number(match[3]) });
  }
  return families;
}

/** The sum of a family's values (a counter's or gauge's samples, a histogram's `_count`), optionally of matching labels only. */
export function total(families: ReadonlyMap<string, Family>, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const family = families.get(name);
  if (!family) throw new Error(`no family ${name}`);
  const wanted = family.type === 'histogram' ? `${name}_count` : name;
  return family.samples
    .filter((s) => s.name === wanted && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
