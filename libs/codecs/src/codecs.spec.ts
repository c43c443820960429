import { describe, expect, it } from '@jest/globals';
import { GatewayError } from '@aeo/domain';
import { homeRecord, message } from '../../../test/support/builders.js';
import { CanonicalJsonCodec, parseJsonSafely, parseXmlSafely } from './index.js';

async function reasonOf(action: () => unknown): Promise<{ code: string; path?: string }> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { code: error.code, ...(error.path ? { path: error.path } : {}) };
  }
  return { code: 'ACCEPTED' };
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('hardened XML input', () => {
  it('parses namespaces, attributes and element paths', async () => {
    const root = await parseXmlSafely(utf8('<a:R xmlns:a="urn:x" v="1"><a:I>1</a:I><a:I>2</a:I><B/></a:R>'));
    expect(root.name).toBe('R');
    expect(root.namespace).toBe('urn:x');
    expect(root.attribute('v')).toBe('1');
    expect(root.all('I').map((i) => [i.text, i.path])).toEqual([['1', '/R/I[1]'], ['2', '/R/I[2]']]);
    expect(root.required('B').path).toBe('/R/B');
  });

  it.each([
    ['<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>', 'XML_ENTITY_FORBIDDEN'],
    ['<!DOCTYPE r SYSTEM "file:///etc/passwd"><r/>', 'XML_DTD_FORBIDDEN'],
    ['<r><a></r>', 'MALFORMED_XML'],
    ['<r>&undeclared;</r>', 'MALFORMED_XML'],
    ['<?xml version="1.0" encoding="ISO-8859-1"?><r/>', 'INVALID_ENCODING'],
    [`${'<a>'.repeat(40)}${'</a>'.repeat(40)}`, 'NESTING_TOO_DEEP'],
  ])('rejects %s with %s', async (xml, code) => {
    expect((await reasonOf(() => parseXmlSafely(utf8(xml)))).code).toBe(code);
  });

  it('rejects invalid UTF-8 and oversize input before parsing', async () => {
    expect((await reasonOf(() => parseXmlSafely(Buffer.from([0x3c, 0x72, 0xff, 0x3e])))).code).toBe('INVALID_ENCODING');
    expect((await reasonOf(() => parseXmlSafely(utf8('<r/>'), { maxBytes: 3, maxDepth: 5 }))).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('names the element path of a missing or duplicated field', async () => {
    const root = await parseXmlSafely(utf8('<R><O><S>1</S><S>2</S></O></R>'));
    expect(await reasonOf(() => root.required('O').required('X'))).toEqual({ code: 'MISSING_REQUIRED_FIELD', path: '/R/O/X' });
    expect(await reasonOf(() => root.required('O').optional('S'))).toEqual({ code: 'UNEXPECTED_FIELD', path: '/R/O/S[2]' });
  });
});

describe('hardened JSON input', () => {
  it.each([
    ['{"a":{"__proto__":{"x":1}}}', 'FORBIDDEN_KEY', '/a/__proto__'],
    ['{"constructor":{"prototype":{}}}', 'FORBIDDEN_KEY', '/constructor'],
    ['{"a":', 'MALFORMED_JSON', undefined],
    [`${'['.repeat(40)}${']'.repeat(40)}`, 'NESTING_TOO_DEEP', undefined],
  ])('rejects %s with %s', async (json, code, path) => {
    const reason = await reasonOf(() => parseJsonSafely(utf8(json)));
    expect(reason.code).toBe(code);
    if (path) expect(reason.path).toBe(path);
  });
});

describe('canonical JSON codec', () => {
  const delta = message('AEO_STATUS_DELTA', { programme: 'KZ-SRC', records: [homeRecord()] });

  it('round-trips a valid message byte for byte', () => {
    const bytes = CanonicalJsonCodec.encode(delta);
    expect(CanonicalJsonCodec.decode(bytes)).toEqual(delta);
    expect(Buffer.from(CanonicalJsonCodec.encode(CanonicalJsonCodec.decode(bytes))).equals(Buffer.from(bytes))).toBe(true);
  });

  it.each([
    ['unknown status', { status: 'DORMANT' }, 'UNKNOWN_STATUS_CODE', '/body/records/0/status'],
    ['impossible date', { validFrom: '2024-02-30' }, 'INVALID_DATE', '/body/records/0/validFrom'],
    ['bad BIN check digit', { traderIds: [{ scheme: 'KZ-BIN', value: '990740000684' }] }, 'IDENTIFIER_CHECK_DIGIT', '/body/records/0/traderIds/0/value'],
    ['wrong normalised id', { aeoIdNormalized: 'KZ/9/ТИП 3' }, 'INVALID_VALUE', '/body/records/0/aeoIdNormalized'],
    ['unknown field', { colour: 'red' }, 'UNEXPECTED_FIELD', '/body/records/0/colour'],
    ['type differs from certificate', { authorisationType: 'EAEU_TYPE1' }, 'BUSINESS_RULE_VIOLATION', '/body/records/0/authorisationType'],
  ])('rejects a record with %s', (_, change, code, path) => {
    const bad = { ...delta, body: { ...delta.body, records: [{ ...homeRecord(), ...change }] } };
    const reason = (() => {
      try {
        CanonicalJsonCodec.decode(utf8(JSON.stringify(bad)));
        return { code: 'ACCEPTED' };
      } catch (error) {
        return (error as GatewayError).toJSON();
      }
    })();
    expect(reason).toMatchObject({ code, path });
  });

  it('rejects a message without an envelope field', async () => {
    const { environment: _omitted, ...envelope } = delta.envelope;
    const reason = await reasonOf(() => CanonicalJsonCodec.decode(utf8(JSON.stringify({ ...delta, envelope }))));
    expect(reason).toEqual({ code: 'MISSING_REQUIRED_FIELD', path: '/envelope/environment' });
  });
});

describe('XML pre-scan (linear, before the parser)', () => {
  it.each([
    [`<R${Array.from({ length: 70 }, (_, i) => ` a${i}="x"`).join('')}/>`, 'MALFORMED_XML'],
    ['<R a="1" a="2"/>', 'MALFORMED_XML'],
    ['<R/><R xmlns="urn:evil"/>', 'MALFORMED_XML'],
    ['<R></R> garbage <<< &', 'MALFORMED_XML'],
    [`<p:R xmlns:p="urn:p">${'<p:a xmlns:z="u">'.repeat(20_000)}`, 'NESTING_TOO_DEEP'],
  ])('refuses %#', async (xml, code) => {
    expect((await reasonOf(() => parseXmlSafely(utf8(xml)))).code).toBe(code);
  });

  it('accepts comments and processing instructions after the root, and > inside attribute values', async () => {
    const root = await parseXmlSafely(utf8('<?xml version="1.0"?><R a="1 > 0"><!-- c --><S>x</S></R>\n<!-- end --><?pi x?>\n'));
    expect(root.required('S').text).toBe('x');
  });

  it('refuses markup inside a text element instead of dropping it', async () => {
    const root = await parseXmlSafely(utf8('<R><Name>Visible<Name>hidden</Name> tail</Name></R>'));
    expect(await reasonOf(() => root.requiredText('Name'))).toEqual({ code: 'UNEXPECTED_FIELD', path: '/R/Name/Name' });
  });
});
