import { getBlob, getJson } from './api.js';
import { badge, errorBox, facts, h, link, replace, table, time } from './dom.js';

/** An HTML report is self-contained; it is saved and opened outside the console's origin, never rendered inside it. */
async function download(name, status) {
  try {
    const blob = await getBlob(`/v1/testrun-reports/${encodeURIComponent(name)}`);
    const url = URL.createObjectURL(blob);
    const anchor = h('a', { href: url, download: name });
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    replace(status, errorBox(error));
  }
}

export async function reportsPage() {
  const { reports } = await getJson('/v1/testrun-reports');
  const status = h('div');
  return [
    h('h1', {}, 'MRA negotiation test runs'),
    h(
      'p',
      { class: 'muted' },
      'Reports written by mra testrun into the reports directory (MRA_TESTRUN_REPORTS_DIR).',
    ),
    status,
    table(
      [
        ['Report', (r) => (r.format === 'json' ? link(r.name, 'reports', r.name) : r.name)],
        ['Format', (r) => r.format.toUpperCase()],
        ['Written', (r) => time(r.modifiedAt)],
        ['Size', (r) => `${Math.ceil(r.bytes / 1024)} KiB`, { class: 'num' }],
        [
          '',
          (r) =>
            h(
              'button',
              { type: 'button', class: 'secondary', onClick: () => void download(r.name, status) },
              'Download',
            ),
        ],
      ],
      reports,
      'No test-run reports yet.',
    ),
  ];
}

export async function reportPage({ id }) {
  const report = await getJson(`/v1/testrun-reports/${encodeURIComponent(id)}`);
  return [
    h('h1', {}, `Test run: ${report.partner?.displayName ?? report.partner?.code ?? id}`),
    h('p', {}, link('← Test runs', 'reports')),
    h(
      'section',
      { class: 'card' },
      facts([
        ['Verdict', badge(report.summary?.verdict ?? 'UNKNOWN')],
        [
          'Scenarios',
          `${report.summary?.passed ?? 0} passed, ${report.summary?.failed ?? 0} failed, ${report.summary?.notApplicable ?? 0} not applicable`,
        ],
        [
          'Partner',
          `${report.partner?.code ?? ''} (${report.partner?.programme ?? ''}, ${report.partner?.wireFormat ?? ''}, format ${report.partner?.formatStatus ?? ''})`,
        ],
        [
          'Target',
          `${report.target?.kind ?? ''} ${report.target?.broker ?? ''} prefix ${report.target?.amqpPrefix ?? ''}`,
        ],
        ['Started', report.startedAt],
        ['Finished', report.finishedAt],
      ]),
    ),
    h('h2', {}, 'Scenarios'),
    table(
      [
        ['Scenario', (s) => s.title ?? s.name],
        ['Verdict', (s) => badge(s.verdict)],
        ['Reason', (s) => s.reason ?? ''],
        ['Steps', (s) => String(s.steps?.length ?? 0), { class: 'num' }],
        ['ms', (s) => String(s.durationMs), { class: 'num' }],
      ],
      report.scenarios ?? [],
    ),
  ];
}
