import { GatewayError } from '@aeo/domain';

/**
 * A linear pass over the XML text before the parser sees it, for what the parser (sax via
 * xml2js) does too late or not at all: nesting depth (checked only after a full parse, and
 * nested namespace scopes make that parse quadratic), attributes per element (duplicate
 * detection is quadratic in sax's namespace mode and misses duplicates), and anything but
 * comments, processing instructions or white space after the root element.
 */
export interface PrescanLimits {
  readonly maxDepth: number;
  readonly maxAttributes: number;
}

export function prescanXml(text: string, limits: PrescanLimits): void {
  let depth = 0;
  let rootClosed = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt === -1) {
      if (rootClosed && text.slice(i).trim() !== '') throw trailing();
      return;
    }
    if (rootClosed && text.slice(i, lt).trim() !== '') throw trailing();
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end === -1) throw new GatewayError('MALFORMED_XML', 'unterminated comment');
      i = end + 3;
      continue;
    }
    if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end === -1) throw new GatewayError('MALFORMED_XML', 'unterminated processing instruction');
      i = end + 2;
      continue;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end === -1) throw new GatewayError('MALFORMED_XML', 'unterminated CDATA section');
      if (rootClosed) throw trailing();
      i = end + 3;
      continue;
    }
    if (rootClosed) throw trailing();
    if (text[lt + 1] === '/') {
      const end = text.indexOf('>', lt + 2);
      if (end === -1) throw new GatewayError('MALFORMED_XML', 'unterminated end tag');
      depth -= 1;
      if (depth === 0) rootClosed = true;
      i = end + 1;
      continue;
    }
    // A start tag: name, then attributes `name="value"` or `name='value'`, then `>` or `/>`.
    let j = lt + 1;
    while (j < n && !/[\s/>]/.test(text[j])) j++;
    const names = new Set<string>();
    for (;;) {
      while (j < n && /\s/.test(text[j])) j++;
      if (j >= n) throw new GatewayError('MALFORMED_XML', 'unterminated start tag');
      if (text[j] === '>' || (text[j] === '/' && text[j + 1] === '>')) break;
      const eq = text.indexOf('=', j);
      if (eq === -1) throw new GatewayError('MALFORMED_XML', 'attribute without a value');
      const name = text.slice(j, eq).trim();
      let k = eq + 1;
      while (k < n && /\s/.test(text[k])) k++;
      const quote = text[k];
      if (quote !== '"' && quote !== "'") throw new GatewayError('MALFORMED_XML', `attribute ${name.slice(0, 40)} is not quoted`);
      const close = text.indexOf(quote, k + 1);
      if (close === -1) throw new GatewayError('MALFORMED_XML', 'unterminated attribute value');
      if (names.has(name)) throw new GatewayError('MALFORMED_XML', `attribute ${name.slice(0, 40)} appears twice`);
      names.add(name);
      if (names.size > limits.maxAttributes) throw new GatewayError('MALFORMED_XML', `more than ${limits.maxAttributes} attributes on one element`);
      j = close + 1;
    }
    const selfClosing = text[j] === '/';
    i = j + (selfClosing ? 2 : 1);
    if (selfClosing) {
      if (depth === 0) rootClosed = true;
      continue;
    }
    depth += 1;
    if (depth > limits.maxDepth) throw new GatewayError('NESTING_TOO_DEEP', `elements nest deeper than ${limits.maxDepth}`);
  }
}

function trailing(): GatewayError {
  return new GatewayError('MALFORMED_XML', 'content after the root element');
}
