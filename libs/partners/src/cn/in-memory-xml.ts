import { XmlElement, type XmlNodeSpec } from '@aeo/codecs';

/**
 * The tree the encoder is about to serialise, seen as the decoder would see it after parsing
 * (same local names, same paths, namespace declarations dropped). Lets the encoder read back
 * its own output synchronously, without a serialise–parse cycle.
 */
export function toXmlElement(spec: XmlNodeSpec, namespace: string, path = `/${spec.name}`): XmlElement {
  const children = (spec.children ?? []).filter((child): child is XmlNodeSpec => child !== undefined);
  const counts = new Map<string, number>();
  for (const child of children) counts.set(child.name, (counts.get(child.name) ?? 0) + 1);
  const seen = new Map<string, number>();
  const elements = children.map((child) => {
    const index = (seen.get(child.name) ?? 0) + 1;
    seen.set(child.name, index);
    const childPath =
      (counts.get(child.name) ?? 0) > 1 ? `${path}/${child.name}[${index}]` : `${path}/${child.name}`;
    return toXmlElement(child, namespace, childPath);
  });
  const attributes = new Map(
    Object.entries(spec.attributes ?? {}).filter(([name]) => name !== 'xmlns' && !name.startsWith('xmlns:')),
  );
  return new XmlElement(spec.name, namespace, attributes, elements, spec.text ?? '', path);
}
