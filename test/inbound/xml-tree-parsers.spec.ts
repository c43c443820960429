/**
 * The sax-based XML tree parser against the xml2js one it replaces: over every valid and
 * invalid fixture of the XML partners, every hostile XML case of the catalogue and a set of
 * edge cases, both give the same tree (names, namespaces, attributes, text, paths) or refuse
 * with the same reason code and message.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEFAULT_LIMITS, parseXmlSafely, SaxTreeParser, Xml2jsTreeParser, type InputLimits, type XmlElement } from '@aeo/codecs';
import { GatewayError } from '@aeo/domain';
import { adapterFor } from '@aeo/partners';
import { repoPath } from '@aeo/config';
import { XML_INPUT_CASES } from '../hostile/cases/xml-input.js';
import { NAME_DECODE_CASES } from '../hostile/cases/names.js';

interface PlainElement {
  name: string;
  namespace: string;
  attributes: [string, string][];
  text: string;
  path: string;
  children: PlainElement[];
}

function plain(element: XmlElement): PlainElement {
  return {
    name: element.name,
    namespace: element.namespace,
    attributes: [...element.attributes],
    text: element.text,
    path: element.path,
    children: element.children.map(plain),
  };
}

async function outcome(bytes: Uint8Array, limits: InputLimits, parser: Xml2jsTreeParser | SaxTreeParser): Promise<unknown> {
  try {
    return { tree: plain(await parseXmlSafely(bytes, limits, parser)) };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { refused: error.code, message: error.message, path: error.path ?? null };
  }
}

async function expectSameOutcome(bytes: Uint8Array, limits: InputLimits): Promise<void> {
  const expected = await outcome(bytes, limits, new Xml2jsTreeParser());
  expect(await outcome(bytes, limits, new SaxTreeParser())).toEqual(expected);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.xml') ? [path] : [];
  });
}

const FIXTURES = ['cn', 'eaeu'].flatMap((partner) =>
  filesUnder(repoPath('test', 'fixtures', partner)).map((file) => [relative(repoPath('test', 'fixtures'), file), partner, file] as const),
);

const XML_PARTNER_CASES = [...XML_INPUT_CASES, ...NAME_DECODE_CASES].filter((c) => c.partner === 'cn' || c.partner === 'eaeu' || c.partner === 'wco');

const EDGE_CASES: [string, string][] = [
  ['white space between elements is dropped, text kept as written', '<R>\n  <A>  padded  </A>\n  <B>\n</B>\n</R>'],
  ['mixed content concatenates the text around children', '<R>head<A>x</A>tail</R>'],
  ['CDATA keeps white space', '<R><A><![CDATA[   ]]></A><B>a<![CDATA[<b>]]>c</B></R>'],
  ['entities, numeric references and an HTML entity sax knows', '<R><A>&amp;&lt;&gt;&quot;&apos;&#65;&#x42;&nbsp;</A></R>'],
  ['default and prefixed namespaces, attribute prefixes', '<p:R xmlns:p="urn:p" xmlns="urn:d" xmlns:q="urn:q" q:a="1" b="2"><C/><p:D/><E xmlns="">t</E></p:R>'],
  ['two prefixes for one local attribute name', '<R xmlns:a="urn:a" xmlns:b="urn:b" a:x="1" b:x="2"/>'],
  ['unbound prefix', '<p:R><A/></p:R>'],
  ['unclosed root', '<R><A>x</A>'],
  ['mismatched tags', '<R><A>x</B></R>'],
  ['undeclared entity', '<R>&bogus;</R>'],
  ['a comment and a PI after the root', '<R/><!-- c --><?pi x?>'],
  ['a malformed comment after the root', '<R/><!-- a -- b -->'],
  ['a comment with -- inside the root', '<R><!-- a -- b --></R>'],
  ['only a comment', '<!-- nothing -->'],
  ['empty document', '   '],
  ['text before the root', 'x<R/>'],
  ['repeated siblings get indexed paths', '<R><A/><B/><A><C/><C/></A></R>'],
  ['an attribute without quotes', '<R a=1/>'],
  ['a lone ampersand', '<R>a & b</R>'],
  ['a less-than in an attribute', '<R a="<"/>'],
  ['an element named like a JavaScript property', '<R><constructor>x</constructor><toString/><__proto__>y</__proto__></R>'],
  ['unicode text and names', '<R><Název>Öl & Gas ООО «Ромашка»</Název></R>'.replace('&', '&amp;')],
  ['a BOM and an XML declaration', '\uFEFF<?xml version="1.0" encoding="UTF-8"?><R>x</R>'],
];

describe('SaxTreeParser gives what Xml2jsTreeParser gives', () => {
  it.each(FIXTURES)('fixture %s', async (_name, partner, file) => {
    await expectSameOutcome(readFileSync(file), adapterFor(partner).profile.limits);
  });

  it.each(XML_PARTNER_CASES.map((c) => [c.id, c] as const))('hostile case %s', async (_id, hostile) => {
    await expectSameOutcome(hostile.input(), adapterFor(hostile.partner).profile.limits);
  });

  it.each(EDGE_CASES)('%s', async (_name, xml) => {
    await expectSameOutcome(Buffer.from(xml, 'utf8'), DEFAULT_LIMITS);
  });

  it('refuses nesting beyond the limit with the path of the first element too deep', async () => {
    const xml = `<R>${'<A>'.repeat(6)}${'</A>'.repeat(6)}<B/></R>`;
    // The pre-scan would refuse first; the parser's own check is what a direct caller gets.
    const bySax = await new SaxTreeParser().parse(xml, 4).catch((e: unknown) => e as GatewayError);
    const byXml2js = await new Xml2jsTreeParser().parse(xml, 4).catch((e: unknown) => e as GatewayError);
    expect(bySax).toBeInstanceOf(GatewayError);
    // R is level 1: the fourth A is level 5, the first beyond 4.
    expect([(bySax as GatewayError).code, (bySax as GatewayError).path]).toEqual(['NESTING_TOO_DEEP', '/R/A/A/A/A']);
    expect([(byXml2js as GatewayError).code, (byXml2js as GatewayError).path]).toEqual(['NESTING_TOO_DEEP', '/R/A/A/A/A']);
  });
});
