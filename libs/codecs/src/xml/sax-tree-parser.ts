import { createRequire } from 'node:module';
import { GatewayError } from '@aeo/domain';
import { XmlElement } from './xml-element.js';

/** The part of sax's API this parser uses (sax ships no types). */
interface SaxAttribute {
  readonly value: string;
  readonly prefix: string;
  readonly local: string;
}

interface SaxTag {
  readonly name: string;
  readonly local?: string;
  readonly uri?: string;
  readonly attributes: Readonly<Record<string, SaxAttribute>>;
}

interface SaxParser {
  onopentag: (tag: SaxTag) => void;
  onclosetag: () => void;
  ontext: (text: string) => void;
  oncdata: (text: string) => void;
  onerror: (error: Error) => void;
  write(text: string): SaxParser;
  close(): SaxParser;
}

const sax = createRequire(import.meta.url)('sax') as { parser(strict: boolean, options: Record<string, boolean>): SaxParser };

/** An element while the document is read; turned into an XmlElement once its siblings are known. */
interface OpenNode {
  readonly name: string;
  readonly namespace: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: OpenNode[];
  text: string;
  cdata: boolean;
}

/** Thrown from inside sax's callbacks to stop reading: the root closed, or the first error. */
class StopReading extends Error {}

const WHITE_SPACE_ONLY = /^\s*$/;

/** Most elements have no attributes: they share one empty map rather than allocate their own. */
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();

/**
 * An XmlTreeParser on sax's events directly, without xml2js in between (xml2js builds an
 * object per element, copies it property by property for `preserveChildrenOrder`, then the
 * gateway converted that again). The tree is the one `Xml2jsTreeParser` gives — the
 * differential test test/inbound/xml-tree-parsers.spec.ts holds the two to it over every
 * fixture and hostile case — and so are the refusals: the same sax in the same mode (strict,
 * namespaces, no trimming; line/column tracking off, as messages keep only their first line),
 * the first sax error is MALFORMED_XML, reading stops when the root element closes (what
 * follows was checked by the pre-scan), and text is kept unless it is white space alone (and
 * not from CDATA).
 */
export class SaxTreeParser {
  async parse(text: string, maxDepth: number): Promise<XmlElement> {
    const parser = sax.parser(true, { trim: false, normalize: false, xmlns: true, position: false });
    const stack: OpenNode[] = [];
    let root: OpenNode | undefined;
    let failure: Error | undefined;
    parser.onopentag = (tag) => {
      let attributes: Map<string, string> | undefined;
      for (const key in tag.attributes) {
        if (!Object.hasOwn(tag.attributes, key)) continue;
        const attr = tag.attributes[key];
        // Namespace declarations are how names resolve, not data.
        if (attr.prefix === 'xmlns' || (attr.prefix === '' && attr.local === 'xmlns')) continue;
        (attributes ??= new Map()).set(attr.local || attr.prefix, attr.value);
      }
      const node: OpenNode = { name: tag.local ?? tag.name.replace(/^.*:/, ''), namespace: tag.uri ?? '', attributes: attributes ?? NO_ATTRIBUTES, children: [], text: '', cdata: false };
      if (stack.length > 0) stack[stack.length - 1].children.push(node);
      stack.push(node);
    };
    parser.onclosetag = () => {
      const node = stack.pop()!;
      if (node.text !== '' && !node.cdata && WHITE_SPACE_ONLY.test(node.text)) node.text = '';
      if (stack.length === 0) {
        root = node;
        throw new StopReading();
      }
    };
    parser.ontext = (chunk) => {
      if (stack.length > 0) stack[stack.length - 1].text += chunk;
    };
    parser.oncdata = (chunk) => {
      const node = stack[stack.length - 1];
      if (node) {
        node.text += chunk;
        node.cdata = true;
      }
    };
    parser.onerror = (error) => {
      failure = error;
      throw new StopReading();
    };
    try {
      parser.write(text).close();
    } catch (error) {
      if (!(error instanceof StopReading)) failure = error as Error;
    }
    if (!root) {
      if (failure) throw new GatewayError('MALFORMED_XML', `XML is not well-formed: ${failure.message.split('\n')[0]}`, undefined, { cause: failure });
      throw new GatewayError('MALFORMED_XML', 'XML has no root element');
    }
    return toElement(root, `/${root.name}`, 1, maxDepth);
  }
}

/** Repeated siblings get a 1-based index in their path, as in Xml2jsTreeParser. */
function toElement(node: OpenNode, path: string, depth: number, maxDepth: number): XmlElement {
  if (depth > maxDepth) throw new GatewayError('NESTING_TOO_DEEP', `elements nest deeper than ${maxDepth}`, path);
  const counts = new Map<string, number>();
  for (const child of node.children) counts.set(child.name, (counts.get(child.name) ?? 0) + 1);
  const seen = new Map<string, number>();
  const children = node.children.map((child) => {
    const index = (seen.get(child.name) ?? 0) + 1;
    seen.set(child.name, index);
    const childPath = counts.get(child.name)! > 1 ? `${path}/${child.name}[${index}]` : `${path}/${child.name}`;
    return toElement(child, childPath, depth + 1, maxDepth);
  });
  // The converted subtree is no longer needed: a big document is not held twice at the end.
  node.children.length = 0;
  return new XmlElement(node.name, node.namespace, node.attributes, children, node.text, path);
}
