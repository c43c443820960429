/**
 * Mutations of valid fixtures, as data (so a failing case prints as a readable list, and
 * shrinks): structural ones first (duplicate, remove or replace an XML element or a JSON
 * member, which reach the mapping and business rules), then byte-level ones (flip, cut,
 * insert, delete, which reach the hardened parsers). Plus "havoc" documents (many small
 * structure-preserving changes at once, values transplanted between fixtures), and raw
 * random bytes and text.
 */
import fc, { type Arbitrary } from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '@aeo/config';

export type Format = 'xml' | 'json';

/** A replacement value: the leaf text (XML) or the JSON value to put in place. */
export type Replacement =
  string | number | boolean | null | readonly unknown[] | { readonly [key: string]: unknown };

export type Mutation =
  | { readonly kind: 'duplicate'; readonly which: number; readonly value?: Replacement }
  | { readonly kind: 'remove'; readonly which: number }
  | { readonly kind: 'replace'; readonly which: number; readonly value: Replacement; readonly raw?: boolean }
  | { readonly kind: 'flip'; readonly at: number; readonly xor: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number };

const STRUCTURAL = new Set(['duplicate', 'remove', 'replace']);

/** Text that tends to matter to parsers, code tables and identifier rules. */
const INTERESTING_TEXT = [
  '',
  ' ',
  '0',
  '-1',
  '1.5',
  '1e400',
  '9007199254740993',
  'NaN',
  'null',
  'true',
  'ACTIVE',
  'SUSPENDED',
  'REVOKED',
  'CONSENT_WITHDRAWN',
  '2024-02-30',
  '2024-02-29',
  '20240230',
  '9999-12-31',
  '0000-01-01',
  '2024-06-01T10:00:00Z',
  '2024-06-01T25:00:00+09:00',
  '29.02.2023',
  'KZ/0001/ТИП 1',
  'KZ/0001/TIP 3',
  'BY/0042/ТИП 4',
  'AEOCN0000000000',
  'CN6501960003',
  'TR1234567018',
  'KR1248611807',
  '990740000684',
  'KZ-SRC',
  'CN-GACC',
  'EAEU-EEC',
  'WCO-REF',
  'KR-KCS',
  'TR-MOT',
  'production',
  'pilot',
  '__proto__',
  'constructor',
  '&amp;',
  '&#0;',
  '&#x1F4A9;',
  ']]>',
  '<x/>',
  '\u0000',
  '\u0007',
  '\uFFFE',
  '\u202E',
  'ТИП',
  '٣',
  '🚚',
  "' OR '1'='1",
  '<script>alert(1)</script>',
];

/** Snippets inserted as raw bytes: markup, JSON syntax, and the classic injection vectors. */
const INTERESTING_INSERTS = [
  '<',
  '>',
  '/',
  '&',
  '"',
  "'",
  '=',
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '.',
  '\\',
  '<!ENTITY x "y">',
  '<!DOCTYPE r>',
  '&x;',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<?pi?>',
  '<x>',
  '</x>',
  'xmlns="urn:other"',
  'xmlns:a="urn:a"',
  '"__proto__":{},',
  '"constructor":{"prototype":{}},',
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
  '\u0000',
  '\uFEFF',
  '\u00e9',
  '\uD83D\uDE9A',
];

const replacementArb: Arbitrary<Replacement> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...INTERESTING_TEXT) },
  { weight: 2, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, 0, -0, 1e21, 2 ** 53) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** Mutations of the document's structure: elements (XML) or members (JSON). */
export function structuralMutationArb(): Arbitrary<Mutation> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record(
        {
          kind: fc.constant('duplicate' as const),
          which: fc.nat(),
          value: fc.option(replacementArb, { nil: undefined }),
        },
        { requiredKeys: ['kind', 'which'] },
      ),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), which: fc.nat() }) },
    // Mostly escaped as a writer would; sometimes raw, which may break the markup.
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('replace' as const),
        which: fc.nat(),
        value: replacementArb,
        raw: fc.oneof(
          { weight: 4, arbitrary: fc.constant(false) },
          { weight: 1, arbitrary: fc.constant(true) },
        ),
      }),
    },
  );
}

/** Mutations of the bytes, blind to the format. */
export function byteMutationArb(): Arbitrary<Mutation> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('flip' as const),
        at: fc.nat(),
        xor: fc.integer({ min: 1, max: 255 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        text: fc.oneof(fc.constantFrom(...INTERESTING_INSERTS), fc.string({ unit: 'binary', maxLength: 8 })),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('delete' as const),
        at: fc.nat(),
        length: fc.integer({ min: 1, max: 64 }),
      }),
    },
  );
}

export const mutationArb = (): Arbitrary<Mutation> => fc.oneof(structuralMutationArb(), byteMutationArb());

/** Structural mutations first (on valid text), then byte-level ones, each in the order given. */
export function applyMutations(base: Buffer, mutations: readonly Mutation[], format: Format): Buffer {
  const ordered = [
    ...mutations.filter((m) => STRUCTURAL.has(m.kind)),
    ...mutations.filter((m) => !STRUCTURAL.has(m.kind)),
  ];
  return ordered.reduce((bytes, mutation) => applyMutation(bytes, mutation, format), base);
}

export function applyMutation(bytes: Buffer, mutation: Mutation, format: Format): Buffer {
  switch (mutation.kind) {
    case 'flip': {
      if (bytes.length === 0) return bytes;
      const copy = Buffer.from(bytes);
      const at = mutation.at % copy.length;
      copy[at] = copy[at] ^ mutation.xor;
      return copy;
    }
    case 'truncate':
      return bytes.subarray(0, mutation.at % (bytes.length + 1));
    case 'insert': {
      const at = mutation.at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(mutation.text, 'utf8'), bytes.subarray(at)]);
    }
    case 'delete': {
      const at = mutation.at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + mutation.length)]);
    }
    default:
      return format === 'xml' ? mutateXml(bytes, mutation) : mutateJson(bytes, mutation);
  }
}

// ---------------------------------------------------------------- XML structure

interface Span {
  readonly start: number;
  readonly end: number;
  /** Inner text range for a leaf element (no child markup), for replacement. */
  readonly inner?: readonly [number, number];
}

const TAG = /<(\/?)([A-Za-z_][\w.:-]*)(?:\s[^<>]*?)?(\/?)>/g;

/** Every element of the document as a character span, in document order of its start tag. */
export function elementSpans(text: string): Span[] {
  const spans: Span[] = [];
  const stack: { name: string; start: number; innerStart: number; children: number }[] = [];
  for (const match of text.matchAll(TAG)) {
    const [whole, closing, name, selfClosing] = match;
    const at = match.index;
    if (selfClosing) {
      spans.push({ start: at, end: at + whole.length });
      if (stack.length > 0) stack[stack.length - 1].children++;
    } else if (!closing) {
      if (stack.length > 0) stack[stack.length - 1].children++;
      stack.push({ name: name, start: at, innerStart: at + whole.length, children: 0 });
    } else {
      const open = stack.pop();
      if (!open || open.name !== name) return spans;
      spans.push({
        start: open.start,
        end: at + whole.length,
        ...(open.children === 0 ? { inner: [open.innerStart, at] as const } : {}),
      });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const asText = (value: Replacement): string => (typeof value === 'string' ? value : JSON.stringify(value));

function mutateXml(bytes: Buffer, mutation: Extract<Mutation, { which: number }>): Buffer {
  const text = bytes.toString('utf8');
  // The root (first span) is never duplicated or removed: that would only ever test "malformed".
  const spans = elementSpans(text).slice(1);
  if (spans.length === 0) return bytes;
  const span = spans[mutation.which % spans.length];
  switch (mutation.kind) {
    case 'duplicate': {
      const element = text.slice(span.start, span.end);
      const copy =
        mutation.value !== undefined && span.inner
          ? `${text.slice(span.start, span.inner[0])}${xmlEscape(asText(mutation.value))}${text.slice(span.inner[1], span.end)}`
          : element;
      return Buffer.from(`${text.slice(0, span.end)}${copy}${text.slice(span.end)}`, 'utf8');
    }
    case 'remove':
      return Buffer.from(`${text.slice(0, span.start)}${text.slice(span.end)}`, 'utf8');
    case 'replace': {
      const leaves = spans.filter((s) => s.inner);
      if (leaves.length === 0) return bytes;
      const leaf = leaves[mutation.which % leaves.length];
      const value = mutation.raw ? asText(mutation.value) : xmlEscape(asText(mutation.value));
      return Buffer.from(`${text.slice(0, leaf.inner![0])}${value}${text.slice(leaf.inner![1])}`, 'utf8');
    }
  }
}

// ---------------------------------------------------------------- JSON structure

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Paths (as key lists) of every member of every object in the document. */
function memberPaths(value: Json, path: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => memberPaths(item, [...path, String(i)]));
  return Object.entries(value).flatMap(([key, item]) => [
    [...path, key],
    ...memberPaths(item, [...path, key]),
  ]);
}

/**
 * JSON text written by hand, so that one member can be written twice (JSON.stringify
 * cannot): `duplicate` adds a second `"key": …` right after the first.
 */
function write(
  value: Json,
  path: string[],
  target: string[],
  extra: { value: Json } | undefined,
  skip: boolean,
): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value))
    return `[${value.map((item, i) => write(item, [...path, String(i)], target, extra, skip)).join(',')}]`;
  const members: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const here = [...path, key];
    const isTarget = here.length === target.length && here.every((k, i) => k === target[i]);
    if (isTarget && skip) continue;
    members.push(`${JSON.stringify(key)}:${write(item, here, target, extra, skip)}`);
    if (isTarget && extra) members.push(`${JSON.stringify(key)}:${JSON.stringify(extra.value)}`);
  }
  return `{${members.join(',')}}`;
}

function setAt(root: Json, path: string[], value: Json): Json {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(root))
    return root.map((item, i) => (String(i) === head ? setAt(item, rest, value) : item));
  if (root !== null && typeof root === 'object') {
    // Object.entries/fromEntries keep a "__proto__" member as data, never as a prototype.
    return Object.fromEntries(
      Object.entries(root).map(([k, v]) => [k, k === head ? setAt(v, rest, value) : v]),
    );
  }
  return root;
}

function mutateJson(bytes: Buffer, mutation: Extract<Mutation, { which: number }>): Buffer {
  let root: Json;
  try {
    root = JSON.parse(bytes.toString('utf8')) as Json;
  } catch {
    return bytes;
  }
  const paths = memberPaths(root);
  if (paths.length === 0) return bytes;
  const target = paths[mutation.which % paths.length];
  const current = target.reduce<Json>(
    (v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, Json>)[k]! : v),
    root,
  );
  switch (mutation.kind) {
    case 'duplicate':
      return Buffer.from(
        write(root, [], target, { value: (mutation.value ?? current) as Json }, false),
        'utf8',
      );
    case 'remove':
      return Buffer.from(write(root, [], target, undefined, true), 'utf8');
    case 'replace':
      return Buffer.from(
        write(setAt(root, target, mutation.value as Json), [], [], undefined, false),
        'utf8',
      );
  }
}

// ---------------------------------------------------------------- corpora and havoc documents

type XmlTree =
  | { readonly open: string; readonly name: string; readonly children: readonly XmlTree[] }
  | { readonly text: string };

/** The element tree of a (valid, comment-free where it matters) fixture, start tags kept verbatim. */
function xmlTree(text: string): XmlTree | undefined {
  const stack: { open: string; name: string; children: XmlTree[]; innerStart: number }[] = [];
  let root: XmlTree | undefined;
  for (const match of text.matchAll(TAG)) {
    const [whole, closing, name, selfClosing] = match;
    const parent = stack[stack.length - 1];
    if (selfClosing) {
      parent?.children.push({ open: whole.replace(/\/>$/, '>'), name: name, children: [] });
    } else if (!closing) {
      stack.push({ open: whole, name: name, children: [], innerStart: match.index + whole.length });
    } else {
      const open = stack.pop()!;
      const node: XmlTree = {
        open: open.open,
        name: open.name,
        children:
          open.children.length > 0 ? open.children : [{ text: text.slice(open.innerStart, match.index) }],
      };
      if (stack.length > 0) stack[stack.length - 1].children.push(node);
      else root = node;
    }
  }
  return root;
}

/** Leaf values seen for each element (XML) or member (JSON) name across the corpus. */
function leafValues(format: Format, texts: readonly string[]): Map<string, string[]> {
  const values = new Map<string, Set<string>>();
  const add = (name: string, value: string) => {
    let set = values.get(name);
    if (!set) values.set(name, (set = new Set()));
    set.add(value);
  };
  for (const text of texts) {
    if (format === 'xml') {
      const walk = (node: XmlTree) => {
        if ('text' in node) return;
        const [only] = node.children;
        if (node.children.length === 1 && only && 'text' in only) add(node.name, only.text);
        else node.children.forEach(walk);
      };
      const tree = xmlTree(text);
      if (tree) walk(tree);
    } else {
      const walk = (name: string, value: Json) => {
        if (Array.isArray(value)) value.forEach((item) => walk(name, item));
        else if (value !== null && typeof value === 'object')
          Object.entries(value).forEach(([k, v]) => walk(k, v));
        else add(name, JSON.stringify(value));
      };
      walk('', JSON.parse(text) as Json);
    }
  }
  return new Map([...values].map(([k, v]) => [k, [...v]]));
}

export interface Corpus {
  readonly format: Format;
  /** Every valid fixture of the partner (or whatever valid messages the caller gives). */
  readonly fixtures: readonly { readonly name: string; readonly bytes: Buffer }[];
  readonly values: ReadonlyMap<string, readonly string[]>;
}

export function corpusFrom(
  format: Format,
  fixtures: readonly { readonly name: string; readonly bytes: Buffer }[],
): Corpus {
  return {
    format,
    fixtures,
    values: leafValues(
      format,
      fixtures.map((f) => f.bytes.toString('utf8')),
    ),
  };
}

/**
 * Every valid fixture of a partner (test/fixtures/<p>/<message type>/valid/). Read directly
 * rather than through fixture-suite.ts, which loads the native XSD validator this needs not.
 */
export function corpusOf(partner: string, format: Format): Corpus {
  const root = repoPath('test', 'fixtures', partner);
  const fixtures = readdirSync(root)
    .sort()
    .flatMap((messageType) => {
      const dir = join(root, messageType, 'valid');
      return existsSync(dir)
        ? readdirSync(dir)
            .sort()
            .map((file) => ({
              name: `${partner}/${messageType}/valid/${file}`,
              bytes: readFileSync(join(dir, file)),
            }))
        : [];
    });
  return corpusFrom(format, fixtures);
}

/** A mutated fixture, kept as (fixture, mutations) so a counterexample reads as a recipe. */
export interface MutatedFixture {
  readonly fixture: number;
  readonly mutations: readonly Mutation[];
}

export const mutatedFixtureArb = (corpus: Corpus): Arbitrary<MutatedFixture> =>
  fc.record({
    fixture: fc.nat({ max: corpus.fixtures.length - 1 }),
    // Half the time structure only (reaches mapping and business rules), half the time bytes too.
    mutations: fc.oneof(
      fc.array(structuralMutationArb(), { minLength: 1, maxLength: 3 }),
      fc.array(mutationArb(), { minLength: 1, maxLength: 4 }),
    ),
  });

export const bytesOfMutated = (corpus: Corpus, input: MutatedFixture): Buffer =>
  applyMutations(corpus.fixtures[input.fixture].bytes, input.mutations, corpus.format);

/**
 * "Havoc" on one fixture, driven by a tape of random numbers: the fixture's own tree is
 * written again with each element or member mostly kept, sometimes dropped or doubled, and
 * each leaf mostly kept, sometimes given a value another fixture has at the same name (a
 * status code, a date, an id from another message type) or a fresh one. Many small changes
 * at once that still look like the format, so the decoders' mapping and business rules are
 * what gets exercised.
 */
export interface HavocDocument {
  readonly fixture: number;
  readonly tape: readonly number[];
  readonly values: readonly Replacement[];
}

const havocArb = (corpus: Corpus): Arbitrary<HavocDocument> =>
  fc.record({
    fixture: fc.nat({ max: corpus.fixtures.length - 1 }),
    tape: fc.array(fc.nat({ max: 99 }), { minLength: 8, maxLength: 128 }),
    values: fc.array(replacementArb, { minLength: 1, maxLength: 6 }),
  });

class Tape {
  private i = 0;
  constructor(private readonly numbers: readonly number[]) {}
  next(): number {
    const n = this.numbers[this.i % this.numbers.length];
    this.i++;
    return n;
  }
}

function renderHavoc(corpus: Corpus, doc: HavocDocument): string {
  const tape = new Tape(doc.tape);
  const source = corpus.fixtures[doc.fixture].bytes.toString('utf8');
  // Mostly once, sometimes not at all or twice.
  const copies = () => {
    const roll = tape.next();
    return roll < 4 ? 0 : roll < 97 ? 1 : 2;
  };
  /** undefined: keep; otherwise the raw replacement (XML text, or JSON text). */
  const leaf = (name: string, escape: (value: string) => string): string | undefined => {
    const roll = tape.next();
    if (roll < 85) return undefined;
    const seen = corpus.values.get(name) ?? [];
    if (roll < 94 && seen.length > 0) return seen[tape.next() % seen.length];
    return escape(asText(doc.values[tape.next() % doc.values.length]));
  };
  if (corpus.format === 'xml') {
    const tree = xmlTree(source);
    if (!tree || 'text' in tree) return source;
    const write = (node: XmlTree): string => {
      if ('text' in node) return node.text;
      const [only] = node.children;
      if (node.children.length === 1 && only && 'text' in only) {
        return `${node.open}${leaf(node.name, xmlEscape) ?? only.text}</${node.name}>`;
      }
      return `${node.open}${node.children.flatMap((child) => Array.from({ length: copies() }, () => write(child))).join('')}</${node.name}>`;
    };
    return `<?xml version="1.0" encoding="UTF-8"?>\n${write(tree)}`;
  }
  const write = (name: string, value: Json): string => {
    if (Array.isArray(value))
      return `[${value.flatMap((item) => Array.from({ length: copies() }, () => write(name, item))).join(',')}]`;
    if (value !== null && typeof value === 'object') {
      const members = Object.entries(value).flatMap(([k, v]) =>
        Array.from({ length: copies() }, () => `${JSON.stringify(k)}:${write(k, v)}`),
      );
      return `{${members.join(',')}}`;
    }
    return leaf(name, (text) => JSON.stringify(text)) ?? JSON.stringify(value);
  };
  return write('', JSON.parse(source) as Json);
}

/** Everything a fuzz run feeds a decoder, labelled so that a counterexample says what it was. */
export type DecoderInput =
  | { readonly kind: 'mutated'; readonly input: MutatedFixture }
  | { readonly kind: 'havoc'; readonly document: HavocDocument }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

export function decoderInputArb(corpus: Corpus): Arbitrary<DecoderInput> {
  return fc.oneof(
    {
      weight: 10,
      arbitrary: mutatedFixtureArb(corpus).map((input) => ({ kind: 'mutated' as const, input })),
    },
    { weight: 6, arbitrary: havocArb(corpus).map((document) => ({ kind: 'havoc' as const, document })) },
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: 'binary', maxLength: 256 })
        .map((text) => ({ kind: 'text' as const, text })),
    },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 512 }).map((bytes) => ({ kind: 'bytes' as const, bytes })),
    },
  );
}

export function bytesOf(corpus: Corpus, input: DecoderInput): Uint8Array {
  switch (input.kind) {
    case 'mutated':
      return bytesOfMutated(corpus, input.input);
    case 'havoc':
      return Buffer.from(renderHavoc(corpus, input.document), 'utf8');
    case 'text':
      return Buffer.from(input.text, 'utf8');
    case 'bytes':
      return input.bytes;
  }
}
