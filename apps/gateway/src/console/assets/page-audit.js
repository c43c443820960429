import { getJson } from './api.js';
import { badge, facts, h, link, table, time } from './dom.js';

const FILTERS = [
  ['partner', 'Partner'],
  ['aeoId', 'AEO id'],
  ['messageId', 'Message id'],
  ['type', 'Type'],
  ['outcome', 'Outcome'],
  ['from', 'From (2026-01-31)'],
  ['to', 'To'],
];
const DIRECTIONS = ['', 'IN', 'OUT', 'INTERNAL'];

export async function auditPage({ query, navigate }) {
  const page = await getJson('/v1/audit', { ...query, limit: query.limit ?? 50 });
  const inputs = Object.fromEntries(
    FILTERS.map(([name]) => [name, h('input', { name, value: query[name] ?? '' })]),
  );
  const direction = h(
    'select',
    { name: 'direction' },
    DIRECTIONS.map((d) => h('option', { value: d, selected: d === (query.direction ?? '') }, d || 'any')),
  );
  const search = (event) => {
    event.preventDefault();
    navigate('audit', {
      ...Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, input.value.trim()])),
      direction: direction.value,
    });
  };
  return [
    h('h1', {}, 'Audit log'),
    h(
      'form',
      { class: 'filters', onSubmit: search },
      FILTERS.map(([name, label]) => h('label', {}, label, inputs[name])),
      h('label', {}, 'Direction', direction),
      h('button', { type: 'submit' }, 'Search'),
    ),
    table(
      [
        ['Seq', (e) => link(String(e.seq), 'audit', String(e.seq)), { class: 'num' }],
        ['Recorded', (e) => time(e.recordedAt)],
        ['Dir', (e) => e.direction],
        ['Type', (e) => e.type],
        ['Outcome', (e) => badge(e.outcome)],
        ['Partner', (e) => e.partner ?? ''],
        ['AEO id', (e) => e.aeoId ?? ''],
        ['Message id', (e) => h('span', { class: 'mono' }, e.messageId ?? '')],
        ['Actor', (e) => e.actor ?? ''],
      ],
      page.entries,
      'No entries match.',
    ),
    page.nextCursor !== null
      ? h(
          'p',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onClick: () => navigate('audit', { ...query, cursor: String(page.nextCursor) }),
            },
            'Older entries',
          ),
        )
      : null,
  ];
}

export async function auditEntryPage({ id }) {
  const entry = await getJson(`/v1/audit/${encodeURIComponent(id)}`);
  return [
    h('h1', {}, `Audit entry ${entry.seq}`),
    h('p', {}, link('← Audit log', 'audit')),
    h(
      'section',
      { class: 'card' },
      facts([
        ['Recorded', time(entry.recordedAt)],
        ['Direction', entry.direction],
        ['Type', entry.type],
        ['Outcome', badge(entry.outcome)],
        ['Partner', entry.partner],
        ['Message id', entry.messageId],
        ['Correlation id', entry.correlationId],
        ['AEO id', entry.aeoId],
        ['Actor', entry.actor],
        ['Key id', entry.keyId],
        ['Payload SHA-256', entry.payloadSha256],
        ['Previous hash', h('span', { class: 'mono' }, entry.prevHash)],
        ['Hash', h('span', { class: 'mono' }, entry.hash)],
      ]),
    ),
    h('h2', {}, 'Details'),
    h('pre', { id: 'audit-details' }, JSON.stringify(entry.details, null, 2)),
  ];
}
