import { getJson } from './api.js';
import { badge, h, link, table, time } from './dom.js';

const STATES = ['', 'QUEUED', 'SENT', 'ACKNOWLEDGED', 'REJECTED', 'RETRYING', 'EXPIRED', 'DEAD_LETTERED'];

export async function flowPage({ id, query, identity, navigate }) {
  const { partners } = await getJson('/v1/partners');
  const partner = id ?? partners[0]?.partner;
  if (!partner) return h('p', { class: 'muted' }, 'No MRA partners are configured.');
  const [outbox, inbound] = await Promise.all([
    getJson('/v1/outbox', { partner, state: query.state, limit: 50 }),
    getJson('/v1/inbound', { partner, outcome: query.outcome, limit: 50 }),
  ]);
  const partnerSelect = h(
    'select',
    { name: 'partner' },
    partners.map((p) => h('option', { value: p.partner, selected: p.partner === partner }, p.partner)),
  );
  const stateSelect = h(
    'select',
    { name: 'state' },
    STATES.map((s) => h('option', { value: s, selected: s === (query.state ?? '') }, s || 'any')),
  );
  const outcomeInput = h('input', {
    name: 'outcome',
    value: query.outcome ?? '',
    placeholder: 'ACCEPTED, SIGNATURE_INVALID…',
  });
  const apply = (event) => {
    event.preventDefault();
    navigate(`flow/${encodeURIComponent(partnerSelect.value)}`, {
      state: stateSelect.value,
      outcome: outcomeInput.value.trim(),
    });
  };
  return [
    h('h1', {}, `Message flow — ${partner.toUpperCase()}`),
    h(
      'form',
      { class: 'filters', onSubmit: apply },
      h('label', {}, 'Partner', partnerSelect),
      h('label', {}, 'Outbound state', stateSelect),
      h('label', {}, 'Inbound outcome', outcomeInput),
      h('button', { type: 'submit' }, 'Filter'),
    ),
    h('h2', {}, 'Sent by us'),
    table(
      [
        ['Created', (m) => time(m.createdAt)],
        ['Type', (m) => m.messageType],
        ['Message id', (m) => h('span', { class: 'mono' }, m.messageId)],
        ['State', (m) => badge(m.state)],
        ['Attempts', (m) => String(m.attempts), { class: 'num' }],
        ['Reason', (m) => m.reasonCode ?? ''],
      ],
      outbox.messages,
      'No outbound messages match.',
    ),
    h('h2', {}, 'Received from the partner'),
    table(
      [
        ['Received', (m) => time(m.receivedAt)],
        ['Type', (m) => m.messageType ?? '—'],
        ['Message id', (m) => h('span', { class: 'mono' }, m.messageId ?? '—')],
        ['Outcome', (m) => badge(m.outcome)],
        [
          'Audit',
          (m) => (identity.role === 'auditor' ? link(`#${m.seq}`, 'audit', String(m.seq)) : `#${m.seq}`),
        ],
      ],
      inbound.messages,
      'No inbound messages match.',
    ),
  ];
}
