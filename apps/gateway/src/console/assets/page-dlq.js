import { getJson, postJson } from './api.js';
import { badge, errorBox, h, replace, table } from './dom.js';

export async function dlqPage({ identity, query, navigate }) {
  const { messages } = await getJson('/v1/dlq', { limit: 200 });
  const status = h(
    'div',
    { id: 'dlq-status' },
    query.replayed
      ? h(
          'div',
          { class: 'notice', role: 'status' },
          `Replayed ${query.replayed} into its partner's inbound queue.`,
        )
      : null,
  );
  const canReplay = identity.role === 'operator';
  const replay = async (message, button) => {
    button.disabled = true;
    try {
      await postJson(`/v1/dlq/${encodeURIComponent(message.messageId)}/replay`);
      navigate('dlq', { replayed: message.messageId });
    } catch (error) {
      button.disabled = false;
      replace(status, errorBox(error));
    }
  };
  const columns = [
    ['Partner', (m) => m.partner],
    ['Type', (m) => m.type ?? '—'],
    ['Message id', (m) => h('span', { class: 'mono' }, m.messageId ?? '—')],
    ['Reason', (m) => badge(m.reason)],
    ['Detail', (m) => m.detail],
    ['Attempts', (m) => String(m.attempts), { class: 'num' }],
    ['Bytes', (m) => String(m.bytes), { class: 'num' }],
  ];
  if (canReplay) {
    columns.push([
      '',
      (m) => {
        if (!m.messageId) return '';
        const button = h(
          'button',
          { type: 'button', class: 'replay', 'data-message-id': m.messageId },
          'Replay',
        );
        button.addEventListener('click', () => void replay(m, button));
        return button;
      },
    ]);
  }
  return [
    h('h1', {}, 'Dead-letter queue'),
    h(
      'p',
      { class: 'muted' },
      canReplay
        ? 'Replay puts a message back on its partner’s inbound queue (audited). Fix the cause first.'
        : 'Read only: replay is for operators.',
    ),
    status,
    table(columns, messages, 'The dead-letter queue is empty.'),
  ];
}
