import { session, whoIs } from './api.js';
import { h, replace } from './dom.js';

export function loginPage({ onLoggedIn }) {
  const status = h('div', { id: 'login-status' });
  const input = h('input', {
    id: 'api-key',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    placeholder: 'Bearer token',
  });
  const submit = async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    try {
      const identity = await whoIs(token);
      session.start(token, identity);
      input.value = '';
      onLoggedIn(identity);
    } catch (error) {
      replace(
        status,
        h(
          'div',
          { class: 'alert', role: 'alert' },
          error.status === 401
            ? 'That API key was not accepted.'
            : `Log-in failed: ${error.code}: ${error.message}`,
        ),
      );
    }
  };
  return h(
    'section',
    { class: 'login' },
    h('h1', {}, 'Log in'),
    h(
      'p',
      { class: 'muted' },
      'Paste your API key. It is kept in this browser tab only and forgotten when you log out or close the tab.',
    ),
    status,
    h(
      'form',
      { onSubmit: submit, class: 'card' },
      h('label', {}, 'API key', input),
      h('p', {}, h('button', { type: 'submit', id: 'login' }, 'Log in')),
    ),
  );
}
