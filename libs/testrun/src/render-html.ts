import { VERDICT_LABEL, escapeHtml, type SafeComparison } from '@aeo/safe';
import type { DirectionCoverage, LatencyRow, ScenarioResult, StepResult, TestRunReport } from './report.js';

/*
 * The report as one self-contained HTML page: inline CSS, an inline SVG chart, no scripts,
 * fonts or images to fetch, so it opens offline and can be mailed to the partner. Verdicts
 * are always written out, so a black-and-white print loses nothing; each scenario stays on
 * one page where it fits.
 */
const STYLE = `
  :root { --pass: #1e6b1e; --fail: #a02020; --na: #666; }
  body { font: 10.5pt/1.45 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #111; margin: 2rem auto; max-width: 76rem; padding: 0 1rem; }
  h1 { font-size: 1.5rem; margin: 0 0 0.25rem; }
  h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 2px solid #333; padding-bottom: 0.15rem; }
  h3 { font-size: 1.02rem; margin: 1.2rem 0 0.3rem; }
  table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 1rem; }
  th, td { border: 1px solid #aaa; padding: 0.25rem 0.45rem; text-align: left; vertical-align: top; }
  th { background: #eee; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  code, .ids { font-family: ui-monospace, "DejaVu Sans Mono", Consolas, monospace; font-size: 0.82em; }
  .ids { word-break: break-all; color: #333; }
  .muted { color: #555; font-size: 0.9em; }
  .verdict { font-weight: bold; white-space: nowrap; }
  .PASSED { color: var(--pass); } .FAILED { color: var(--fail); } .NOT_APPLICABLE { color: var(--na); }
  td.PASSED { background: #e3f2df; } td.FAILED { background: #f6dede; } td.NOT_APPLICABLE { background: #eee; }
  .banner { border: 2px solid #333; padding: 0.6rem 0.9rem; margin: 0.8rem 0 1.2rem; display: flex; gap: 2rem; flex-wrap: wrap; }
  .banner .big { font-size: 1.35rem; font-weight: bold; }
  .banner.PASSED { border-color: var(--pass); } .banner.FAILED { border-color: var(--fail); }
  section.scenario { border-left: 4px solid #999; padding-left: 0.8rem; margin: 1.2rem 0; }
  section.scenario.PASSED { border-color: var(--pass); } section.scenario.FAILED { border-color: var(--fail); }
  .reason { font-weight: 600; }
  ul.compact { margin: 0.2rem 0; padding-left: 1.2rem; }
  .chart { margin: 0.5rem 0 1rem; }
  footer { margin-top: 2rem; font-size: 0.85em; color: #444; }
  thead { display: table-header-group; }
  tr, section.scenario, .chart { break-inside: avoid; page-break-inside: avoid; }
  @page { size: A4; margin: 12mm; }
  @media print {
    body { margin: 0; max-width: none; padding: 0; font-size: 8.5pt; }
    h2 { break-after: avoid; page-break-after: avoid; }
    section.details, section.coverage, section.safe { break-before: page; page-break-before: always; }
    td, th, .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  }
`;

const e = escapeHtml;
const VERDICT_TEXT = { PASSED: 'PASSED', FAILED: 'FAILED', NOT_APPLICABLE: 'NOT APPLICABLE' } as const;

function verdictCell(verdict: ScenarioResult['verdict']): string {
  return `<td class="verdict ${verdict}">${VERDICT_TEXT[verdict]}</td>`;
}

function seconds(ms: number): string {
  return ms >= 10_000
    ? `${(ms / 1000).toFixed(0)} s`
    : ms >= 1000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${ms} ms`;
}

function header(report: TestRunReport): string {
  const { summary, partner, target } = report;
  return `<header>
<h1>MRA test run: ${e(partner.displayName)}</h1>
<p class="muted">Partner <code>${e(partner.code)}</code> (${e(partner.programme)}), ${partner.wireFormat.toUpperCase()} format, ${partner.formatStatus === 'assumed' ? 'assumed format (not yet agreed)' : 'agreed format'}. Target: ${target.kind === 'simulator' ? 'our partner simulator' : "the partner's broker"} at <code>${e(target.broker)}</code>, AMQP prefix <code>${e(target.amqpPrefix)}</code>. Pilot traffic only.</p>
<div class="banner ${summary.verdict}">
<div><div class="muted">Verdict</div><div class="big ${summary.verdict}">${summary.verdict}</div></div>
<div><div class="muted">Scenarios</div><div class="big">${summary.passed} passed, ${summary.failed} failed, ${summary.notApplicable} not applicable</div></div>
<div><div class="muted">Run</div><div>${e(report.startedAt)} → ${e(report.finishedAt)} (${seconds(report.durationMs)})</div></div>
</div>
</header>`;
}

function scenarioTable(report: TestRunReport): string {
  const rows = report.scenarios.map(
    (s) =>
      `<tr><td><a href="#s-${e(s.name)}">${e(s.name)}</a></td><td>${e(s.title)}</td>${verdictCell(s.verdict)}<td class="num">${seconds(s.durationMs)}</td><td>${s.reason ? e(s.reason) : ''}${s.misbehaviour.map((m) => `<div class="muted">${e(m)}</div>`).join('')}</td></tr>`,
  );
  return `<section class="summary"><h2>Scenarios</h2>
<table><thead><tr><th>Scenario</th><th>What it checks</th><th>Verdict</th><th>Time</th><th>Reason</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></section>`;
}

function stepRow(step: StepResult): string {
  const ids = step.messageIds.length ? `<div class="ids">${step.messageIds.map(e).join('<br>')}</div>` : '';
  const codes = step.reasonCodes.length ? step.reasonCodes.map((c) => `<code>${e(c)}</code>`).join(' ') : '';
  return `<tr><td class="num">${step.index + 1}</td><td><code>${e(step.step)}</code></td>${verdictCell(step.verdict)}<td class="num">+${seconds(step.startedAtMs)}</td><td class="num">${seconds(step.elapsedMs)}</td><td>${e(step.detail)}${ids}</td><td>${codes}</td></tr>`;
}

function scenarioDetails(report: TestRunReport): string {
  const sections = report.scenarios.map(
    (s) => `<section class="scenario ${s.verdict}" id="s-${e(s.name)}">
<h3>${e(s.name)}: ${e(s.title)} — <span class="verdict ${s.verdict}">${VERDICT_TEXT[s.verdict]}</span></h3>
<p>${e(s.description)}</p>
${s.reason ? `<p class="reason">${e(s.reason)}</p>` : ''}${s.misbehaviour.map((m) => `<p class="muted">${e(m)}</p>`).join('')}
<table><thead><tr><th>#</th><th>Step</th><th>Verdict</th><th>At</th><th>Took</th><th>Evidence (message ids)</th><th>Reason codes</th></tr></thead>
<tbody>${s.steps.map(stepRow).join('\n')}</tbody></table>
<p class="muted">Scenario file: <code>${e(s.file)}</code></p>
</section>`,
  );
  return `<section class="details"><h2>Evidence per scenario</h2>${sections.join('\n')}</section>`;
}

/** Horizontal bars, p50 solid and p95 hatched-light, on one scale; labels carry the numbers. */
export function latencyChart(rows: readonly LatencyRow[]): string {
  if (rows.length === 0) return '<p class="muted">No round trip completed in this run.</p>';
  const width = 720;
  const labelWidth = 230;
  const barArea = width - labelWidth - 120;
  const rowHeight = 30;
  const height = rows.length * rowHeight + 34;
  const max = Math.max(1, ...rows.map((r) => r.p95Ms));
  const scale = (ms: number) => Math.max(1, Math.round((ms / max) * barArea));
  const bars = rows.map((r, i) => {
    const y = 10 + i * rowHeight;
    return `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${e(`${r.direction === 'out' ? 'ours →' : 'theirs →'} ${r.messageType}`)}</text>
<rect x="${labelWidth}" y="${y + 2}" width="${scale(r.p95Ms)}" height="18" fill="#b9c9e0" stroke="#34568b" stroke-width="0.5"/>
<rect x="${labelWidth}" y="${y + 6}" width="${scale(r.p50Ms)}" height="10" fill="#34568b"/>
<text x="${labelWidth + scale(r.p95Ms) + 6}" y="${y + 15}">${r.p50Ms} / ${r.p95Ms} ms</text>`;
  });
  const legendY = height - 10;
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Latency p50 and p95 per message type" font-family="system-ui, Arial, sans-serif" font-size="12">
${bars.join('\n')}
<rect x="${labelWidth}" y="${legendY - 9}" width="14" height="8" fill="#34568b"/><text x="${labelWidth + 18}" y="${legendY}">p50</text>
<rect x="${labelWidth + 60}" y="${legendY - 11}" width="14" height="12" fill="#b9c9e0" stroke="#34568b" stroke-width="0.5"/><text x="${labelWidth + 78}" y="${legendY}">p95 (round trip to the receipt)</text>
</svg>`;
}

function latency(report: TestRunReport): string {
  const rows = report.latency.map(
    (r) =>
      `<tr><td>${r.direction === 'out' ? 'ours → partner' : 'partner → us'}</td><td><code>${e(r.messageType)}</code></td><td class="num">${r.count}</td><td class="num">${r.p50Ms} ms</td><td class="num">${r.p95Ms} ms</td><td class="num">${r.maxMs} ms</td></tr>`,
  );
  return `<section class="latency"><h2>Latency per message type</h2>
<p class="muted">Ours: from the commit to the outbox to the partner's receipt applied. The partner's: from its publish to our receipt received. Includes deliberately slow receipts of the receipt-handling scenario.</p>
${latencyChart(report.latency)}
<table><thead><tr><th>Direction</th><th>Message type</th><th>Messages</th><th>p50</th><th>p95</th><th>max</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></section>`;
}

function directionCoverage(c: DirectionCoverage): string {
  const lost = c.lost.length
    ? c.lost.map((l) => `<tr><td><code>${e(l.field)}</code></td><td>${e(l.detail)}</td></tr>`).join('')
    : '<tr><td colspan="2">nothing</td></tr>';
  const lists = c.codeLists
    .map(
      (l) =>
        `<tr><td>${e(l.list)}</td><td class="num">${l.values}</td><td>${l.noCounterpart.length ? l.noCounterpart.map((v) => `<code>${e(v)}</code>`).join(', ') : 'none'}</td><td>${
          l.readBackAs.length
            ? l.readBackAs
                .map(
                  (r) =>
                    `<code>${e(r.canonical)}</code> ↔ <code>${e(r.partner)}</code> → <code>${e(r.readBackAs)}</code>`,
                )
                .join('<br>')
            : 'none'
        }</td></tr>`,
    )
    .join('');
  return `<h3>${c.direction === 'outbound' ? 'Outbound: our records in the partner format' : "Inbound: the partner's records in our model"}</h3>
<p>${e(c.summary)}</p>
<p><strong>Carried:</strong> ${c.carried.map((f) => `<code>${e(f)}</code>`).join(', ')}</p>
<table><thead><tr><th>Lost field</th><th>Why</th></tr></thead><tbody>${lost}</tbody></table>
<table><thead><tr><th>Code list</th><th>Canonical values</th><th>No counterpart</th><th>Read back as another value</th></tr></thead><tbody>${lists}</tbody></table>`;
}

function coverage(report: TestRunReport): string {
  return `<section class="coverage"><h2>Mapping coverage</h2>
${directionCoverage(report.coverage.outbound)}
${directionCoverage(report.coverage.inbound)}</section>`;
}

function safeTables(comparison: SafeComparison): string {
  const pillars = comparison.pillars
    .map(
      (p) =>
        `<tr><td>Pillar ${p.pillar}: ${e(p.name)}</td><td class="num">${p.counts.standards}</td><td class="num">${p.counts.both}</td><td class="num">${p.counts.oursOnly}</td><td class="num">${p.counts.theirsOnly}</td><td class="num">${p.counts.neither}</td></tr>`,
    )
    .join('');
  const t = comparison.total;
  const areas = comparison.recommendationAreas
    .map(
      (a) =>
        `<tr><td>${e(a.title)}</td><td class="verdict">${e(a.status)}</td><td>${e(a.statusLine)}</td></tr>`,
    )
    .join('');
  const standards = comparison.standards
    .map(
      (s) =>
        `<tr><td class="num">${s.pillar}.${s.standard}</td><td>${e(s.name)}</td><td>${s.ours.complied ? 'Yes' : '-'}</td><td>${s.theirs.complied ? 'Yes' : '-'}</td><td class="verdict">${e(VERDICT_LABEL[s.verdict])}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>Pillar</th><th>Standards</th><th>Both comply</th><th>Ours only</th><th>Theirs only</th><th>Neither</th></tr></thead>
<tbody>${pillars}</tbody><tfoot><tr><th>Total</th><td class="num">${t.standards}</td><td class="num">${t.both}</td><td class="num">${t.oursOnly}</td><td class="num">${t.theirsOnly}</td><td class="num">${t.neither}</td></tr></tfoot></table>
<h3>Areas named in the SRC survey recommendations (2024)</h3>
<table><thead><tr><th>Area</th><th>Status</th><th>Detail</th></tr></thead><tbody>${areas}</tbody></table>
<h3>Standard by standard</h3>
<table><thead><tr><th>No.</th><th>Standard</th><th>Ours</th><th>Theirs</th><th>Verdict</th></tr></thead><tbody>${standards}</tbody></table>`;
}

function safe(report: TestRunReport): string {
  const { safe: section } = report;
  const body = section.comparison
    ? `<p>Ours: ${e(section.comparison.ours.program)} (${e(section.comparison.ours.assessedOn)}). Theirs: ${e(section.comparison.theirs.program)} (${e(section.comparison.theirs.assessedOn)})${
        section.comparison.theirs.note ? ` — <em>${e(section.comparison.theirs.note)}</em>` : ''
      }. "Yes" means complied; "-" means not demonstrated in the self-assessment.</p>${safeTables(section.comparison)}`
    : `<p class="reason">The comparison could not be made: ${e(section.error ?? 'unknown error')}</p>`;
  return `<section class="safe"><h2>SAFE Framework comparison</h2>
<p class="muted">Files: <code>${e(section.oursFile)}</code> and <code>${e(section.theirsFile)}</code> (as <code>mra safe compare</code>).</p>
${body}</section>`;
}

function pilot(report: TestRunReport): string {
  // Grouped by type and reason: the ids are the evidence, the reason is what a reader needs.
  const groups = new Map<string, { type: string; environment: string; why: string; ids: string[] }>();
  for (const m of report.pilot.nonPilotMessages) {
    const key = `${m.messageType}|${m.environment}|${m.why}`;
    const group = groups.get(key) ?? { type: m.messageType, environment: m.environment, why: m.why, ids: [] };
    group.ids.push(m.messageId);
    groups.set(key, group);
  }
  const rows = [...groups.values()]
    .map(
      (g) =>
        `<tr><td><code>${e(g.type)}</code></td><td>${e(g.environment)}</td><td class="num">${g.ids.length}</td><td>${e(g.why)}<div class="ids">${g.ids.map(e).join(' ')}</div></td></tr>`,
    )
    .join('');
  return `<section class="pilot"><h2>Pilot isolation</h2>
<p>Gateway database of this run: <code>${e(report.pilot.database)}</code>. Register changes: environment <code>${report.pilot.environment}</code>. Receipt SLA: ${report.pilot.receiptSlaMinutes} minute(s).</p>
${rows ? `<p>Messages of the run not tagged pilot (all stayed inside the run's own gateway, database and AMQP prefix):</p><table><thead><tr><th>Type</th><th>Environment</th><th>Messages</th><th>Why, and the message ids</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>Every message of the run was tagged pilot.</p>'}
${report.notes.length ? `<h3>Notes</h3><ul class="compact">${report.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>` : ''}
</section>`;
}

/** The whole report, from the same object the JSON report is. */
export function renderTestRunHtml(report: TestRunReport): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MRA test run: ${e(report.partner.displayName)} — ${report.summary.verdict}</title>
<style>${STYLE}</style>
</head>
<body>
${header(report)}
${scenarioTable(report)}
${latency(report)}
${pilot(report)}
${scenarioDetails(report)}
${coverage(report)}
${safe(report)}
<footer>Generated by <code>mra testrun</code> on ${e(report.finishedAt)}. The JSON form of this report (<code>--report FILE.json</code>) carries the same data; schema <code>${e(report.$schema)}</code>.</footer>
</body>
</html>
`;
}
