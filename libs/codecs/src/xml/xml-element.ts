import { GatewayError } from '@aeo/domain';

/**
 * A parsed XML element, independent of the parser library. Every element knows its path
 * (`/Root/Operator[2]/Status`), so mappers raise errors that point at the exact element.
 * Names are local names; `namespace` is the resolved namespace URI.
 */
export class XmlElement {
  constructor(
    readonly name: string,
    readonly namespace: string,
    readonly attributes: ReadonlyMap<string, string>,
    readonly children: readonly XmlElement[],
    readonly text: string,
    readonly path: string,
  ) {}

  all(name: string): XmlElement[] {
    return this.children.filter((child) => child.name === name);
  }

  optional(name: string): XmlElement | undefined {
    const found = this.all(name);
    if (found.length > 1) {
      throw new GatewayError('UNEXPECTED_FIELD', `${name} appears ${found.length} times; expected at most once`, found[1].path);
    }
    return found[0];
  }

  required(name: string): XmlElement {
    const found = this.optional(name);
    if (!found) throw new GatewayError('MISSING_REQUIRED_FIELD', `${name} is required`, `${this.path}/${name}`);
    return found;
  }

  /** Text of a leaf element; markup inside it would otherwise be dropped silently. */
  private leafText(element: XmlElement): string {
    const child = element.children[0];
    if (child) throw new GatewayError('UNEXPECTED_FIELD', `${element.name} holds text, not element ${child.name}`, child.path);
    return element.text;
  }

  /** Trimmed text of a required child; an empty element counts as missing. */
  requiredText(name: string): string {
    const element = this.required(name);
    const value = this.leafText(element).trim();
    if (value === '') throw new GatewayError('MISSING_REQUIRED_FIELD', `${name} is empty`, element.path);
    return value;
  }

  optionalText(name: string): string | undefined {
    const element = this.optional(name);
    const value = element ? this.leafText(element).trim() : undefined;
    return value === '' ? undefined : value;
  }

  attribute(name: string): string | undefined {
    return this.attributes.get(name);
  }

  requiredAttribute(name: string): string {
    const value = this.attributes.get(name);
    if (value === undefined || value.trim() === '') {
      throw new GatewayError('MISSING_REQUIRED_FIELD', `attribute ${name} is required`, `${this.path}/@${name}`);
    }
    return value.trim();
  }

  /** Reject children this format does not define, so a typo never passes as "absent". */
  allowOnly(names: readonly string[]): this {
    const unknown = this.children.find((child) => !names.includes(child.name));
    if (unknown) throw new GatewayError('UNEXPECTED_FIELD', `unexpected element ${unknown.name}`, unknown.path);
    return this;
  }

  expectNamespace(namespace: string): this {
    if (this.namespace !== namespace) {
      throw new GatewayError(
        'WRONG_NAMESPACE',
        `${this.name} is in namespace '${this.namespace}'; expected '${namespace}'`,
        this.path,
      );
    }
    return this;
  }
}
