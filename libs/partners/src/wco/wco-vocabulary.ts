import type { MessageType } from '@aeo/domain';

/**
 * Element names of the WCO-REF format (schemas/v1/partners/wco/wco-aeo-exchange.xsd), kept in
 * one place so the reader and the writer cannot drift apart. The child lists double as the
 * `allowOnly` lists of the reader, in the order the XSD's sequences require.
 */
export const ROOT_ELEMENT_OF: Readonly<Record<MessageType, string>> = {
  AEO_SNAPSHOT: 'AEOListSnapshot',
  AEO_STATUS_DELTA: 'AEOStatusDelta',
  AEO_LOOKUP_REQUEST: 'AEOLookupRequest',
  AEO_LOOKUP_RESPONSE: 'AEOLookupResponse',
  RECEIPT: 'AEOReceipt',
  IRREGULARITY_NOTICE: 'AEOIrregularityNotice',
};

export function messageTypeOfRoot(rootName: string): MessageType | undefined {
  return (Object.keys(ROOT_ELEMENT_OF) as MessageType[]).find((type) => ROOT_ELEMENT_OF[type] === rootName);
}

/** The WCO Data Model class of the AEO party (WCO ID 16C). */
export const PARTY = 'AEOMutualRecognitionParty';

/** WCO Data Model R143, "AEO mutual recognition party, coded": an..17. */
export const R143_MAX_LENGTH = 17;

export const HEADER_CHILDREN = [
  'MessageID',
  'CorrelationID',
  'SenderProgrammeCode',
  'RecipientProgrammeCode',
  'CreationDateTime',
  'MessageTypeCode',
  'SchemaVersionID',
  'EnvironmentCode',
] as const;

export const PARTY_CHILDREN = [
  'ID',
  'ProgrammeCode',
  'TraderID',
  'Name',
  'LatinName',
  'Address',
  'RoleCode',
  'AuthorisationTypeCode',
  'AuthorisationDate',
  'ValidityPeriod',
  'Status',
  'Consent',
  'LastChangeDateTime',
  'RecordVersionNumber',
] as const;

export const DECLARED_PARTY_CHILDREN = ['ID', 'RoleCode'] as const;
export const ADDRESS_CHILDREN = [
  'Line',
  'CityName',
  'PostcodeID',
  'CountrySubDivisionID',
  'CountryCode',
] as const;
export const STATUS_CHILDREN = ['StatusCode', 'ReasonText', 'EffectivePeriod'] as const;
export const PERIOD_CHILDREN = ['StartDate', 'EndDate'] as const;
export const CONSENT_CHILDREN = ['GrantedIndicator', 'RecordedDate'] as const;
export const RECORD_RESULT_CHILDREN = ['AEOMutualRecognitionPartyID', 'OutcomeCode', 'ReasonCode'] as const;

/** Children of each root element after the Header. */
export const BODY_CHILDREN: Readonly<Record<MessageType, readonly string[]>> = {
  AEO_SNAPSHOT: ['SnapshotID', 'ProgrammeCode', 'AsOfDateTime', 'ChunkSequenceNumber', 'ChunkCount', PARTY],
  AEO_STATUS_DELTA: ['ProgrammeCode', PARTY],
  AEO_LOOKUP_REQUEST: [PARTY, 'DeclarationReferenceID'],
  AEO_LOOKUP_RESPONSE: ['RequestMessageID', 'FoundIndicator', PARTY],
  RECEIPT: [
    'ReceivedMessageID',
    'ReceivedMessageSHA256',
    'OutcomeCode',
    'ReasonCode',
    'ReasonText',
    'RecordResult',
  ],
  IRREGULARITY_NOTICE: ['AEOMutualRecognitionPartyID', 'ReferenceID', 'ObservationDate', 'Description'],
};
