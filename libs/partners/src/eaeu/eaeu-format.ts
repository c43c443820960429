import type { MessageType } from '@aeo/domain';

/**
 * The fixed vocabulary of the EAEU AEO-register format (schemas/v1/partners/eaeu/): namespaces,
 * prefixes and the root element of each message type. The XSD is static, so these live in code;
 * what may change without a new XSD (the EEC process and structure codes) lives in the profile.
 */
export const EAEU_NS = {
  /** Our assumed document namespace, shared by the six roots; "CC:RG:99" is a placeholder number. */
  aeo: 'urn:EEC:R:CC:RG:99:AEORegistryExchange:v1.0.0',
  ccdo: 'urn:EEC:M:ComplexDataObjects:v0.4.14',
  csdo: 'urn:EEC:M:SimpleDataObjects:v0.4.14',
} as const;

export type EaeuPrefix = keyof typeof EAEU_NS;

/** A namespace-qualified element name; `tag` is how the encoder writes it. */
export interface QName {
  readonly prefix: EaeuPrefix;
  readonly ns: string;
  readonly name: string;
  readonly tag: string;
}

function qname(prefix: EaeuPrefix, name: string): QName {
  return { prefix, ns: EAEU_NS[prefix], name, tag: `${prefix}:${name}` };
}

export const aeo = (name: string): QName => qname('aeo', name);
export const ccdo = (name: string): QName => qname('ccdo', name);
export const csdo = (name: string): QName => qname('csdo', name);

/** Declared once on every root, so the whole document uses the same three prefixes. */
export const NAMESPACE_DECLARATIONS: Readonly<Record<string, string>> = {
  'xmlns:aeo': EAEU_NS.aeo,
  'xmlns:ccdo': EAEU_NS.ccdo,
  'xmlns:csdo': EAEU_NS.csdo,
};

/** The classifier named in csdo:UnifiedCountryCode/@codeListId (EAEU classifier of countries, assumed). */
export const COUNTRY_CODE_LIST_ID = 'P.CLS.019';

export const ROOT_ELEMENTS: Readonly<Record<MessageType, string>> = {
  AEO_SNAPSHOT: 'AEORegistryExtractDetails',
  AEO_STATUS_DELTA: 'AEORegistryChangeDetails',
  AEO_LOOKUP_REQUEST: 'AEORegistryQueryDetails',
  AEO_LOOKUP_RESPONSE: 'AEORegistryQueryResultDetails',
  RECEIPT: 'EDocProcessingResultDetails',
  IRREGULARITY_NOTICE: 'AEOIrregularityNotificationDetails',
};

export function messageTypeOfRoot(localName: string): MessageType | undefined {
  return (Object.keys(ROOT_ELEMENTS) as MessageType[]).find((type) => ROOT_ELEMENTS[type] === localName);
}

/** Children every root starts with (the XSD's DocumentHeaderGroup). */
export const HEADER_CHILDREN: readonly QName[] = [
  ccdo('EDocHeader'),
  aeo('SenderParticipantDetails'),
  aeo('RecipientParticipantDetails'),
  aeo('PilotExchangeIndicator'),
];

/** ProcessingResultCode of a receipt (our design, documented in the XSD). */
export const RECEIPT_OUTCOME_CODES = { '1': 'ACCEPTED', '2': 'PARTIALLY_ACCEPTED', '3': 'REJECTED' } as const;

/** RecordProcessingResultCode of one entry in a receipt. */
export const RECORD_OUTCOME_CODES = {
  '1': 'APPLIED',
  '2': 'IGNORED_OLDER_VERSION',
  '3': 'REJECTED',
} as const;

/** The code of a canonical value in one of the fixed tables above. */
export function codeFor<V extends string>(table: Readonly<Record<string, V>>, value: V): string {
  return Object.keys(table).find((code) => table[code] === value)!;
}
