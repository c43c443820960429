import { GatewayError } from '@aeo/domain';
import { CONTROL_CHARACTERS } from '../text-input.js';
import type { XmlNodeSpec, XmlTreeSerializer } from './xml-serializer.js';

/**
 * Characters XML 1.0 cannot carry, including lone surrogates (the same rule xmlbuilder applies
 * after escaping). Text is checked against CONTROL_CHARACTERS first so the reason and path
 * stay those the xml2js serializer gives.
 */
const ILLEGAL_XML_CHARACTERS =
  /[\0-\x08\x0B\f\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
const TEXT_SPECIALS = /[&<>\r]/;
const ATTRIBUTE_SPECIALS = /[&<"\t\n\r]/;

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const INDENT = '  ';

function escapeText(text: string): string {
  if (!TEXT_SPECIALS.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

function escapeAttribute(value: string): string {
  if (!ATTRIBUTE_SPECIALS.test(value)) return value;
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
}

function assertCarriable(value: string, path: string): void {
  if (ILLEGAL_XML_CHARACTERS.test(value)) {
    throw new GatewayError('CANNOT_ENCODE', 'text contains characters XML 1.0 cannot carry', path);
  }
}

/**
 * Present children in the order xml2js writes them: grouped by name, groups in order of
 * first appearance. Our formats keep same-name children adjacent, so this is normally the
 * list as given and costs one pass.
 */
function inWriteOrder(children: readonly (XmlNodeSpec | undefined)[]): XmlNodeSpec[] {
  const present = children.filter((c): c is XmlNodeSpec => c !== undefined);
  const finished = new Set<string>();
  let grouped = true;
  for (let i = 0; i < present.length && grouped; i++) {
    const name = present[i].name;
    if (finished.has(name)) grouped = false;
    if (i + 1 < present.length && present[i + 1].name !== name) finished.add(name);
  }
  if (grouped) return present;
  const groups = new Map<string, XmlNodeSpec[]>();
  for (const child of present) {
    const group = groups.get(child.name);
    if (group) group.push(child);
    else groups.set(child.name, [child]);
  }
  return [...groups.values()].flat();
}

/**
 * Writes an XmlNodeSpec tree straight into a string: the bytes the xml2js Builder (xmlbuilder,
 * pretty, two-space indent, `\n`, UTF-8 declaration, final newline) gives for the same tree,
 * without building xml2js's intermediate object and xmlbuilder's node tree first (half of the
 * CN encoder's time on a snapshot chunk went there). Escaping per XML 1.0 as xmlbuilder does
 * it: text `& < > CR`, attribute values `& < " TAB LF CR`. test/outbound/xml-string-serializer
 * compares both serializers byte for byte on every valid fixture and on generated trees.
 */
export class XmlStringSerializer implements XmlTreeSerializer {
  serialize(root: XmlNodeSpec): Uint8Array {
    return Buffer.from(this.serializeToString(root), 'utf8');
  }

  serializeToString(root: XmlNodeSpec): string {
    const out: string[] = [DECLARATION];
    this.write(root, 0, `/${root.name}`, out);
    out.push('\n');
    return out.join('');
  }

  private write(spec: XmlNodeSpec, level: number, path: string, out: string[]): void {
    if (spec.text !== undefined && CONTROL_CHARACTERS.test(spec.text)) {
      throw new GatewayError('CANNOT_ENCODE', 'text contains characters XML 1.0 cannot carry', path);
    }
    const indent = INDENT.repeat(level);
    let open = `${indent}<${spec.name}`;
    if (spec.attributes) {
      for (const name of Object.keys(spec.attributes)) {
        const value = escapeAttribute(String(spec.attributes[name]));
        assertCarriable(value, `${path}/@${name}`);
        open += ` ${name}="${value}"`;
      }
    }
    const children = spec.children ? inWriteOrder(spec.children) : [];
    const text = spec.text === undefined ? undefined : escapeText(spec.text);
    if (text !== undefined) assertCarriable(text, path);
    if (children.length === 0) {
      // xmlbuilder writes an element whose only content is empty text as empty.
      out.push(text === undefined || text === '' ? `${open}/>` : `${open}>${text}</${spec.name}>`);
      return;
    }
    out.push(`${open}>\n`);
    // Mixed content (text and elements) does not occur in our formats; written as xmlbuilder does, text first on its own line.
    if (text !== undefined) out.push(`${INDENT.repeat(level + 1)}${text}\n`);
    for (const child of children) {
      this.write(child, level + 1, `${path}/${child.name}`, out);
      out.push('\n');
    }
    out.push(`${indent}</${spec.name}>`);
  }
}
