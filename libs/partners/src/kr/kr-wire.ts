import type { Environment, MessageType, ReceiptOutcome, RecordResult } from '@aeo/domain';

/**
 * The KCS exchange format as TypeScript types (what the encoder writes; the decoder reads the
 * same shapes through JsonObject). The authoritative description is the JSON Schema
 * schemas/v1/partners/kr/kr-aeo-exchange.schema.json; formatNotes in config/partners/kr.yaml
 * says which parts are assumed.
 */
export interface KrDocument {
  readonly profile: string;
  readonly header: KrHeader;
  readonly payload: KrPayload;
}

export interface KrHeader {
  readonly msg_id: string;
  readonly ref_msg_id?: string;
  readonly doc_type_cd: KrDocType;
  readonly sender_cd: string;
  readonly receiver_cd: string;
  /** KST, `+09:00`. */
  readonly send_dt: string;
  readonly test_yn: YesNo;
}

export type YesNo = 'Y' | 'N';

export type KrPayload =
  | KrListPayload
  | KrChangePayload
  | KrInquiryPayload
  | KrInquiryResultPayload
  | KrAckPayload
  | KrIrregularityPayload;

export interface KrListPayload {
  readonly list_id: string;
  readonly issuer_cd: string;
  readonly base_dt: string;
  readonly page_no: number;
  readonly page_cnt: number;
  readonly aeo_list: readonly KrAeo[];
}

export interface KrChangePayload {
  readonly issuer_cd: string;
  readonly change_list: readonly KrAeo[];
}

export interface KrInquiryPayload {
  readonly aeo_id: string;
  readonly decl_no?: string;
  readonly biz_type?: string;
}

export interface KrInquiryResultPayload {
  readonly inquiry_msg_id: string;
  readonly found_yn: YesNo;
  readonly aeo?: KrAeo;
}

export interface KrAckPayload {
  readonly recv_msg_id: string;
  readonly recv_sha256: string;
  readonly result_cd: string;
  readonly err_cd?: string;
  readonly err_msg?: string;
  readonly rec_results: readonly KrRecordResult[];
}

export interface KrRecordResult {
  readonly aeo_id: string;
  readonly result_cd: string;
  readonly err_cd?: string;
}

export interface KrIrregularityPayload {
  readonly aeo_id: string;
  readonly case_no: string;
  /** YYYYMMDD. */
  readonly found_date: string;
  readonly content_txt: string;
}

/** One AEO certificate, KCS's or ours. Calendar dates are YYYYMMDD; last_chg_dt is KST. */
export interface KrAeo {
  readonly issuer_cd: string;
  readonly aeo_id: string;
  readonly company: {
    readonly name_local: string;
    readonly name_en?: string;
    readonly trader_ids: readonly { readonly id_type_cd: string; readonly id_no: string }[];
    readonly addr: {
      readonly road_addr: string;
      readonly city: string;
      readonly zip_cd?: string;
      readonly province?: string;
      readonly country_cd: string;
    };
  };
  readonly certification: {
    readonly aeo_grade: string;
    readonly biz_types: readonly string[];
    readonly cert_date: string;
    readonly valid_start_date: string;
    readonly valid_end_date?: string;
  };
  readonly status: {
    readonly status_cd: string;
    readonly reason_txt?: string;
    readonly effective_start_date: string;
    readonly effective_end_date?: string;
  };
  readonly info_consent: { readonly agree_yn: YesNo; readonly agree_date: string };
  readonly rec_ver: number;
  readonly last_chg_dt: string;
}

/**
 * Fixed parts of the format (the same for any KCS deployment, hence code rather than profile
 * data). Each table is one-to-one so it reads back exactly.
 */
export const KR_DOC_TYPES = {
  AEO_SNAPSHOT: 'AEO_LIST',
  AEO_STATUS_DELTA: 'AEO_CHANGE',
  AEO_LOOKUP_REQUEST: 'AEO_INQUIRY',
  AEO_LOOKUP_RESPONSE: 'AEO_INQUIRY_RESULT',
  RECEIPT: 'ACK',
  IRREGULARITY_NOTICE: 'IRREGULARITY',
} as const satisfies Record<MessageType, string>;

export type KrDocType = (typeof KR_DOC_TYPES)[MessageType];

export const KR_TEST_FLAG = { production: 'N', pilot: 'Y' } as const satisfies Record<Environment, YesNo>;

export const KR_ACK_RESULTS = {
  ACCEPTED: 'ACCEPT',
  PARTIALLY_ACCEPTED: 'PARTIAL',
  REJECTED: 'REJECT',
} as const satisfies Record<ReceiptOutcome, string>;

export const KR_RECORD_RESULTS = {
  APPLIED: 'APPLY',
  IGNORED_OLDER_VERSION: 'SKIP_OLD_VER',
  REJECTED: 'REJECT',
} as const satisfies Record<RecordResult['outcome'], string>;

/** The canonical key of a fixed table whose wire value is `code`, if any. */
export function keyOfWireCode<K extends string>(
  table: Readonly<Record<K, string>>,
  code: string,
): K | undefined {
  return (Object.keys(table) as K[]).find((key) => table[key] === code);
}
