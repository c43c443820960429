/**
 * Hostile input for the gateway's own JSON form of canonical messages
 * (CanonicalJsonCodec.decode: what `mra convert`/`mra sign` read and what the registers are
 * built from). The base is a valid status delta of one home record, from test/support/builders.
 */
import { DEFAULT_LIMITS, encodeJson } from '@aeo/codecs';
import type { CanonicalCase, Category, Expected } from '../case-types.js';
import { addJsonMember, setJsonRaw, setJsonValue, utf8 } from '../support/formats.js';
import { homeRecord, message } from '../../support/builders.js';

const BASE_ID = '0b9d7c1e-2f3a-4b5c-8d6e-7f8091a2b3c4';

function baseJson(): string {
  return Buffer.from(
    encodeJson(
      message('AEO_STATUS_DELTA', { programme: 'KZ-SRC', records: [homeRecord()] }, { messageId: BASE_ID }),
    ),
  ).toString('utf8');
}

const RECORD = ['body', 'records', '0'];
const LEGAL_NAME = [...RECORD, 'legalName'];

interface Draft {
  readonly name: string;
  readonly category: Category;
  readonly expect: Expected;
  readonly input: () => Uint8Array;
}

const DRAFTS: Draft[] = [
  {
    name: 'proto-in-the-envelope',
    category: 'prototype-pollution',
    expect: 'FORBIDDEN_KEY',
    input: () => utf8(addJsonMember(baseJson(), ['envelope'], '"__proto__": {"recipient": "KZ-SRC"}')),
  },
  {
    name: 'proto-in-a-record',
    category: 'prototype-pollution',
    expect: 'FORBIDDEN_KEY',
    input: () => utf8(addJsonMember(baseJson(), RECORD, '"__proto__": {"status": "ACTIVE"}')),
  },
  {
    name: 'constructor-prototype-in-the-consent',
    category: 'prototype-pollution',
    expect: 'FORBIDDEN_KEY',
    input: () =>
      utf8(
        addJsonMember(baseJson(), [...RECORD, 'consent'], '"constructor": {"prototype": {"granted": true}}'),
      ),
  },
  {
    name: 'prototype-in-a-trader-id',
    category: 'prototype-pollution',
    expect: 'FORBIDDEN_KEY',
    input: () => utf8(addJsonMember(baseJson(), [...RECORD, 'traderIds', '0'], '"prototype": null')),
  },
  {
    name: 'escaped-proto-at-the-root',
    category: 'prototype-pollution',
    expect: 'FORBIDDEN_KEY',
    input: () => utf8(addJsonMember(baseJson(), [], '"\\u005f_proto__": {}')),
  },
  {
    name: 'arrays-one-level-over-the-limit',
    category: 'deep-nesting',
    expect: 'NESTING_TOO_DEEP',
    input: () =>
      utf8(
        setJsonRaw(
          baseJson(),
          LEGAL_NAME,
          `${'['.repeat(DEFAULT_LIMITS.maxDepth)}"x"${']'.repeat(DEFAULT_LIMITS.maxDepth)}`,
        ),
      ),
  },
  {
    name: '1000000-nested-arrays',
    category: 'deep-nesting',
    expect: 'NESTING_TOO_DEEP',
    input: () => utf8(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`),
  },
  {
    name: 'one-byte-over-the-sixteen-megabyte-limit',
    category: 'oversize',
    expect: 'PAYLOAD_TOO_LARGE',
    input: () => {
      const base = utf8(baseJson());
      return Buffer.concat([base, Buffer.alloc(DEFAULT_LIMITS.maxBytes + 1 - base.length, 0x20)]);
    },
  },
  {
    name: 'byte-fe-in-a-name',
    category: 'invalid-utf8',
    expect: 'INVALID_ENCODING',
    input: () =>
      Buffer.concat([utf8(baseJson().slice(0, 40)), Buffer.from([0xfe]), utf8(baseJson().slice(40))]),
  },
  {
    name: 'utf16be-with-bom',
    category: 'invalid-utf8',
    expect: 'INVALID_ENCODING',
    input: () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(baseJson(), 'utf16le').swap16()]),
  },
  {
    name: 'truncated',
    category: 'malformed',
    expect: 'MALFORMED_JSON',
    input: () => utf8(baseJson().slice(0, 100)),
  },
  {
    name: 'javascript-instead-of-json',
    category: 'malformed',
    expect: 'MALFORMED_JSON',
    input: () => utf8(`({envelope: {}, body: (() => process.exit(1))()})`),
  },
  {
    name: 'unknown-member-in-a-record',
    category: 'smuggling',
    expect: 'UNEXPECTED_FIELD',
    input: () => utf8(addJsonMember(baseJson(), RECORD, '"isAdmin": true')),
  },
  {
    name: 'nul-in-a-name',
    category: 'smuggling',
    expect: 'INVALID_VALUE',
    input: () => utf8(setJsonValue(baseJson(), LEGAL_NAME, 'Evil\u0000Corp')),
  },
  {
    name: 'version-1e400',
    category: 'smuggling',
    expect: 'SCHEMA_VIOLATION',
    input: () => utf8(setJsonRaw(baseJson(), [...RECORD, 'recordVersion'], '1e400')),
  },
  {
    name: 'name-as-an-object',
    category: 'smuggling',
    expect: 'SCHEMA_VIOLATION',
    input: () => utf8(setJsonValue(baseJson(), LEGAL_NAME, { $ne: null })),
  },
  {
    name: 'root-is-an-array',
    category: 'smuggling',
    expect: 'SCHEMA_VIOLATION',
    input: () => utf8(`[${baseJson()}]`),
  },
  {
    name: 'recipient-is-not-a-programme',
    category: 'wrong-recipient',
    expect: 'UNKNOWN_PROGRAMME',
    input: () => utf8(setJsonValue(baseJson(), ['envelope', 'recipient'], "KZ-SRC' OR '1'='1")),
  },
];

export const CANONICAL_CASES: CanonicalCase[] = DRAFTS.map(({ name, ...rest }) => ({
  ...rest,
  id: `canonical/${rest.category}/${name}`,
  target: 'canonical' as const,
}));
