/**
 * Hostile JSON for the two JSON formats (kr, tr): the partner's valid base message with one
 * hostile change, or a document built from nothing, decoded by the partner's adapter.
 * Expected codes follow parseJsonSafely (byte limit, strict UTF-8, JSON.parse, then one walk
 * for nesting and forbidden keys) and then the adapter's structure rules.
 */
import type { DecodeCase } from '../case-types.js';
import {
  addJsonMember,
  baseText,
  JSON_PARTNERS,
  NAME_FIELDS,
  profileOf,
  setJsonRaw,
  setJsonValue,
  utf8,
  type Partner,
} from '../support/formats.js';

type Draft = Omit<DecodeCase, 'id' | 'target' | 'partner'> & { readonly name: string };

/** Where things sit in each format: the header object, the first record, its address, a nested array item. */
const PLACES: Readonly<
  Record<
    'kr' | 'tr',
    Readonly<Record<'header' | 'body' | 'record' | 'address' | 'traderId', readonly string[]>>
  >
> = {
  kr: {
    header: ['header'],
    body: ['payload'],
    record: ['payload', 'change_list', '0'],
    address: ['payload', 'change_list', '0', 'company', 'addr'],
    traderId: ['payload', 'change_list', '0', 'company', 'trader_ids', '0'],
  },
  tr: {
    header: ['baslik'],
    body: ['icerik'],
    record: ['icerik', 'kayitlar', '0'],
    address: ['icerik', 'kayitlar', '0', 'adres'],
    traderId: ['icerik', 'kayitlar', '0', 'kimlikNumaralari', '0'],
  },
};

/** The member holding the record version in each format. */
const VERSION: Readonly<Record<'kr' | 'tr', readonly string[]>> = {
  kr: ['payload', 'change_list', '0', 'rec_ver'],
  tr: ['icerik', 'kayitlar', '0', 'kayitSurumu'],
};

function withBytesInName(partner: Partner, bytes: readonly number[]): Uint8Array {
  const marker = '@@marker@@';
  const text = setJsonValue(
    baseText(partner),
    NAME_FIELDS[partner].legalName as readonly string[],
    `Name ${marker}`,
  );
  const whole = utf8(text);
  const at = whole.indexOf(utf8(marker));
  return Buffer.concat([whole.subarray(0, at), Buffer.from(bytes), whole.subarray(at + marker.length)]);
}

function paddedTo(partner: Partner, size: number): Uint8Array {
  const base = utf8(baseText(partner));
  return Buffer.concat([base, Buffer.alloc(size - base.length, 0x20)]);
}

function drafts(partner: 'kr' | 'tr'): Draft[] {
  const at = PLACES[partner];
  const base = () => baseText(partner);
  const name = NAME_FIELDS[partner].legalName as readonly string[];
  const member = (path: readonly string[], raw: string) => () => utf8(addJsonMember(base(), path, raw));
  const limits = profileOf(partner).limits;
  return [
    // ---- prototype pollution
    {
      name: 'proto-at-the-root',
      category: 'prototype-pollution',
      expect: 'FORBIDDEN_KEY',
      input: member([], '"__proto__": {"isAdmin": true}'),
    },
    {
      name: 'proto-in-the-header',
      category: 'prototype-pollution',
      expect: 'FORBIDDEN_KEY',
      input: member(at.header, '"__proto__": {"polluted": "yes"}'),
    },
    {
      name: 'proto-in-a-record',
      category: 'prototype-pollution',
      expect: 'FORBIDDEN_KEY',
      input: member(at.record, '"__proto__": {"status": "ACTIVE"}'),
    },
    {
      name: 'proto-in-an-address',
      category: 'prototype-pollution',
      expect: 'FORBIDDEN_KEY',
      input: member(at.address, '"__proto__": {"toString": "boom"}'),
    },
    {
      name: 'proto-in-an-array-item',
      category: 'prototype-pollution',
      expect: 'FORBIDDEN_KEY',
      input: member(at.traderId, '"__proto__": []'),
    },
    {
      name: 'proto-with-a-null-value',
      category: 'prototype-pollution',
      expect: 'FORBIDDEN_KEY',
      input: member(at.body, '"__proto__": null'),
    },
    {
      name: 'proto-spelled-with-unicode-escapes',
      category: 'prototype-pollution',
      expect: 'FORBIDDEN_KEY',
      input: member(at.record, '"\\u005f\\u005fproto\\u005f\\u005f": {"x": 1}'),
    },
    {
      name: 'constructor-prototype-chain',
      category: 'prototype-pollution',
      expect: 'FORBIDDEN_KEY',
      input: member(at.body, '"constructor": {"prototype": {"isAdmin": true}}'),
    },
    {
      name: 'constructor-alone',
      category: 'prototype-pollution',
      expect: 'FORBIDDEN_KEY',
      input: member(at.header, '"constructor": "Function"'),
    },
    {
      name: 'prototype-key',
      category: 'prototype-pollution',
      expect: 'FORBIDDEN_KEY',
      input: member(at.address, '"prototype": {"x": 1}'),
    },
    {
      name: 'proto-deep-inside-an-unknown-member',
      category: 'prototype-pollution',
      expect: 'FORBIDDEN_KEY',
      input: member(at.record, '"extension": {"a": [{"b": {"__proto__": {"x": 1}}}]}'),
    },
    // A near miss is not forbidden, but the format does not define it either.
    {
      name: 'proto-with-a-trailing-space-is-an-unknown-member',
      category: 'prototype-pollution',
      expect: 'UNEXPECTED_FIELD',
      input: member(at.record, '"__proto__ ": {"x": 1}'),
    },
    // ---- nesting
    {
      name: 'arrays-one-level-over-the-limit',
      category: 'deep-nesting',
      expect: 'NESTING_TOO_DEEP',
      input: () =>
        utf8(setJsonRaw(base(), name, `${'['.repeat(limits.maxDepth)}"x"${']'.repeat(limits.maxDepth)}`)),
    },
    {
      name: 'objects-one-level-over-the-limit',
      category: 'deep-nesting',
      expect: 'NESTING_TOO_DEEP',
      input: () =>
        utf8(setJsonRaw(base(), name, `${'{"a":'.repeat(limits.maxDepth)}1${'}'.repeat(limits.maxDepth)}`)),
    },
    {
      name: '500000-nested-arrays',
      category: 'deep-nesting',
      expect: 'NESTING_TOO_DEEP',
      input: () => utf8(`${'['.repeat(500_000)}${']'.repeat(500_000)}`),
    },
    {
      name: '100000-nested-objects-in-a-record',
      category: 'deep-nesting',
      expect: 'NESTING_TOO_DEEP',
      input: () => utf8(setJsonRaw(base(), name, `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`)),
    },
    // ---- size
    {
      name: 'exactly-at-the-byte-limit',
      category: 'oversize',
      expect: 'ACCEPTED',
      input: () => paddedTo(partner, limits.maxBytes),
    },
    {
      name: 'one-byte-over-the-limit',
      category: 'oversize',
      expect: 'PAYLOAD_TOO_LARGE',
      input: () => paddedTo(partner, limits.maxBytes + 1),
    },
    {
      name: 'sixteen-megabyte-name',
      category: 'oversize',
      expect: 'PAYLOAD_TOO_LARGE',
      input: () => utf8(setJsonValue(base(), name, 'A'.repeat(16 * 1024 * 1024))),
    },
    {
      name: 'long-name-under-the-byte-limit',
      category: 'oversize',
      expect: 'SCHEMA_VIOLATION',
      input: () => utf8(setJsonValue(base(), name, 'A'.repeat(100_000))),
    },
    // ---- encodings
    {
      name: 'byte-ff-in-a-name',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => withBytesInName(partner, [0xff]),
    },
    {
      name: 'overlong-quote-c0-a2',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => withBytesInName(partner, [0xc0, 0xa2]),
    },
    {
      name: 'utf16-surrogate-ed-b0-80',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => withBytesInName(partner, [0xed, 0xb0, 0x80]),
    },
    {
      name: 'lone-continuation-byte',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => withBytesInName(partner, [0xbf]),
    },
    {
      name: 'truncated-four-byte-sequence',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => withBytesInName(partner, [0xf0, 0x9f, 0x98]),
    },
    {
      name: 'code-point-above-10ffff',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => withBytesInName(partner, [0xf5, 0x80, 0x80, 0x80]),
    },
    {
      name: 'whole-document-in-utf16le-with-bom',
      category: 'invalid-utf8',
      expect: 'INVALID_ENCODING',
      input: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(base(), 'utf16le')]),
    },
    {
      name: 'utf8-bom-is-accepted',
      category: 'invalid-utf8',
      expect: 'ACCEPTED',
      input: () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(base())]),
    },
    // ---- well-formedness
    { name: 'empty-document', category: 'malformed', expect: 'MALFORMED_JSON', input: () => utf8('') },
    {
      name: 'truncated-in-the-middle',
      category: 'malformed',
      expect: 'MALFORMED_JSON',
      input: () => utf8(base().slice(0, Math.floor(base().length / 2))),
    },
    {
      name: 'trailing-comma',
      category: 'malformed',
      expect: 'MALFORMED_JSON',
      input: () => utf8(base().replace(/\n}\s*$/, ',\n}\n')),
    },
    {
      name: 'comment',
      category: 'malformed',
      expect: 'MALFORMED_JSON',
      input: () => utf8(`/* partner note */\n${base()}`),
    },
    {
      name: 'single-quoted-strings',
      category: 'malformed',
      expect: 'MALFORMED_JSON',
      input: () => utf8(base().replace(/"profile"/, "'profile'")),
    },
    {
      name: 'nan-as-a-version',
      category: 'malformed',
      expect: 'MALFORMED_JSON',
      input: () => utf8(setJsonRaw(base(), VERSION[partner], 'NaN')),
    },
    {
      name: 'raw-newline-inside-a-string',
      category: 'malformed',
      expect: 'MALFORMED_JSON',
      input: () => utf8(setJsonRaw(base(), name, '"line one\nline two"')),
    },
    {
      name: 'two-documents-back-to-back',
      category: 'malformed',
      expect: 'MALFORMED_JSON',
      input: () => utf8(`${base()}${base()}`),
    },
    // ---- structure tricks
    {
      name: 'root-is-an-array',
      category: 'smuggling',
      expect: 'SCHEMA_VIOLATION',
      input: () => utf8(`[${base()}]`),
    },
    {
      name: 'root-is-a-string',
      category: 'smuggling',
      expect: 'SCHEMA_VIOLATION',
      input: () => utf8(JSON.stringify(base())),
    },
    { name: 'root-is-null', category: 'smuggling', expect: 'SCHEMA_VIOLATION', input: () => utf8('null') },
    {
      name: 'name-as-an-array',
      category: 'smuggling',
      expect: 'SCHEMA_VIOLATION',
      input: () => utf8(setJsonValue(base(), name, ['Evil', 'Corp'])),
    },
    {
      name: 'name-as-an-object',
      category: 'smuggling',
      expect: 'SCHEMA_VIOLATION',
      input: () => utf8(setJsonValue(base(), name, { toString: 'Evil Corp' })),
    },
    {
      name: 'version-above-2-to-the-53',
      category: 'smuggling',
      expect: 'SCHEMA_VIOLATION',
      input: () => utf8(setJsonRaw(base(), VERSION[partner], '9007199254740993')),
    },
    {
      name: 'version-1e400',
      category: 'smuggling',
      expect: 'SCHEMA_VIOLATION',
      input: () => utf8(setJsonRaw(base(), VERSION[partner], '1e400')),
    },
    {
      name: 'version-as-a-string',
      category: 'smuggling',
      expect: 'SCHEMA_VIOLATION',
      input: () => utf8(setJsonValue(base(), VERSION[partner], '7')),
    },
    {
      name: 'nul-escape-in-a-name',
      category: 'smuggling',
      expect: 'INVALID_VALUE',
      input: () => utf8(setJsonValue(base(), name, 'Evil\u0000Corp')),
    },
    {
      name: 'escape-sequence-in-a-name',
      category: 'smuggling',
      expect: 'INVALID_VALUE',
      input: () => utf8(setJsonValue(base(), name, 'Evil\u001b[31mCorp')),
    },
    {
      name: 'unknown-member-in-a-record',
      category: 'smuggling',
      expect: 'UNEXPECTED_FIELD',
      input: member(at.record, '"isAdmin": true'),
    },
  ];
}

export const JSON_INPUT_CASES: DecodeCase[] = JSON_PARTNERS.flatMap((partner) =>
  drafts(partner).map(({ name, ...rest }) => ({
    ...rest,
    id: `decode/${partner}/${rest.category}/${name}`,
    target: 'decode' as const,
    partner,
  })),
);
