import { session, whoIs } from './api.js';
import { errorBox, h, replace } from './dom.js';
import { loginPage } from './page-login.js';
import { partnerPage, partnersPage } from './page-partners.js';
import { flowPage } from './page-flow.js';
import { dlqPage } from './page-dlq.js';
import { auditEntryPage, auditPage } from './page-audit.js';
import { chainPage } from './page-chain.js';
import { recognitionPage } from './page-recognition.js';
import { reportPage, reportsPage } from './page-reports.js';

// Menu items per role; the server checks roles on every call anyway, this only hides what would be refused.
const MENU = [
  {
    route: 'partners',
    label: 'Partners',
    roles: ['operator', 'auditor'],
    page: partnersPage,
    detail: partnerPage,
  },
  { route: 'flow', label: 'Message flow', roles: ['operator', 'auditor'], page: flowPage, detail: flowPage },
  { route: 'dlq', label: 'Dead letters', roles: ['operator', 'auditor'], page: dlqPage },
  { route: 'audit', label: 'Audit log', roles: ['auditor'], page: auditPage, detail: auditEntryPage },
  { route: 'chain', label: 'Chain status', roles: ['auditor'], page: chainPage },
  { route: 'recognition', label: 'Recognition', roles: ['risk-system', 'operator'], page: recognitionPage },
  {
    route: 'reports',
    label: 'Test runs',
    roles: ['operator', 'auditor'],
    page: reportsPage,
    detail: reportPage,
  },
];

function parseHash() {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [route = '', ...rest] = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { route, rest, query: Object.fromEntries(new URLSearchParams(query)) };
}

export function navigate(route, query = {}) {
  const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== ''));
  const target = `#/${route}${params.toString() ? `?${params}` : ''}`;
  if (location.hash === target) void render();
  else location.hash = target;
}

function allowedFor(identity) {
  return MENU.filter((item) => identity && item.roles.includes(identity.role));
}

function renderChrome(identity, current) {
  replace(
    document.getElementById('menu'),
    allowedFor(identity).map((item) =>
      h('a', { href: `#/${item.route}`, class: item.route === current ? 'current' : undefined }, item.label),
    ),
  );
  replace(
    document.getElementById('who'),
    identity
      ? [
          h('span', {}, `${identity.name} (${identity.role})`),
          h('button', { type: 'button', id: 'logout', onClick: logout }, 'Log out'),
        ]
      : [],
  );
}

function logout() {
  session.end();
  navigate('login');
}

async function render() {
  const main = document.getElementById('main');
  const { route, rest, query } = parseHash();
  const identity = session.token ? session.identity : null;
  if (!identity || route === 'login') {
    if (identity) session.end();
    renderChrome(null, 'login');
    replace(main, loginPage({ onLoggedIn: (who) => navigate(allowedFor(who)[0]?.route ?? 'home') }));
    return;
  }
  renderChrome(identity, route);
  const allowed = allowedFor(identity);
  const item = allowed.find((m) => m.route === route);
  if (!item) {
    replace(
      main,
      h('h1', {}, 'MRA gateway console'),
      allowed.length
        ? h('p', {}, 'Choose a page from the menu.')
        : h('p', { class: 'muted' }, `The role ${identity.role} has no console pages.`),
    );
    return;
  }
  replace(main, h('p', { class: 'muted' }, 'Loading…'));
  try {
    const page =
      rest.length > 0 && item.detail
        ? await item.detail({ id: rest[0], query, identity, navigate })
        : await item.page({ query, identity, navigate });
    replace(main, page);
  } catch (error) {
    if (error.status === 401) {
      session.end();
      navigate('login');
      return;
    }
    replace(main, errorBox(error));
  }
}

async function start() {
  // A stored session is re-checked once: a key removed from MRA_API_KEYS ends it.
  if (session.token) {
    try {
      const who = await whoIs(session.token);
      session.start(session.token, who);
    } catch {
      session.end();
    }
  }
  window.addEventListener('hashchange', () => void render());
  await render();
}

void start();
