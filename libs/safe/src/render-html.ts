import {
  VERDICT_LABEL,
  type SafeComparison,
  type SideAnswer,
  type SideInfo,
  type StandardComparison,
  type Verdict,
  type VerdictCounts,
} from './comparison.js';

export interface HtmlReportOptions {
  /** Printed in the footer; left out when absent so the same input gives the same bytes. */
  readonly generatedOn?: string;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Every text from the input files is escaped: a basis may quote anything, including markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const verdictClass = (verdict: Verdict): string => `v-${verdict.toLowerCase().replace('_', '-')}`;

/*
 * Self-contained: inline CSS, no scripts, no fonts or images to fetch, so the file can be
 * mailed to the partner administration or printed as it is. Each pillar starts a new page
 * in print; the verdict is always written out, so a black-and-white print loses nothing.
 */
const STYLE = `
  body { font: 11pt/1.4 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #111; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
  h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
  h2 { font-size: 1.2rem; margin-top: 2rem; }
  table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
  th, td { border: 1px solid #999; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
  th { background: #eee; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .basis, .detail { font-size: 0.85em; color: #333; margin-top: 0.15rem; }
  .mark { font-weight: bold; }
  .verdict { font-weight: bold; white-space: nowrap; }
  tr.v-both td.verdict, li.v-both { background: #dff0d8; }
  tr.v-ours-only td.verdict, tr.v-theirs-only td.verdict, li.v-ours-only, li.v-theirs-only { background: #fcf3cf; }
  tr.v-neither td.verdict, li.v-neither { background: #f2dede; }
  .status-ALIGNED { color: #1e6b1e; } .status-PARTIAL { color: #8a6d00; } .status-OPEN { color: #a02020; }
  ul.standards { margin: 0; padding-left: 1rem; }
  footer { margin-top: 2rem; font-size: 0.85em; color: #444; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  @page { size: A4 landscape; margin: 12mm; }
  @media print {
    body { margin: 0; max-width: none; padding: 0; font-size: 9.5pt; }
    section.pillar { break-before: page; page-break-before: always; }
    h2 { break-after: avoid; page-break-after: avoid; }
    th, td.verdict, li { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  }
`;

function sideRow(label: string, side: SideInfo): string {
  const note = side.note === undefined ? '' : `<div class="detail">${escapeHtml(side.note)}</div>`;
  return (
    `<tr><th scope="row">${label}</th><td>${escapeHtml(side.program)}${note}</td><td>${escapeHtml(side.assessedOn)}</td>` +
    `<td>${escapeHtml(side.source)}</td><td>${escapeHtml(side.file)}</td></tr>`
  );
}

function countCells(counts: VerdictCounts): string {
  const values = [
    counts.standards,
    counts.both,
    counts.oursOnly,
    counts.theirsOnly,
    counts.neither,
    counts.oursComplied,
    counts.theirsComplied,
  ];
  return values.map((v) => `<td class="num">${v}</td>`).join('');
}

function summary(comparison: SafeComparison): string {
  const rows = comparison.pillars.map(
    (p) => `<tr><th scope="row">Pillar ${p.pillar} ${escapeHtml(p.name)}</th>${countCells(p.counts)}</tr>`,
  );
  return `<h2>Summary</h2>
<table class="summary">
<thead><tr><th>Pillar</th><th>Standards</th><th>Both comply</th><th>Ours only</th><th>Theirs only</th><th>Neither</th><th>Ours complied</th><th>Theirs complied</th></tr></thead>
<tbody>${rows.join('\n')}</tbody>
<tfoot><tr><th scope="row">Total</th>${countCells(comparison.total)}</tr></tfoot>
</table>`;
}

function areas(comparison: SafeComparison): string {
  const rows = comparison.recommendationAreas.map((area) => {
    const items = area.standards.map(
      (s) =>
        `<li class="${verdictClass(s.verdict)}">${s.pillar}.${s.standard} ${escapeHtml(s.name)}: ${VERDICT_LABEL[s.verdict]}</li>`,
    );
    return (
      `<tr><th scope="row">${escapeHtml(area.title)}</th>` +
      `<td><span class="status-${area.status}">${area.status}</span><div class="detail">${escapeHtml(area.statusLine)}</div></td>` +
      `<td><ul class="standards">${items.join('')}</ul></td><td class="detail">${escapeHtml(area.why)}</td></tr>`
    );
  });
  return `<h2>Areas named in the SRC survey recommendations (2024)</h2>
<table class="areas">
<thead><tr><th>Area</th><th>Status</th><th>Standards that bear on it</th><th>Why these standards</th></tr></thead>
<tbody>${rows.join('\n')}</tbody>
</table>`;
}

function answerCell(answer: SideAnswer): string {
  const basis = answer.basis === null ? '' : `<div class="basis">${escapeHtml(answer.basis)}</div>`;
  return `<td><span class="mark">${answer.complied ? 'Yes' : '-'}</span>${basis}</td>`;
}

function standardRow(s: StandardComparison): string {
  return (
    `<tr class="${verdictClass(s.verdict)}"><td>${s.pillar}.${s.standard}</td><td>${escapeHtml(s.name)}</td>` +
    `${answerCell(s.ours)}${answerCell(s.theirs)}<td class="verdict">${VERDICT_LABEL[s.verdict]}</td></tr>`
  );
}

function pillarSection(comparison: SafeComparison, pillar: SafeComparison['pillars'][number]): string {
  const { counts } = pillar;
  const rows = comparison.standards.filter((s) => s.pillar === pillar.pillar).map(standardRow);
  return `<section class="pillar" id="pillar-${pillar.pillar}">
<h2>Pillar ${pillar.pillar}: ${escapeHtml(pillar.name)}</h2>
<p>${counts.both} of ${counts.standards} standards complied on both sides; ours only ${counts.oursOnly}, theirs only ${counts.theirsOnly}, neither ${counts.neither}.</p>
<table class="standards">
<thead><tr><th>No.</th><th>Standard</th><th>Ours: ${escapeHtml(comparison.ours.program)}</th><th>Theirs: ${escapeHtml(comparison.theirs.program)}</th><th>Verdict</th></tr></thead>
<tbody>${rows.join('\n')}</tbody>
</table>
</section>`;
}

/** The comparison as one self-contained HTML page (`mra safe compare --report FILE.html`). */
export function renderComparisonHtml(comparison: SafeComparison, options: HtmlReportOptions = {}): string {
  const { ours, theirs } = comparison;
  const generated = options.generatedOn === undefined ? '' : ` on ${escapeHtml(options.generatedOn)}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SAFE comparison: ${escapeHtml(ours.program)} and ${escapeHtml(theirs.program)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>SAFE Framework of Standards: side-by-side comparison</h1>
<p>${escapeHtml(ours.framework)}. Standards are matched by pillar and number; "Yes" means complied, "-" means not demonstrated in the self-assessment (not necessarily absent).</p>
<table class="sides">
<thead><tr><th></th><th>Programme</th><th>Assessed on</th><th>Source</th><th>File</th></tr></thead>
<tbody>${sideRow('Ours', ours)}
${sideRow('Theirs', theirs)}</tbody>
</table>
</header>
${summary(comparison)}
${areas(comparison)}
${comparison.pillars.map((p) => pillarSection(comparison, p)).join('\n')}
<footer>Generated by <code>mra safe compare</code>${generated}.</footer>
</body>
</html>
`;
}
