// Every node the console builds goes through h(): text is set with textContent, never parsed
// as HTML, so partner-supplied strings (AEO names, reason texts) are always shown as text.

const EVENT = /^on[A-Z]/;

/** h('td', { class: 'num' }, 'text', child, [more]) — attributes, then children (strings become text nodes). */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (EVENT.test(name)) node.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace everything in `node` by `children`. */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

/** A table: columns are [heading, row => cell content, options?]. */
export function table(columns, rows, empty = 'Nothing to show.') {
  if (rows.length === 0) return h('p', { class: 'muted' }, empty);
  return h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map(([title]) => h('th', {}, title)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          {},
          columns.map(([, cell, options = {}]) => h('td', options, cell(row))),
        ),
      ),
    ),
  );
}

/** A definition list from [term, description] pairs. */
export function facts(pairs) {
  return h(
    'dl',
    {},
    pairs.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value ?? '—')]),
  );
}

export function time(ms) {
  if (ms === null || ms === undefined) return '—';
  return new Date(Number(ms))
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

const GOOD = new Set([
  'ACKNOWLEDGED',
  'ACCEPTED',
  'APPLIED',
  'SENT',
  'in-force',
  'OK',
  'PASSED',
  'RECOGNISED',
  'DLQ_REPLAYED',
]);
const WAITING = new Set([
  'QUEUED',
  'RETRYING',
  'pilot',
  'negotiating',
  'DUPLICATE_MESSAGE',
  'NOT_APPLICABLE',
]);

export function badge(value) {
  const text = String(value);
  const tone = GOOD.has(text) ? 'ok' : WAITING.has(text) ? 'warn' : 'bad';
  return h('span', { class: `badge ${tone}` }, text);
}

export function errorBox(error) {
  return h(
    'div',
    { class: 'alert', role: 'alert' },
    error.code ? `${error.code}: ${error.message}` : String(error.message ?? error),
  );
}

/** A hash link inside the console; parts are URI-encoded. */
export function link(text, ...parts) {
  return h('a', { href: `#/${parts.map((p) => encodeURIComponent(p)).join('/')}` }, text);
}
