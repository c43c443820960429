import { getJson } from './api.js';
import { badge, facts, h, time } from './dom.js';

export async function chainPage() {
  const status = await getJson('/v1/audit-chain/status');
  const anchor = !status.anchor
    ? 'the log is empty'
    : status.anchor.kind === 'genesis'
      ? 'entry 1 (no signed checkpoint yet)'
      : `signed checkpoint at seq ${status.anchor.seq} (${time(status.anchor.createdAt)}, key ${status.anchor.kid})`;
  return [
    h('h1', {}, 'Audit chain status'),
    h(
      'section',
      { class: 'card' },
      facts([
        ['Status', h('span', { id: 'chain-ok' }, badge(status.ok ? 'OK' : 'BROKEN'))],
        [
          'Checked',
          status.checked
            ? `entries ${status.checked.from} to ${status.checked.to} (${status.checked.entries})`
            : 'nothing to check',
        ],
        ['Anchored at', anchor],
        [
          'Signed checkpoints checked',
          status.checkpointsChecked === 0
            ? 'none in this range'
            : `${status.checkpointsChecked} (signatures ${status.signatures})`,
        ],
        ['Head', status.head === null ? '—' : String(status.head)],
        [
          'Not checked now',
          status.notChecked > 0
            ? `${status.notChecked} entries after ${status.checked.to}: run mra audit verify`
            : 'none',
        ],
        ['Took', `${status.durationMs} ms`],
      ]),
    ),
    status.problem
      ? h(
          'div',
          { class: 'alert', role: 'alert' },
          `${status.problem.kind} at seq ${status.problem.seq}: ${status.problem.message}`,
        )
      : null,
    h('p', { class: 'muted' }, 'The whole log, with exports for offline checks: mra audit verify.'),
  ];
}
