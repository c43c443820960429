import {
  VERDICT_LABEL,
  type SafeComparison,
  type SideInfo,
  type StandardComparison,
  type VerdictCounts,
} from './comparison.js';
import type { LoadedSelfAssessment } from './self-assessment.js';

/** The survey's own notation: "Yes" where complied, "-" where left blank. */
const mark = (complied: boolean): string => (complied ? 'Yes' : '-');

function nameWidth(names: readonly string[]): number {
  return Math.max('Standard'.length, ...names.map((n) => n.length));
}

function countsLine(counts: VerdictCounts): string {
  return (
    `${counts.both} of ${counts.standards} complied on both sides ` +
    `(ours only ${counts.oursOnly}, theirs only ${counts.theirsOnly}, neither ${counts.neither}; ` +
    `ours ${counts.oursComplied}, theirs ${counts.theirsComplied})`
  );
}

function sideLine(label: string, side: SideInfo): string {
  return `${label}${side.program}, assessed ${side.assessedOn} (${side.file})`;
}

function standardRows(standards: readonly StandardComparison[], width: number): string[] {
  return standards.flatMap((s) => {
    const number = `${s.pillar}.${s.standard}`.padEnd(5);
    const row = `  ${number} ${s.name.padEnd(width)}  ${mark(s.ours.complied).padEnd(4)}  ${mark(s.theirs.complied).padEnd(6)}  ${VERDICT_LABEL[s.verdict]}`;
    // The basis is what the other administration checks, so it is printed wherever one was given.
    const bases = [
      s.ours.basis === null ? [] : [`        ours:   ${s.ours.basis}`],
      s.theirs.basis === null ? [] : [`        theirs: ${s.theirs.basis}`],
    ].flat();
    return [row, ...bases];
  });
}

/** The comparison as a plain-text table, one block per pillar, for `mra safe compare`. */
export function renderComparisonText(comparison: SafeComparison): string {
  const width = nameWidth(comparison.standards.map((s) => s.name));
  const lines = [
    `SAFE Framework comparison: ${comparison.ours.framework}`,
    sideLine('Ours:   ', comparison.ours),
    sideLine('Theirs: ', comparison.theirs),
  ];
  for (const pillar of comparison.pillars) {
    lines.push('', `Pillar ${pillar.pillar} ${pillar.name}: ${countsLine(pillar.counts)}`);
    lines.push(`  ${'No.'.padEnd(5)} ${'Standard'.padEnd(width)}  Ours  Theirs  Verdict`);
    lines.push(
      ...standardRows(
        comparison.standards.filter((s) => s.pillar === pillar.pillar),
        width,
      ),
    );
  }
  lines.push(
    '',
    `Total: ${countsLine(comparison.total)}`,
    '',
    'Areas named in the SRC survey recommendations (2024):',
  );
  for (const area of comparison.recommendationAreas) {
    lines.push(`  ${area.title} [${area.status}]: ${area.statusLine}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One side on its own, for `mra safe show`. */
export function renderSelfAssessmentText({ file, assessment }: LoadedSelfAssessment): string {
  const all = assessment.pillars.flatMap((p) => p.standards);
  const width = nameWidth(all.map((s) => s.name));
  const lines = [
    `${assessment.program}: ${assessment.framework}, assessed ${assessment.assessedOn}`,
    `Source: ${assessment.source}`,
  ];
  if (assessment.note !== undefined) lines.push(`Note: ${assessment.note}`);
  lines.push(`File: ${file}`);
  for (const pillar of assessment.pillars) {
    const complied = pillar.standards.filter((s) => s.complied).length;
    lines.push(
      '',
      `Pillar ${pillar.pillar} ${pillar.name}: ${complied} of ${pillar.standards.length} complied`,
    );
    for (const s of pillar.standards) {
      const row = `  ${`${pillar.pillar}.${s.standard}`.padEnd(5)} ${s.name.padEnd(width)}  ${mark(s.complied).padEnd(4)}  ${s.basis ?? ''}`;
      lines.push(row.trimEnd());
    }
  }
  lines.push('', `Total: ${all.filter((s) => s.complied).length} of ${all.length} complied`);
  return `${lines.join('\n')}\n`;
}
