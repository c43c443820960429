/**
 * SQL-like and script strings in names and addresses. They are VALID: a company may be
 * called anything, and the gateway must neither refuse such a name nor change a single
 * character of it. Each case writes four such strings into the legal name, the Latin name,
 * the street and the city of the partner's base message (escaped as a careful writer of that
 * format would), and expects acceptance with the text preserved exactly, again after
 * encode → decode (no escaping damage), and (one store case) through SQLite and back.
 */
import { encodeJson } from '@aeo/codecs';
import type { CanonicalCase, DecodeCase, Preserved, StoreCase } from '../case-types.js';
import {
  baseText,
  insertXmlAfter,
  isXmlPartner,
  NAME_FIELDS,
  PARTNERS,
  replaceXmlContent,
  setJsonValue,
  setXmlText,
  utf8,
  xmlEscape,
  type NameField,
  type Partner,
} from '../support/formats.js';
import { homeRecord, message } from '../../support/builders.js';

export const HOSTILE_NAMES: readonly string[] = [
  "Robert'); DROP TABLE foreign_aeo;--",
  "' OR '1'='1' --",
  '"; DELETE FROM foreign_aeo_history WHERE ""="',
  "x' UNION SELECT record_json FROM foreign_aeo --",
  "1; UPDATE foreign_aeo SET status='ACTIVE' WHERE 1=1 /*",
  '<script>alert("xss")</script>',
  '<img src=x onerror="alert(document.cookie)">',
  "javascript:alert('x')//",
  ']]><!-- --><![CDATA[ & ]]>',
  '&amp; &lt;b&gt; &#x26; %26 \\u0026 &quot;',
  '${7*7} {{7*7}} #{7*7} <%= 7*7 %>',
  'O\'Brien \\\' & Sons "Quoted" <Ltd>',
  '%s%s%n %x %%',
  '\u202Eexe.gnp Holding',
  'Ｓｅｌｅｃｔ ＊ ＦＲＯＭ Ｄｕａｌ',
  '../../etc/passwd; $(rm -rf /) `id`',
];

const FIELDS: readonly NameField[] = ['legalName', 'nameLatin', 'street', 'city'];

/** Case `i` uses four consecutive strings of the list for the four fields. */
function namesFor(i: number): Required<Preserved> {
  const pick = (k: number) => HOSTILE_NAMES[(i * 2 + k) % HOSTILE_NAMES.length];
  return { legalName: pick(0), nameLatin: pick(1), street: pick(2), city: pick(3) };
}

function writeXml(partner: Partner, names: Required<Preserved>, cdata: boolean): string {
  const spec = NAME_FIELDS[partner];
  let xml = baseText(partner);
  for (const field of FIELDS) {
    const qname = spec[field] as string;
    if (partner === 'wco' && field === 'nameLatin') {
      // The wco base message has no LatinName; it follows Name.
      xml = insertXmlAfter(xml, 'Name', `<LatinName>${xmlEscape(names.nameLatin)}</LatinName>`);
      continue;
    }
    xml =
      cdata && !names[field].includes(']]>')
        ? replaceXmlContent(xml, qname, `<![CDATA[${names[field]}]]>`)
        : setXmlText(xml, qname, names[field]);
  }
  return xml;
}

function writeJson(partner: Partner, names: Required<Preserved>): string {
  let json = baseText(partner);
  for (const field of FIELDS)
    json = setJsonValue(json, NAME_FIELDS[partner][field] as readonly string[], names[field]);
  return json;
}

const CASES_PER_PARTNER = 8;

export const NAME_DECODE_CASES: DecodeCase[] = PARTNERS.flatMap((partner, p) => {
  const cases: DecodeCase[] = Array.from({ length: CASES_PER_PARTNER }, (_, k) => {
    const names = namesFor(p * CASES_PER_PARTNER + k);
    return {
      id: `decode/${partner}/names/set-${k + 1}`,
      category: 'names' as const,
      target: 'decode' as const,
      partner,
      expect: 'ACCEPTED' as const,
      preserved: names,
      input: () => utf8(isXmlPartner(partner) ? writeXml(partner, names, false) : writeJson(partner, names)),
    };
  });
  if (isXmlPartner(partner)) {
    const names = namesFor(p * CASES_PER_PARTNER + 3);
    cases.push({
      id: `decode/${partner}/names/in-cdata-sections`,
      category: 'names',
      target: 'decode',
      partner,
      expect: 'ACCEPTED',
      preserved: names,
      input: () => utf8(writeXml(partner, names, true)),
    });
  }
  return cases;
});

export const NAME_CANONICAL_CASES: CanonicalCase[] = Array.from({ length: 4 }, (_, k) => {
  const names = namesFor(k * 2 + 1);
  return {
    id: `canonical/names/set-${k + 1}`,
    category: 'names' as const,
    target: 'canonical' as const,
    expect: 'ACCEPTED' as const,
    preserved: names,
    input: () =>
      encodeJson(
        message(
          'AEO_STATUS_DELTA',
          {
            programme: 'KZ-SRC',
            records: [
              homeRecord({
                legalName: names.legalName,
                nameLatin: names.nameLatin,
                address: { street: names.street, city: names.city, postcode: '010000', country: 'KZ' },
              }),
            ],
          },
          { messageId: `6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e${k}` },
        ),
      ),
  };
});

export const NAME_STORE_CASE: StoreCase = {
  id: 'store/sqlite/names-survive-foreign-register',
  category: 'names',
  target: 'store',
  expect: 'ACCEPTED',
};
