/**
 * The string writer behind the XmlTreeSerializer port must give the very bytes the xml2js
 * Builder gives for the same tree: on every tree our XML encoders build for the valid
 * fixtures, and on generated trees with every character XML escapes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Xml2jsTreeSerializer, XmlStringSerializer, type XmlNodeSpec, type XmlTreeSerializer } from '@aeo/codecs';
import { GatewayError, type CanonicalMessage } from '@aeo/domain';
import { adapterFor, codeListsOf, loadPartnerProfile } from '@aeo/partners';
import { encodeCnMessage } from '../../libs/partners/src/cn/cn-encoder.js';
import { EaeuAdapter } from '../../libs/partners/src/eaeu/eaeu-adapter.js';
import { wcoContextOf } from '../../libs/partners/src/wco/wco-context.js';
import { encodeWco } from '../../libs/partners/src/wco/wco-encoder.js';
import { listFixtures } from '../support/fixture-suite.js';

const xml2js = new Xml2jsTreeSerializer();
const writer = new XmlStringSerializer();
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

/** Serialises with the string writer and keeps the tree, so the test can serialise it with xml2js too. */
class RecordingSerializer implements XmlTreeSerializer {
  readonly trees: XmlNodeSpec[] = [];
  serialize(root: XmlNodeSpec): Uint8Array {
    this.trees.push(root);
    return writer.serialize(root);
  }
}

const encoders: Record<string, (message: CanonicalMessage, serializer: XmlTreeSerializer) => void> = {
  cn: (message, serializer) => {
    const profile = loadPartnerProfile('cn');
    encodeCnMessage(message, profile, codeListsOf(profile), {}, serializer);
  },
  eaeu: (message, serializer) => new EaeuAdapter(loadPartnerProfile('eaeu'), serializer).encode(message),
  wco: (message, serializer) => encodeWco(message, wcoContextOf(loadPartnerProfile('wco')), serializer),
};

describe.each(Object.keys(encoders))('the XML string writer on every valid %s fixture', (partner) => {
  const fixtures = listFixtures(partner).filter((f) => f.valid);

  it('has fixtures to compare', () => {
    expect(fixtures.length).toBeGreaterThan(3);
  });

  it.each(fixtures.map((f) => [f.file.split('/fixtures/')[1], f.file]))('%s: same bytes as xml2js', async (_name, file) => {
    const message = await adapterFor(partner).decode(readFileSync(file));
    const recording = new RecordingSerializer();
    encoders[partner](message, recording);
    expect(recording.trees).toHaveLength(1);
    const tree = recording.trees[0];
    expect(text(writer.serialize(tree))).toBe(text(xml2js.serialize(tree)));
  });
});

const NAMES = ['A', 'B', 'eec:Entry', 'Long_Name-1', 'c'];
/** Text drawn from characters XML escapes or that sit near the edges: & < > " ' CR LF TAB, non-ASCII, astral. */
const TEXT = fc
  .array(fc.constantFrom('a', 'Z', ' ', '&', '<', '>', '"', "'", '\r', '\n', '\t', 'é', 'Ж', '中', '😀', ';', '&amp;'), { maxLength: 12 })
  .map((parts) => parts.join(''));

const tree: fc.Memo<XmlNodeSpec> = fc.memo((depth) =>
  fc.record(
    {
      name: fc.constantFrom(...NAMES),
      attributes: fc.dictionary(fc.constantFrom('id', 'xmlns', 'xmlns:eec', 'lang'), TEXT, { maxKeys: 2 }),
      text: TEXT,
      children: depth > 1 ? fc.array(fc.option(tree(depth - 1), { nil: undefined }), { maxLength: 4 }) : fc.constant([]),
    },
    { requiredKeys: ['name'] },
  ),
);

describe('the XML string writer on generated trees', () => {
  it('gives the bytes xml2js gives: escaping, empty elements, attributes, repeated and non-adjacent names, mixed content', () => {
    fc.assert(
      fc.property(tree(4), (root) => {
        expect(text(writer.serialize(root))).toBe(text(xml2js.serialize(root)));
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses text XML 1.0 cannot carry with CANNOT_ENCODE and the element path, as the xml2js serializer does', () => {
    const root: XmlNodeSpec = { name: 'Root', children: [{ name: 'Head', children: [{ name: 'Note', text: 'bell \u0007' }] }] };
    const codeAndPath = (serializer: XmlTreeSerializer) => {
      try {
        serializer.serialize(root);
        return undefined;
      } catch (error) {
        return error instanceof GatewayError ? [error.code, error.path] : error;
      }
    };
    expect(codeAndPath(writer)).toEqual(['CANNOT_ENCODE', '/Root/Head/Note']);
    expect(codeAndPath(writer)).toEqual(codeAndPath(xml2js));
  });
});
