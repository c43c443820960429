import { getJson } from './api.js';
import { badge, facts, h, link, table, time } from './dom.js';

function counts(record) {
  const entries = Object.entries(record ?? {});
  return entries.length === 0
    ? h('span', { class: 'muted' }, 'none')
    : entries.map(([key, n]) => h('span', {}, badge(key), ` ${n}  `));
}

function last(message) {
  return message
    ? [
        time(message.at),
        ' ',
        h('span', { class: 'mono muted' }, message.messageType ?? ''),
        message.state ? [' ', badge(message.state)] : null,
      ]
    : '—';
}

function partnerCard(p) {
  return h(
    'section',
    { class: 'card partner', 'data-partner': p.partner },
    h(
      'h2',
      {},
      link(p.partner.toUpperCase(), 'partners', p.partner),
      ' ',
      badge(p.mra.state),
      p.mra.operativeToday ? '' : h('span', { class: 'muted' }, ' (not operative today)'),
    ),
    facts([
      ['Legal basis', p.mra.legalBasis],
      [
        'In force',
        p.mra.inForceFrom ? `${p.mra.inForceFrom} – ${p.mra.inForceUntil ?? 'open-ended'}` : 'not in force',
      ],
      ['We share', p.mra.scope.outboundAuthorisationTypes.join(', ')],
      [
        'We recognise',
        [...p.mra.scope.inboundAuthorisationTypes, ...p.mra.scope.inboundProgrammes].join(', '),
      ],
      ['Benefits', p.mra.benefits.join(', ')],
      ['Last out', last(p.lastOutbound)],
      ['Last in', last(p.lastInbound)],
      ['Last receipt', p.lastReceipt ? time(p.lastReceipt.at) : '—'],
      ['Outbound', counts(p.outboundByState)],
      [`Inbound (${p.inboundByOutcome.windowDays} days)`, counts(p.inboundByOutcome.counts)],
    ]),
    h('p', {}, link('Message flow →', 'flow', p.partner)),
  );
}

export async function partnersPage() {
  const { partners } = await getJson('/v1/partners');
  return [h('h1', {}, 'MRA partners'), h('div', { class: 'cards' }, partners.map(partnerCard))];
}

export async function partnerPage({ id }) {
  const p = await getJson(`/v1/partners/${encodeURIComponent(id)}`);
  return [
    h('h1', {}, `Partner ${p.partner.toUpperCase()}`),
    partnerCard(p),
    h('h2', {}, 'Arrangement'),
    table(
      [
        ['Setting', (r) => r[0]],
        ['Value', (r) => r[1]],
      ],
      [
        ['MRA configuration version', String(p.mra.version)],
        ['Receipt SLA', `${p.mra.receiptSlaMinutes} min`],
        ['Data freshness SLA', `${p.mra.freshnessSlaHours} h`],
      ],
    ),
  ];
}
