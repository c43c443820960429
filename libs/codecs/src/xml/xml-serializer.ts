import { GatewayError } from '@aeo/domain';
import { Builder } from 'xml2js';
import { CONTROL_CHARACTERS } from '../text-input.js';

/**
 * A tree to write, in document order. Names carry their prefix (`eec:AEORecord`); namespace
 * declarations are ordinary attributes (`xmlns:eec`). Children with the same name must be
 * adjacent (xml2js's builder groups them), which all our formats respect.
 */
export interface XmlNodeSpec {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly text?: string;
  readonly children?: readonly (XmlNodeSpec | undefined)[];
}

/** Leaf helper: undefined values produce no element, so optional fields stay absent. */
export function leaf(name: string, text: string | number | boolean | undefined): XmlNodeSpec | undefined {
  return text === undefined ? undefined : { name, text: String(text) };
}

export function node(name: string, children: readonly (XmlNodeSpec | undefined)[], attributes?: Record<string, string>): XmlNodeSpec {
  return attributes ? { name, children, attributes } : { name, children };
}

/** The serializer behind the gateway's XML output; xml2js today, swappable behind this port. */
export interface XmlTreeSerializer {
  serialize(root: XmlNodeSpec): Uint8Array;
}

type Xml2jsValue = { $?: Record<string, string>; _?: string; [child: string]: unknown };

function toXml2js(spec: XmlNodeSpec, path: string): Xml2jsValue | string {
  const children = (spec.children ?? []).filter((c): c is XmlNodeSpec => c !== undefined);
  if (spec.text !== undefined && CONTROL_CHARACTERS.test(spec.text)) {
    throw new GatewayError('CANNOT_ENCODE', 'text contains characters XML 1.0 cannot carry', path);
  }
  if (!spec.attributes && children.length === 0) return spec.text ?? '';
  const value: Xml2jsValue = {};
  if (spec.attributes) value.$ = { ...spec.attributes };
  if (spec.text !== undefined) value._ = spec.text;
  for (const child of children) {
    const converted = toXml2js(child, `${path}/${child.name}`);
    const existing = value[child.name];
    if (existing === undefined) value[child.name] = [converted];
    else (existing as unknown[]).push(converted);
  }
  return value;
}

export class Xml2jsTreeSerializer implements XmlTreeSerializer {
  private readonly builder = new Builder({
    xmldec: { version: '1.0', encoding: 'UTF-8' },
    renderOpts: { pretty: true, indent: '  ', newline: '\n' },
  });

  serialize(root: XmlNodeSpec): Uint8Array {
    const tree = { [root.name]: toXml2js(root, `/${root.name}`) };
    return Buffer.from(`${this.builder.buildObject(tree)}\n`, 'utf8');
  }
}
