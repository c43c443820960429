import {
  GatewayError,
  type Environment,
  type MessageType,
  type Programme,
  type ReasonCode,
  type ReceiptOutcome,
  type RecordResult,
} from '@aeo/domain';
import type { XmlElement } from '@aeo/codecs';

/**
 * Code tables that are part of the GACC exchange format itself (not partner-configurable
 * code lists: those live in the profile). They are fixed by the XSD
 * `schemas/v1/partners/cn/gacc-aeo-exchange-1.xsd`, so changing one means a new format version.
 */

/** A fixed two-way table between canonical values and their wire codes. */
export class WireCodeTable<C extends string> {
  private readonly toCanonicalMap: ReadonlyMap<string, C>;

  constructor(
    private readonly name: string,
    private readonly toWireMap: Readonly<Partial<Record<C, string>>>,
    private readonly unknownCode: ReasonCode,
  ) {
    this.toCanonicalMap = new Map(
      Object.entries(toWireMap).map(([canonical, code]) => [code as string, canonical as C]),
    );
  }

  /** CANNOT_ENCODE where the format has no code for the value (e.g. a programme that never travels on this channel). */
  toWire(value: C, path: string): string {
    const code = this.toWireMap[value];
    if (code === undefined)
      throw new GatewayError('CANNOT_ENCODE', `${this.name} '${value}' has no code in the GACC format`, path);
    return code;
  }

  fromWire(element: XmlElement): C {
    const code = element.text.trim();
    if (code === '')
      throw new GatewayError('MISSING_REQUIRED_FIELD', `${element.name} is empty`, element.path);
    const value = this.toCanonicalMap.get(code);
    if (value === undefined)
      throw new GatewayError(this.unknownCode, `unknown ${this.name} code '${code}'`, element.path);
    return value;
  }
}

export const ROOT_ELEMENT = 'AeoExchangeMessage';

/** MessageHead/MessageType, in the upper-case style of GACC message type codes. */
export const MESSAGE_TYPE_CODES = new WireCodeTable<MessageType>(
  'message type',
  {
    AEO_SNAPSHOT: 'AEO_LIST',
    AEO_STATUS_DELTA: 'AEO_DELTA',
    AEO_LOOKUP_REQUEST: 'AEO_QUERY',
    AEO_LOOKUP_RESPONSE: 'AEO_QUERY_RESULT',
    RECEIPT: 'AEO_RECEIPT',
    IRREGULARITY_NOTICE: 'AEO_IRREGULARITY',
  },
  'UNSUPPORTED_MESSAGE_TYPE',
);

/** The one MessageBody child each message type carries. */
export const BODY_ELEMENTS: Readonly<Record<MessageType, string>> = {
  AEO_SNAPSHOT: 'AeoList',
  AEO_STATUS_DELTA: 'AeoDelta',
  AEO_LOOKUP_REQUEST: 'AeoQuery',
  AEO_LOOKUP_RESPONSE: 'AeoQueryResult',
  RECEIPT: 'AeoReceipt',
  IRREGULARITY_NOTICE: 'AeoIrregularity',
};

/**
 * Customs administrations by ISO country code, the key GACC uses for foreign AEOs
 * ("country code + that customs' enterprise code", GACC Announcement 2018 No. 131). The
 * channel is bilateral, so only the two parties have a code: anything else cannot be sent.
 */
export const CUSTOMS_CODES = new WireCodeTable<Programme>(
  'customs administration',
  { 'CN-GACC': 'CN', 'KZ-SRC': 'KZ' },
  'UNKNOWN_PROGRAMME',
);

export const TEST_FLAGS = new WireCodeTable<Environment>(
  'test flag',
  { production: '0', pilot: '1' },
  'INVALID_VALUE',
);

export const RECEIPT_RESULT_CODES = new WireCodeTable<ReceiptOutcome>(
  'receipt result',
  { ACCEPTED: '1', PARTIALLY_ACCEPTED: '2', REJECTED: '3' },
  'INVALID_VALUE',
);

export const RECORD_RESULT_CODES = new WireCodeTable<RecordResult['outcome']>(
  'record result',
  { APPLIED: '1', IGNORED_OLDER_VERSION: '2', REJECTED: '3' },
  'INVALID_VALUE',
);

export const QUERY_RESULT_FLAGS = new WireCodeTable<'found' | 'not-found'>(
  'query result',
  { found: '1', 'not-found': '0' },
  'INVALID_VALUE',
);
