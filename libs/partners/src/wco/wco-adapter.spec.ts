import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseXmlSafely, type XmlElement } from '@aeo/codecs';
import { repoPath } from '@aeo/config';
import {
  AEO_STATUSES,
  AUTHORISATION_TYPES,
  GatewayError,
  MESSAGE_TYPES,
  PROGRAMMES,
  SUPPLY_CHAIN_ROLES,
  SUPPLY_CHAIN_ROLE_NAMES,
  TRADER_ID_SCHEMES,
  type AeoRecord,
  type AuthorisationType,
  type CanonicalMessage,
  type Programme,
} from '@aeo/domain';
import { homeRecord, kzBin, message } from '../../../../test/support/builders.js';
import { describeFixtures, listFixtures } from '../../../../test/support/fixture-suite.js';
import { wireSchemaErrors } from '../../../../test/support/wire-schema.js';
import { codeListsOf } from '../common/code-lists.js';
import { loadPartnerProfile } from '../profile/profile-loader.js';
import { createWcoAdapter } from './index.js';

describeFixtures('wco', () => createWcoAdapter(loadPartnerProfile('wco')));

const profile = loadPartnerProfile('wco');
const adapter = createWcoAdapter(profile);
const fixture = (path: string) => readFileSync(repoPath('test', 'fixtures', 'wco', path));

async function failureOf(action: () => unknown): Promise<{ code: string; path?: string }> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { code: error.code, ...(error.path === undefined ? {} : { path: error.path }) };
  }
  return { code: 'ACCEPTED' };
}

/** encode → check against the XSD → decode; returns the message read back. */
async function roundTrip(original: CanonicalMessage): Promise<CanonicalMessage> {
  const { bytes, losses } = adapter.encode(original);
  expect(losses).toEqual([]);
  expect(wireSchemaErrors(profile, bytes)).toEqual([]);
  return adapter.decode(bytes);
}

const inbound = { sender: 'WCO-REF', recipient: 'KZ-SRC' } as const;

/** Every optional field set, several trader-id schemes, every role: nothing may go missing. */
function fullRecord(
  programme: Programme,
  aeoId: string,
  aeoIdNormalized: string,
  authorisationType: AuthorisationType,
): AeoRecord {
  return homeRecord({
    programme,
    aeoId,
    aeoIdNormalized,
    authorisationType,
    traderIds: [
      { scheme: 'KZ-BIN', value: kzBin(7) },
      { scheme: 'TR-YFKS', value: 'YFKS-000123 (fictional)' },
      { scheme: 'OTHER', value: 'local register 42' },
    ],
    address: {
      street: 'Example street 1 & 2 <rear>',
      city: 'Example City',
      postcode: '000001',
      subdivision: 'Region X',
      country: 'KZ',
    },
    status: 'SUSPENDED',
    statusReason: 'Suspended pending re-assessment (fictional)',
    statusEffectiveFrom: '2024-03-01',
    statusEffectiveTo: '2024-06-30',
    supplyChainRoles: [...SUPPLY_CHAIN_ROLE_NAMES],
    validUntil: '2027-01-14',
    lastChangedAt: '2024-03-01T12:34:56.789Z',
    recordVersion: 9_007_199_254_740_991,
  });
}

const PROGRAMME_SAMPLES: Array<[Programme, string, string, AuthorisationType]> = [
  ['KZ-SRC', 'KZ/0001/ТИП 3', 'KZ/0001/ТИП 3', 'EAEU_TYPE3'],
  ['EAEU-AM', 'am/17/tip 1', 'AM/17/ТИП 1', 'EAEU_TYPE1'],
  ['EAEU-BY', 'BY/0042/TIP 2', 'BY/0042/ТИП 2', 'EAEU_TYPE2'],
  ['EAEU-KG', 'KG/0005/ТИП 2', 'KG/0005/ТИП 2', 'EAEU_TYPE2'],
  ['EAEU-RU', 'RU / 12345 / ТИП3', 'RU/12345/ТИП 3', 'EAEU_TYPE3'],
  ['CN-GACC', 'AEOCN0123456789', 'CN0123456789', 'CN_CERTIFIED'],
  ['KR-KCS', 'AEOKR1208147521', 'KR1208147521', 'KR_AA'],
  ['TR-MOT', 'TR1234567890', 'TR1234567890', 'TR_AEO'],
  ['WCO-REF', 'DE12345678901234', 'DE12345678901234', 'EU_AEOC'],
];

describe('wco profile', () => {
  it('is our own agreed format for WCO-REF that carries records of every issuing programme', () => {
    expect(profile.programme).toBe('WCO-REF');
    expect(profile.formatStatus).toBe('agreed');
    expect(profile.wire).toMatchObject({ format: 'xml', namespace: 'urn:mra-gateway:wco-ref:aeo:1' });
    expect([...profile.recordProgrammes].sort()).toEqual(
      PROGRAMMES.filter((p) => p !== 'KZ-SRC' && p !== 'EAEU-EEC').sort(),
    );
  });

  it('maps every canonical code 1:1: canonical status and type codes, R005 role codes', () => {
    const lists = codeListsOf(profile);
    for (const status of AEO_STATUSES) {
      expect(lists.status.toPartner(status, '/')).toEqual({ code: status });
      expect(lists.status.toCanonical(status, '/')).toBe(status);
    }
    for (const type of AUTHORISATION_TYPES) {
      expect(lists.authorisationType.toPartner(type, '/')).toEqual({ code: type });
      expect(lists.authorisationType.toCanonical(type, '/')).toBe(type);
    }
    for (const role of SUPPLY_CHAIN_ROLE_NAMES) {
      expect(lists.role.toPartner(role, '/')).toEqual({ code: SUPPLY_CHAIN_ROLES[role] });
      expect(lists.role.toCanonical(SUPPLY_CHAIN_ROLES[role], '/')).toBe(role);
    }
  });
});

describe('wco XSD', () => {
  let xsd: XmlElement | undefined;
  const enumerationOf = async (typeName: string): Promise<string[]> => {
    xsd ??= await parseXmlSafely(readFileSync(repoPath(profile.wire.schemaFile)));
    const type = xsd.all('simpleType').find((t) => t.attribute('name') === typeName);
    if (!type) throw new Error(`${typeName} is not in the XSD`);
    return type
      .required('restriction')
      .all('enumeration')
      .map((e) => e.attribute('value') ?? '');
  };

  // The XSD is what partners validate against; if it and the profile or the domain drift apart,
  // the encoder would write documents the published schema rejects.
  it.each([
    ['StatusCodeType', () => profile.codeLists.status.map((e) => e.partner)],
    ['AuthorisationTypeCodeType', () => profile.codeLists.authorisationType.map((e) => e.partner)],
    ['RoleCodeType', () => profile.codeLists.role.map((e) => e.partner)],
    ['ProgrammeCodeType', () => [...PROGRAMMES]],
    ['RecordProgrammeCodeType', () => PROGRAMMES.filter((p) => p !== 'EAEU-EEC')],
    ['TraderIDSchemeCodeType', () => [...TRADER_ID_SCHEMES]],
    ['MessageTypeCodeType', () => [...MESSAGE_TYPES]],
  ])('enumerates in %s exactly the codes the adapter uses', async (typeName, expected) => {
    expect((await enumerationOf(typeName)).sort()).toEqual([...expected()].sort());
  });
});

describe('wco adapter', () => {
  it('reports that nothing is lost, statically and for every valid fixture', async () => {
    const capabilities = adapter.capabilities();
    expect(capabilities).toMatchObject({ partner: 'wco', wireFormat: 'xml', fieldsNotCarried: [] });
    expect(capabilities.messageTypes).toEqual([...MESSAGE_TYPES]);
    expect(capabilities.codeLists.map((list) => list.list)).toEqual(['status', 'authorisationType', 'role']);
    for (const list of capabilities.codeLists) expect(list).toMatchObject({ unsupported: [], lossy: [] });
    for (const valid of listFixtures('wco').filter((f) => f.valid)) {
      expect(adapter.encode(await adapter.decode(readFileSync(valid.file))).losses).toEqual([]);
    }
  });

  it.each(PROGRAMME_SAMPLES)(
    'carries every field of a %s record (%s)',
    async (programme, aeoId, normalised, type) => {
      const delta = message(
        'AEO_STATUS_DELTA',
        { programme, records: [fullRecord(programme, aeoId, normalised, type)] },
        {
          ...inbound,
          correlationId: '0b3c9a57-2f4e-4c1d-8e6a-7d5b4c3a2f10',
        },
      );
      const back = await roundTrip({ ...delta, envelope: { ...delta.envelope, environment: 'pilot' } });
      expect(back).toEqual({ ...delta, envelope: { ...delta.envelope, environment: 'pilot' } });
      expect(back.envelope.correlationId).toBe('0b3c9a57-2f4e-4c1d-8e6a-7d5b4c3a2f10');
    },
  );

  it('carries a record with no optional field and a snapshot chunk with no records', async () => {
    const { nameLatin: _omitted, ...minimal } = homeRecord({
      address: { street: 'Mangilik El 1', city: 'Astana', country: 'KZ' },
    });
    const delta = message('AEO_STATUS_DELTA', { programme: 'KZ-SRC', records: [minimal] });
    expect(await roundTrip(delta)).toEqual(delta);
    const empty = message('AEO_SNAPSHOT', {
      snapshotId: 'c1f0e7a2-5b3d-4e8f-9a6c-2d1e0f9a8b7c',
      programme: 'KZ-SRC',
      asOf: '2024-06-01T00:00:00Z',
      chunkIndex: 2,
      chunkCount: 2,
      records: [],
    });
    expect(await roundTrip(empty)).toEqual(empty);
  });

  it.each(AEO_STATUSES)('carries status %s', async (status) => {
    const consent = { granted: status !== 'CONSENT_WITHDRAWN', recordedOn: '2024-01-10' };
    const delta = message('AEO_STATUS_DELTA', {
      programme: 'KZ-SRC',
      records: [homeRecord({ status, consent })],
    });
    expect(await roundTrip(delta)).toEqual(delta);
  });

  it.each(AUTHORISATION_TYPES)('carries authorisation type %s', async (authorisationType) => {
    const record = fullRecord('WCO-REF', 'NL000000001', 'NL000000001', authorisationType);
    const delta = message('AEO_STATUS_DELTA', { programme: 'WCO-REF', records: [record] }, inbound);
    expect(await roundTrip(delta)).toEqual(delta);
  });

  it('writes the party in WCO Data Model terms: ID (R143) as issued and RoleCode (R005)', async () => {
    const delta = message('AEO_STATUS_DELTA', { programme: 'KZ-SRC', records: [homeRecord()] });
    const party = (await parseXmlSafely(adapter.encode(delta).bytes)).required('AEOMutualRecognitionParty');
    expect(party.requiredText('ID')).toBe('KZ/0001/ТИП 3');
    expect(party.requiredText('ProgrammeCode')).toBe('KZ-SRC');
    expect(party.all('RoleCode').map((r) => r.text)).toEqual(['CA', 'FW']);
    expect(party.all('TraderID').map((t) => [t.attribute('schemeID'), t.text])).toEqual([
      ['KZ-BIN', kzBin(1)],
    ]);
    expect(party.required('Address').requiredText('CityName')).toBe('Astana');
  });

  it('keeps each identifier as spelled and derives the normalised one from the record programme', async () => {
    const by = await adapter.decode(fixture('status-delta/valid/eaeu-by-latin-spelling.xml'));
    expect(by.body).toMatchObject({
      records: [{ programme: 'EAEU-BY', aeoId: 'BY/0042/TIP 2', aeoIdNormalized: 'BY/0042/ТИП 2' }],
    });
    const cn = await adapter.decode(fixture('status-delta/valid/cn-gacc-via-wco.xml'));
    expect(cn.body).toMatchObject({
      records: [
        { aeoId: 'AEOCN4403960001', aeoIdNormalized: 'CN4403960001' },
        { aeoId: '3101230002', aeoIdNormalized: 'CN3101230002' },
      ],
    });
    const ours = await adapter.decode(fixture('snapshot/valid/kz-src-register-chunk-1-of-1.xml'));
    expect(ours.body).toMatchObject({
      programme: 'KZ-SRC',
      records: [{ aeoIdNormalized: 'KZ/0001/ТИП 3' }, {}, {}],
    });
  });

  it('fits a 17-character EAEU number with Cyrillic ТИП into R143 and refuses a longer one instead of truncating it', async () => {
    const fits = homeRecord({ aeoId: 'KZ/00000001/ТИП 3', aeoIdNormalized: 'KZ/00000001/ТИП 3' });
    const delta = message('AEO_STATUS_DELTA', { programme: 'KZ-SRC', records: [fits] });
    expect(await roundTrip(delta)).toEqual(delta);

    const tooLong = homeRecord({ aeoId: 'KZ/000000001/ТИП 3', aeoIdNormalized: 'KZ/000000001/ТИП 3' });
    const refused = message('AEO_STATUS_DELTA', { programme: 'KZ-SRC', records: [homeRecord(), tooLong] });
    expect(await failureOf(() => adapter.encode(refused))).toEqual({
      code: 'CANNOT_ENCODE',
      path: '/body/records/1/aeoId',
    });
    const lookup = message('AEO_LOOKUP_REQUEST', { aeoId: 'KZ/000000001/ТИП 3' });
    expect(await failureOf(() => adapter.encode(lookup))).toEqual({
      code: 'CANNOT_ENCODE',
      path: '/body/aeoId',
    });
  });

  it('writes only valid canonical messages', async () => {
    const bad = message('AEO_STATUS_DELTA', {
      programme: 'KZ-SRC',
      records: [homeRecord({ validFrom: '2024-02-30' })],
    });
    expect(await failureOf(() => adapter.encode(bad))).toEqual({
      code: 'INVALID_DATE',
      path: '/body/records/0/validFrom',
    });
  });

  it.each([
    [
      'status-delta/invalid/UNKNOWN_STATUS_CODE.xml',
      '/AEOStatusDelta/AEOMutualRecognitionParty/Status/StatusCode',
    ],
    ['status-delta/invalid/IDENTIFIER_CHECK_DIGIT.xml', '/AEOStatusDelta/AEOMutualRecognitionParty/TraderID'],
    [
      'status-delta/invalid/IDENTIFIER_FORMAT--eaeu-type-4.xml',
      '/AEOStatusDelta/AEOMutualRecognitionParty/ID',
    ],
    [
      'status-delta/invalid/INVALID_DATE.xml',
      '/AEOStatusDelta/AEOMutualRecognitionParty/Status/EffectivePeriod/StartDate',
    ],
    ['status-delta/invalid/UNKNOWN_ROLE_CODE.xml', '/AEOStatusDelta/AEOMutualRecognitionParty/RoleCode[2]'],
    [
      'status-delta/invalid/UNKNOWN_PROGRAMME--record-of-the-eec-register.xml',
      '/AEOStatusDelta/AEOMutualRecognitionParty/ProgrammeCode',
    ],
    ['snapshot/invalid/MISSING_REQUIRED_FIELD.xml', '/AEOListSnapshot/AEOMutualRecognitionParty[2]/Name'],
    [
      'snapshot/invalid/WRONG_NAMESPACE--foreign-child-element.xml',
      '/AEOListSnapshot/AEOMutualRecognitionParty[2]/ID',
    ],
    [
      'lookup-request/invalid/INVALID_VALUE--id-longer-than-r143.xml',
      '/AEOLookupRequest/AEOMutualRecognitionParty/ID',
    ],
    [
      'irregularity-notice/invalid/INVALID_VALUE--message-type-differs-from-root.xml',
      '/AEOIrregularityNotice/Header/MessageTypeCode',
    ],
  ])('names the element at fault in %s', async (file, path) => {
    expect((await failureOf(() => adapter.decode(fixture(file)))).path).toBe(path);
  });

  it('answers any damaged message with a GatewayError, never another kind of error', async () => {
    const text = fixture('snapshot/valid/kz-src-register-chunk-1-of-1.xml').toString('utf8');
    const lines = text.split('\n');
    const damaged = [
      ...lines.map((_, i) => lines.filter((__, j) => j !== i).join('\n')),
      ...Array.from({ length: 40 }, (_, i) => text.slice(0, Math.floor((text.length * i) / 40))),
    ];
    for (const variant of damaged) {
      await adapter.decode(Buffer.from(variant, 'utf8')).catch((error: unknown) => {
        expect(error).toBeInstanceOf(GatewayError);
      });
    }
  });
});
