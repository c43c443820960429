import {
  ENVIRONMENTS,
  MESSAGE_TYPES,
  PROGRAMMES,
  RECEIPT_OUTCOMES,
  TRADER_ID_SCHEMES,
  type Environment,
  type MessageType,
  type Programme,
  type ReasonCode,
  type ReceiptOutcome,
  type RecordResult,
} from '@aeo/domain';
import { CodeList } from '../common/code-list.js';
import { codeListsOf, type PartnerCodeLists } from '../common/code-lists.js';
import type { PartnerProfile } from '../profile/partner-profile.js';

/**
 * The code values of the Turkish format. Status, authorisation type and role come from the
 * profile (they are negotiable); the others are fixed by the format itself and live here,
 * built as CodeLists so both directions and the unknown-code errors behave the same way.
 */
export interface TrVocabulary extends PartnerCodeLists {
  readonly messageType: CodeList<MessageType>;
  /** Administrations are ISO country codes; only the two MRA sides have one. */
  readonly administration: CodeList<Programme>;
  readonly environment: CodeList<Environment>;
  readonly traderIdScheme: CodeList<string>;
  readonly receiptOutcome: CodeList<ReceiptOutcome>;
  readonly recordOutcome: CodeList<RecordResult['outcome']>;
}

function fixedList<C extends string>(
  list: string,
  mapping: Readonly<Record<C, string | null>>,
  canonicalValues: readonly C[],
  unknownCode: ReasonCode,
): CodeList<C> {
  const entries = Object.entries<string | null>(mapping).map(([canonical, partner]) => ({
    canonical,
    partner,
  }));
  return new CodeList<C>(list, entries, canonicalValues, unknownCode);
}

const MESSAGE_TYPE_CODES: Record<MessageType, string> = {
  AEO_SNAPSHOT: 'YYS_TAM_LISTE',
  AEO_STATUS_DELTA: 'YYS_DURUM_DEGISIKLIGI',
  AEO_LOOKUP_REQUEST: 'YYS_SORGU',
  AEO_LOOKUP_RESPONSE: 'YYS_SORGU_YANITI',
  RECEIPT: 'ALINDI_BILDIRIMI',
  IRREGULARITY_NOTICE: 'USULSUZLUK_BILDIRIMI',
};

const ADMINISTRATION_CODES: Record<Programme, string | null> = {
  'TR-MOT': 'TR',
  'KZ-SRC': 'KZ',
  'CN-GACC': null,
  'KR-KCS': null,
  'EAEU-AM': null,
  'EAEU-BY': null,
  'EAEU-KG': null,
  'EAEU-RU': null,
  'EAEU-EEC': null,
  'WCO-REF': null,
};

const ENVIRONMENT_CODES: Record<Environment, string> = { production: 'CANLI', pilot: 'PILOT' };

/** Every canonical trader-id scheme has a code, so identifiers always travel without loss. */
const TRADER_ID_SCHEME_CODES: Record<string, string> = {
  'TR-VKN': 'VKN',
  'TR-TCKN': 'TCKN',
  'TR-YFKS': 'YFKS',
  'KZ-BIN': 'KZ_BIN',
  'KZ-IIN': 'KZ_IIN',
  'EAEU-AEO': 'AEB_YYS',
  'CN-CUSTOMS10': 'CN_GUMRUK_KODU',
  'CN-USCC18': 'CN_USCC',
  'KR-BRN': 'KR_ISYERI_NO',
  'KR-OTPC': 'KR_OTPC',
  'US-MID': 'US_MID',
  'EU-EORI': 'EORI',
  OTHER: 'DIGER',
};

const RECEIPT_OUTCOME_CODES: Record<ReceiptOutcome, string> = {
  ACCEPTED: 'KABUL',
  PARTIALLY_ACCEPTED: 'KISMI_KABUL',
  REJECTED: 'RED',
};

const RECORD_OUTCOMES = ['APPLIED', 'IGNORED_OLDER_VERSION', 'REJECTED'] as const;
const RECORD_OUTCOME_CODES: Record<RecordResult['outcome'], string> = {
  APPLIED: 'ISLENDI',
  IGNORED_OLDER_VERSION: 'ESKI_SURUM',
  REJECTED: 'REDDEDILDI',
};

export function trVocabulary(profile: PartnerProfile): TrVocabulary {
  return {
    ...codeListsOf(profile),
    messageType: fixedList('messageType', MESSAGE_TYPE_CODES, MESSAGE_TYPES, 'UNSUPPORTED_MESSAGE_TYPE'),
    administration: fixedList('administration', ADMINISTRATION_CODES, PROGRAMMES, 'UNKNOWN_PROGRAMME'),
    environment: fixedList('environment', ENVIRONMENT_CODES, ENVIRONMENTS, 'INVALID_VALUE'),
    traderIdScheme: fixedList('traderIdScheme', TRADER_ID_SCHEME_CODES, TRADER_ID_SCHEMES, 'INVALID_VALUE'),
    receiptOutcome: fixedList('receiptOutcome', RECEIPT_OUTCOME_CODES, RECEIPT_OUTCOMES, 'INVALID_VALUE'),
    recordOutcome: fixedList('recordOutcome', RECORD_OUTCOME_CODES, RECORD_OUTCOMES, 'INVALID_VALUE'),
  };
}
