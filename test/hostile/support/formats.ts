/**
 * The five wire formats as the hostile catalogue and the fuzz properties see them: one
 * valid base message per partner (a status delta with one record of the partner's own
 * programme), where its name fields sit, and small text surgeries on XML and JSON that keep
 * everything else byte for byte as in the committed fixture.
 */
import { readFileSync } from 'node:fs';
import { repoPath } from '@aeo/config';
import { loadPartnerProfile, type PartnerProfile } from '@aeo/partners';

export const PARTNERS = ['cn', 'eaeu', 'kr', 'tr', 'wco'] as const;
export type Partner = (typeof PARTNERS)[number];
export const XML_PARTNERS = ['cn', 'eaeu', 'wco'] as const satisfies readonly Partner[];
export const JSON_PARTNERS = ['kr', 'tr'] as const satisfies readonly Partner[];

/** A valid status delta of each partner, under test/fixtures/. */
export const BASE_FIXTURE: Readonly<Record<Partner, string>> = {
  cn: 'cn/status-delta/valid/suspension.xml',
  eaeu: 'eaeu/status-delta/valid/eec-by-suspended.xml',
  kr: 'kr/status-delta/valid/kr-change-suspended.json',
  tr: 'tr/status-delta/valid/tr-suspension.json',
  wco: 'wco/status-delta/valid/wco-ref-suspended.xml',
};

/** A valid receipt of each partner: the payload of the forged-receipt cases. */
export const RECEIPT_FIXTURE: Readonly<Record<Partner, string>> = {
  cn: 'cn/receipt/valid/accepted.xml',
  eaeu: 'eaeu/receipt/valid/eec-partially-accepts-kz-register.xml',
  kr: 'kr/receipt/valid/kr-ack-reject.json',
  tr: 'tr/receipt/valid/accepted.json',
  wco: 'wco/receipt/valid/rejected.xml',
};

/** A message with several records (the "no partial apply" fuzz property mutates one of them). */
export const MULTI_RECORD_FIXTURE: Readonly<Record<Partner, string>> = {
  cn: 'cn/snapshot/valid/gacc-list-part-1-of-2.xml',
  eaeu: 'eaeu/snapshot/valid/eec-common-register-part-1-of-2.xml',
  kr: 'kr/snapshot/valid/kr-list-page-1-of-2.json',
  tr: 'tr/snapshot/valid/tr-register-part-1-of-1.json',
  wco: 'wco/snapshot/valid/wco-ref-chunk-1-of-2.xml',
};

export function fixtureBytes(relative: string): Buffer {
  return readFileSync(repoPath('test', 'fixtures', relative));
}

export function fixtureText(relative: string): string {
  return fixtureBytes(relative).toString('utf8');
}

export const baseText = (partner: Partner): string => fixtureText(BASE_FIXTURE[partner]);

const profiles = new Map<Partner, PartnerProfile>();
export function profileOf(partner: Partner): PartnerProfile {
  let profile = profiles.get(partner);
  if (!profile) {
    profile = loadPartnerProfile(partner);
    profiles.set(partner, profile);
  }
  return profile;
}

export const isXmlPartner = (partner: Partner): boolean => profileOf(partner).wire.format === 'xml';

/**
 * Where a record's free-text fields sit in the base message: the qualified element name as
 * the fixture spells it (XML), or the member path inside the first record (JSON).
 */
export type NameField = 'legalName' | 'nameLatin' | 'street' | 'city';

export const NAME_FIELDS: Readonly<Record<Partner, Readonly<Record<NameField, string | readonly string[]>>>> =
  {
    cn: { legalName: 'EnterpriseName', nameLatin: 'EnterpriseNameEn', street: 'Detail', city: 'City' },
    eaeu: {
      legalName: 'csdo:BusinessEntityName',
      nameLatin: 'aeo:BusinessEntityEnglishName',
      street: 'csdo:StreetName',
      city: 'csdo:CityName',
    },
    kr: {
      legalName: ['payload', 'change_list', '0', 'company', 'name_local'],
      nameLatin: ['payload', 'change_list', '0', 'company', 'name_en'],
      street: ['payload', 'change_list', '0', 'company', 'addr', 'road_addr'],
      city: ['payload', 'change_list', '0', 'company', 'addr', 'city'],
    },
    tr: {
      legalName: ['icerik', 'kayitlar', '0', 'unvan'],
      nameLatin: ['icerik', 'kayitlar', '0', 'latinUnvan'],
      street: ['icerik', 'kayitlar', '0', 'adres', 'acikAdres'],
      city: ['icerik', 'kayitlar', '0', 'adres', 'sehir'],
    },
    wco: { legalName: 'Name', nameLatin: 'LatinName', street: 'Line', city: 'CityName' },
  };

// ---------------------------------------------------------------- XML surgery

export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replace the raw content of the first `<qname …>…</qname>` leaf element (markup allowed). */
export function replaceXmlContent(xml: string, qname: string, rawContent: string): string {
  const pattern = new RegExp(`(<${escapeRegExp(qname)}(?:\\s[^>]*)?>)([^<]*)(</${escapeRegExp(qname)}>)`);
  if (!pattern.test(xml)) throw new Error(`no leaf element ${qname} in the base message`);
  return xml.replace(
    pattern,
    (_all, open: string, _content: string, close: string) => `${open}${rawContent}${close}`,
  );
}

/** Set the text of a leaf element, escaped as a careful writer would. */
export function setXmlText(xml: string, qname: string, text: string): string {
  return replaceXmlContent(xml, qname, xmlEscape(text));
}

/** Insert a leaf right after an existing one (the base of wco has no LatinName yet). */
export function insertXmlAfter(xml: string, afterQname: string, fragment: string): string {
  const close = `</${afterQname}>`;
  const at = xml.indexOf(close);
  if (at < 0) throw new Error(`no element ${afterQname} in the base message`);
  return `${xml.slice(0, at + close.length)}${fragment}${xml.slice(at + close.length)}`;
}

/** Everything before the root element (declaration and comments) and the rest. */
export function splitProlog(xml: string): { prolog: string; body: string } {
  const root = /<[A-Za-z_]/.exec(
    xml
      .replace(/<\?xml[^>]*\?>/, (m) => ' '.repeat(m.length))
      .replace(/<!--[\s\S]*?-->/g, (m) => ' '.repeat(m.length)),
  );
  if (!root) throw new Error('no root element');
  return { prolog: xml.slice(0, root.index), body: xml.slice(root.index) };
}

/** A DOCTYPE (or any markup) placed between the prolog and the root element. */
export function withBeforeRoot(xml: string, markup: string): string {
  const { prolog, body } = splitProlog(xml);
  return `${prolog}${markup}\n${body}`;
}

/** The root element's qualified name and its start tag. */
export function rootStartTag(xml: string): { qname: string; tag: string; index: number } {
  const { prolog, body } = splitProlog(xml);
  const match = /^<([A-Za-z_][\w.:-]*)([^>]*)>/.exec(body);
  if (!match) throw new Error('no root start tag');
  return { qname: match[1], tag: match[0], index: prolog.length };
}

/** Add attributes (raw text) to the root start tag. */
export function withRootAttributes(xml: string, rawAttributes: string): string {
  const { tag, index } = rootStartTag(xml);
  const insertAt = index + tag.length - 1;
  return `${xml.slice(0, insertAt)}${rawAttributes}${xml.slice(insertAt)}`;
}

// ---------------------------------------------------------------- JSON surgery

const MARKER = '__hostile_marker__';

function containerAt(root: unknown, path: readonly string[]): Record<string, unknown> {
  let current = root as Record<string, unknown>;
  for (const key of path) {
    const next = current[key];
    if (next === null || typeof next !== 'object') throw new Error(`no object at /${path.join('/')}`);
    current = next as Record<string, unknown>;
  }
  return current;
}

/** The base JSON with one value replaced (path to a member, last element is the member name). */
export function setJsonValue(json: string, path: readonly string[], value: unknown): string {
  const root = JSON.parse(json) as unknown;
  const parent = containerAt(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (!(key in parent)) throw new Error(`no member /${path.join('/')} in the base message`);
  parent[key] = value;
  return `${JSON.stringify(root, null, 2)}\n`;
}

/** The base JSON with a value replaced by raw JSON text (for values JSON.stringify cannot write). */
export function setJsonRaw(json: string, path: readonly string[], rawValue: string): string {
  const marked = setJsonValue(json, path, MARKER);
  return marked.replace(JSON.stringify(MARKER), rawValue);
}

/**
 * The base JSON with a raw member (`"key": value`, written as given) added to the object at
 * `path`: the way to put `__proto__` and friends into a document, which an object literal
 * cannot do.
 */
export function addJsonMember(json: string, path: readonly string[], rawMember: string): string {
  const root = JSON.parse(json) as unknown;
  containerAt(root, path)[MARKER] = null;
  return `${JSON.stringify(root, null, 2)}\n`.replace(`"${MARKER}": null`, rawMember);
}

export const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
