import type { XmlElement } from '@aeo/codecs';
import { GatewayError } from '@aeo/domain';
import type { QName } from './eaeu-format.js';

/**
 * Namespace-aware reading on top of XmlElement (which matches local names only). Every element
 * the decoder reads is first passed through `allowOnlyChildren`, so an unknown child, or a known
 * name in the wrong namespace (csdo:DocId for aeo:DocId), is refused before any value is read.
 */
export function allowOnlyChildren(parent: XmlElement, allowed: readonly QName[]): XmlElement {
  for (const child of parent.children) {
    const expected = allowed.find((q) => q.name === child.name);
    if (!expected) throw new GatewayError('UNEXPECTED_FIELD', `unexpected element ${child.name}`, child.path);
    child.expectNamespace(expected.ns);
  }
  return parent;
}

export function requiredChild(parent: XmlElement, q: QName): XmlElement {
  return parent.required(q.name);
}

export function optionalChild(parent: XmlElement, q: QName): XmlElement | undefined {
  return parent.optional(q.name);
}

export function childrenOf(parent: XmlElement, q: QName): XmlElement[] {
  return parent.all(q.name);
}

/** Trimmed text of a leaf; an empty leaf counts as missing, and a leaf with child elements is refused. */
export function textOf(element: XmlElement): string {
  const [nested] = element.children;
  if (nested)
    throw new GatewayError(
      'UNEXPECTED_FIELD',
      `${element.name} must hold text, not ${nested.name}`,
      nested.path,
    );
  const value = element.text.trim();
  if (value === '')
    throw new GatewayError('MISSING_REQUIRED_FIELD', `${element.name} is empty`, element.path);
  return value;
}

export function requiredText(parent: XmlElement, q: QName): string {
  return textOf(requiredChild(parent, q));
}

export function optionalText(parent: XmlElement, q: QName): string | undefined {
  const element = optionalChild(parent, q);
  return element === undefined ? undefined : textOf(element);
}
