import { postJson } from './api.js';
import { badge, errorBox, facts, h, replace, time } from './dom.js';

const ROLES = [
  '',
  'MANUFACTURER',
  'EXPORTER',
  'IMPORTER',
  'CUSTOMS_BROKER',
  'CARRIER',
  'FREIGHT_FORWARDER',
  'CONSOLIDATOR',
  'WAREHOUSE_KEEPER',
  'TERMINAL_OPERATOR',
  'GROUND_HANDLER',
];

function decisionView(d) {
  return h(
    'section',
    { class: 'card', id: 'decision' },
    h('h2', {}, badge(d.recognised ? 'RECOGNISED' : 'NOT RECOGNISED'), ' ', d.reasonCode),
    h('p', {}, d.explanation),
    facts([
      ['Partner', d.partner],
      ['AEO id', d.aeoIdNormalized],
      ['Status at arrival', d.status],
      ['Authorisation type', d.authorisationType],
      ['Benefits', d.benefits.join(', ') || 'none'],
      [
        'Partner data',
        d.stale
          ? `stale (last received ${d.partnerDataReceivedAt ?? 'never'})`
          : `fresh (${d.partnerDataReceivedAt ?? '—'})`,
      ],
      [
        'Evidence',
        d.evidence
          ? `message ${d.evidence.sourceMessageId ?? '—'}, version ${d.evidence.recordVersion}, stored ${d.evidence.storedAt}`
          : null,
      ],
      ['Arrival', d.arrivalTime],
      ['Decided', d.decidedAt],
    ]),
  );
}

export function recognitionPage() {
  const result = h('div', { id: 'recognition-result' });
  const id = h('input', { name: 'declaredAeoId', required: true, placeholder: 'CN4403960001' });
  const reference = h('input', {
    name: 'declarationReference',
    required: true,
    placeholder: 'declaration number',
  });
  const role = h(
    'select',
    { name: 'role' },
    ROLES.map((r) => h('option', { value: r }, r || 'any')),
  );
  const arrival = h('input', { name: 'arrivalTime', placeholder: `now (${time(Date.now())})` });
  const submit = async (event) => {
    event.preventDefault();
    try {
      const decision = await postJson('/v1/recognitions', {
        declaredAeoId: id.value.trim(),
        declarationReference: reference.value.trim(),
        ...(role.value ? { role: role.value } : {}),
        ...(arrival.value.trim() ? { arrivalTime: arrival.value.trim() } : {}),
      });
      replace(result, decisionView(decision));
    } catch (error) {
      replace(result, errorBox(error));
    }
  };
  return [
    h('h1', {}, 'Recognition on arrival'),
    h('p', { class: 'muted' }, 'Every lookup is a recognition decision and is audited.'),
    h(
      'form',
      { class: 'filters', onSubmit: submit },
      h('label', {}, 'Declared AEO id', id),
      h('label', {}, 'Declaration reference', reference),
      h('label', {}, 'Role', role),
      h('label', {}, 'Arrival time (ISO, optional)', arrival),
      h('button', { type: 'submit' }, 'Look up'),
    ),
    result,
  ];
}
