import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { repoPath } from '@aeo/config';
import { GatewayError, recordsOf, type AeoRecord } from '@aeo/domain';
import { homeRecord, message } from '../../../../test/support/builders.js';
import { describeFixtures } from '../../../../test/support/fixture-suite.js';
import { loadPartnerProfile } from '../profile/profile-loader.js';
import { createCnAdapter } from './index.js';

describeFixtures('cn', () => createCnAdapter(loadPartnerProfile('cn')));

const adapter = createCnAdapter(loadPartnerProfile('cn'));
const fixture = (path: string) => readFileSync(repoPath('test', 'fixtures', 'cn', path));
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

async function failureOf(action: () => unknown): Promise<{ code: string; path?: string }> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { code: error.code, ...(error.path === undefined ? {} : { path: error.path }) };
  }
  return { code: 'ACCEPTED' };
}

/** A fictional Chinese AEO, check-digit-valid USCC. */
function chineseRecord(overrides: Partial<AeoRecord> = {}): AeoRecord {
  return {
    programme: 'CN-GACC',
    aeoId: 'AEOCN4403960001',
    aeoIdNormalized: 'CN4403960001',
    traderIds: [
      { scheme: 'CN-CUSTOMS10', value: '4403960001' },
      { scheme: 'CN-USCC18', value: '91440300MA5G0A1B29' },
    ],
    legalName: '深圳市示例电子有限公司（虚构）',
    address: { street: '南山区科技园示例路1号', city: '深圳市', country: 'CN' },
    status: 'ACTIVE',
    statusEffectiveFrom: '2022-03-18',
    authorisationType: 'CN_ADVANCED_CERTIFIED',
    supplyChainRoles: ['EXPORTER'],
    authorisationDate: '2022-03-18',
    validFrom: '2022-03-18',
    lastChangedAt: '2022-03-18T02:00:00Z',
    recordVersion: 1,
    consent: { granted: true, recordedOn: '2022-03-18' },
    ...overrides,
  };
}

/** Our AEO as the format reads it back (consent recorded on the authorisation date). */
function ourRecord(overrides: Partial<AeoRecord> = {}): AeoRecord {
  return homeRecord({ consent: { granted: true, recordedOn: '2024-01-15' }, ...overrides });
}

const chineseDelta = (record: AeoRecord) =>
  message(
    'AEO_STATUS_DELTA',
    { programme: 'CN-GACC', records: [record] },
    { sender: 'CN-GACC', recipient: 'KZ-SRC' },
  );
const ourDelta = (record: AeoRecord) =>
  message('AEO_STATUS_DELTA', { programme: 'KZ-SRC', records: [record] });

describe('cn adapter: identifiers on the wire', () => {
  it('writes a Chinese AEO as AEOCN + 10 digits and keeps customs code and USCC as trader ids', async () => {
    const { bytes, losses } = adapter.encode(chineseDelta(chineseRecord()));
    expect(losses).toEqual([]);
    expect(text(bytes)).toContain('<AeoCode>AEOCN4403960001</AeoCode>');
    expect(text(bytes)).toContain('<Uscc>91440300MA5G0A1B29</Uscc>');
    const [record] = recordsOf(await adapter.decode(bytes));
    expect(record).toMatchObject({ aeoId: 'AEOCN4403960001', aeoIdNormalized: 'CN4403960001' });
    expect(record.traderIds).toEqual(chineseRecord().traderIds);
  });

  it.each(['CN4403960001', '4403960001', 'aeocn4403960001'])(
    'accepts the inbound spelling %s, keeps it as written and normalises to CN+10',
    async (spelling) => {
      const wire = text(fixture('status-delta/valid/suspension.xml')).replace(
        'AEOCN6501960003',
        spelling.replace('4403960001', '6501960003'),
      );
      const [record] = recordsOf(await adapter.decode(Buffer.from(wire)));
      expect(record).toMatchObject({
        aeoId: spelling.replace('4403960001', '6501960003'),
        aeoIdNormalized: 'CN6501960003',
      });
    },
  );

  it('reports that another spelling of a Chinese AEO code reads back as AEOCN + 10 digits', () => {
    const { bytes, losses } = adapter.encode(chineseDelta(chineseRecord({ aeoId: 'CN4403960001' })));
    expect(text(bytes)).toContain('<AeoCode>AEOCN4403960001</AeoCode>');
    expect(losses).toEqual([
      expect.objectContaining({
        path: '/body/records/0/aeoId',
        kind: 'CODE_READ_BACK_DIFFERENTLY',
        detail: expect.stringContaining('"AEOCN4403960001"'),
      }),
    ]);
  });

  it("carries our AEO as 'KZ' + BIN next to the EAEU certificate number and rebuilds the record exactly", async () => {
    const record = ourRecord();
    const delta = ourDelta(record);
    const { bytes, losses } = adapter.encode(delta);
    expect(losses).toEqual([]);
    expect(text(bytes)).toContain(`<AeoCode>KZ${record.traderIds[0].value}</AeoCode>`);
    expect(text(bytes)).toContain('<CertificateNo>KZ/0001/ТИП 3</CertificateNo>');
    expect(await adapter.decode(bytes)).toEqual(delta);
  });

  it('keeps a Latin TIP certificate number as written and normalises it to Cyrillic', async () => {
    const wire = text(fixture('status-delta/valid/src-revocation-and-new-aeo.xml')).replace(
      'KZ/0012/ТИП 3',
      'KZ/0012/TIP 3',
    );
    const [record] = recordsOf(await adapter.decode(Buffer.from(wire)));
    expect(record).toMatchObject({ aeoId: 'KZ/0012/TIP 3', aeoIdNormalized: 'KZ/0012/ТИП 3' });
  });

  it('refuses to send one of our AEOs without a BIN, because GACC keys foreign AEOs on it', () => {
    expect(() => adapter.encode(ourDelta(ourRecord({ traderIds: [] })))).toThrow(
      expect.objectContaining({ code: 'CANNOT_ENCODE', path: '/body/records/0/traderIds' }),
    );
  });

  it('reports trader ids the format has no place for', () => {
    const { losses } = adapter.encode(
      ourDelta(ourRecord({ traderIds: [homeRecord().traderIds[0], { scheme: 'OTHER', value: 'X-1' }] })),
    );
    expect(losses).toEqual([
      expect.objectContaining({ path: '/body/records/0/traderIds', kind: 'FIELD_NOT_CARRIED' }),
    ]);
  });

  it('names the wire element of an identifier error', async () => {
    expect(
      await failureOf(() => adapter.decode(fixture('status-delta/invalid/IDENTIFIER_CHECK_DIGIT.xml'))),
    ).toEqual({
      code: 'IDENTIFIER_CHECK_DIGIT',
      path: '/AeoExchangeMessage/MessageBody/AeoDelta/AeoEnterprise/Uscc',
    });
    expect(
      await failureOf(() =>
        adapter.decode(fixture('status-delta/invalid/IDENTIFIER_CHECK_DIGIT--kz-bin.xml')),
      ),
    ).toEqual({
      code: 'IDENTIFIER_CHECK_DIGIT',
      path: '/AeoExchangeMessage/MessageBody/AeoDelta/AeoEnterprise[1]/AeoCode',
    });
  });
});

describe('cn adapter: code lists and losses', () => {
  it('states what the format cannot carry', () => {
    const capabilities = adapter.capabilities();
    expect(capabilities).toMatchObject({ partner: 'cn', wireFormat: 'xml' });
    expect(capabilities.fieldsNotCarried).toContain('record.consent');
    expect(capabilities.messageTypes).toHaveLength(6);
    expect(capabilities.codeLists).toEqual([
      {
        list: 'status',
        unsupported: ['CONSENT_WITHDRAWN'],
        lossy: [
          { canonical: 'ANNULLED', partner: '3', readBackAs: 'REVOKED' },
          { canonical: 'EXCLUDED', partner: '3', readBackAs: 'REVOKED' },
        ],
      },
      {
        list: 'authorisationType',
        unsupported: ['KR_A', 'KR_AA', 'KR_AAA', 'TR_AEO', 'EU_AEOC', 'EU_AEOS', 'EU_AEOF'],
        lossy: [],
      },
      {
        list: 'role',
        unsupported: ['GROUND_HANDLER'],
        lossy: [{ canonical: 'CONSOLIDATOR', partner: '06', readBackAs: 'FREIGHT_FORWARDER' }],
      },
    ]);
  });

  it.each(['ANNULLED', 'EXCLUDED'] as const)(
    'sends %s as withdrawn (3) and reports that it reads back as REVOKED',
    async (status) => {
      const { bytes, losses } = adapter.encode(ourDelta(ourRecord({ status })));
      expect(text(bytes)).toContain('<StatusCode>3</StatusCode>');
      expect(losses).toEqual([
        expect.objectContaining({
          path: '/body/records/0/status',
          kind: 'CODE_READ_BACK_DIFFERENTLY',
          detail: expect.stringContaining("is sent as '3'"),
        }),
      ]);
      const [record] = recordsOf(await adapter.decode(bytes));
      expect(record.status).toBe('REVOKED');
    },
  );

  it('cannot send a record whose holder withdrew consent', () => {
    const record = ourRecord({
      status: 'CONSENT_WITHDRAWN',
      consent: { granted: false, recordedOn: '2024-03-01' },
    });
    expect(() => adapter.encode(ourDelta(record))).toThrow(
      expect.objectContaining({ code: 'CANNOT_ENCODE', path: '/body/records/0/status' }),
    );
  });

  it('reports consent as not carried when it differs from what the format reads back', () => {
    const { losses } = adapter.encode(ourDelta(homeRecord()));
    expect(losses).toEqual([
      expect.objectContaining({ path: '/body/records/0/consent/recordedOn', kind: 'FIELD_NOT_CARRIED' }),
    ]);
  });

  it('writes shared role codes once, leaves out roles without a code and reports both', async () => {
    const record = ourRecord({ supplyChainRoles: ['CONSOLIDATOR', 'FREIGHT_FORWARDER', 'GROUND_HANDLER'] });
    const { bytes, losses } = adapter.encode(ourDelta(record));
    expect(text(bytes).match(/<RoleCode>\d+<\/RoleCode>/g)).toEqual(['<RoleCode>06</RoleCode>']);
    expect(losses).toEqual([
      expect.objectContaining({
        path: '/body/records/0/supplyChainRoles',
        kind: 'FIELD_NOT_CARRIED',
        detail: expect.stringMatching(/CONSOLIDATOR.*GROUND_HANDLER/),
      }),
    ]);
    const [readBack] = recordsOf(await adapter.decode(bytes));
    expect(readBack.supplyChainRoles).toEqual(['FREIGHT_FORWARDER']);
  });

  it('cannot send a record none of whose roles has a code', () => {
    expect(() => adapter.encode(ourDelta(ourRecord({ supplyChainRoles: ['GROUND_HANDLER'] })))).toThrow(
      expect.objectContaining({ code: 'CANNOT_ENCODE', path: '/body/records/0/supplyChainRoles' }),
    );
  });

  it('drops a lookup role without a code and reports it', () => {
    const { bytes, losses } = adapter.encode(
      message('AEO_LOOKUP_REQUEST', { aeoId: 'AEOCN4403960001', role: 'GROUND_HANDLER' }),
    );
    expect(text(bytes)).not.toContain('RoleCode');
    expect(losses).toEqual([expect.objectContaining({ path: '/body/role', kind: 'FIELD_NOT_CARRIED' })]);
  });

  it('cannot address a programme other than GACC and SRC', () => {
    const toKorea = message('AEO_LOOKUP_REQUEST', { aeoId: 'AEOCN4403960001' }, { recipient: 'KR-KCS' });
    expect(() => adapter.encode(toKorea)).toThrow(
      expect.objectContaining({ code: 'CANNOT_ENCODE', path: '/envelope/recipient' }),
    );
  });

  it('validates what it is asked to send', () => {
    const bad = chineseRecord({ traderIds: [{ scheme: 'CN-USCC18', value: '91440300MA5G0A1B28' }] });
    expect(() => adapter.encode(chineseDelta(bad))).toThrow(
      expect.objectContaining({ code: 'IDENTIFIER_CHECK_DIGIT' }),
    );
  });

  it('carries every field of its own valid fixtures without loss', async () => {
    for (const path of [
      'snapshot/valid/gacc-list-part-1-of-2.xml',
      'snapshot/valid/src-register-1-of-1.xml',
      'status-delta/valid/suspension.xml',
    ]) {
      expect(adapter.encode(await adapter.decode(fixture(path))).losses).toEqual([]);
    }
  });
});

describe('cn adapter: dates and times', () => {
  it('maps YYYYMMDD dates and Beijing times (UTC+8) across midnight', async () => {
    const delta = message(
      'AEO_STATUS_DELTA',
      {
        programme: 'KZ-SRC',
        records: [ourRecord({ statusEffectiveFrom: '2024-02-29', lastChangedAt: '2024-02-29T20:15:00Z' })],
      },
      {},
    );
    const { bytes } = adapter.encode({
      ...delta,
      envelope: { ...delta.envelope, createdAt: '2024-12-31T16:00:00.007Z' },
    });
    expect(text(bytes)).toContain('<StatusStartDate>20240229</StatusStartDate>');
    expect(text(bytes)).toContain('<UpdateTime>20240301041500</UpdateTime>');
    expect(text(bytes)).toContain('<SendTime>20250101000000007</SendTime>');
    const decoded = await adapter.decode(bytes);
    expect(decoded.envelope.createdAt).toBe('2024-12-31T16:00:00.007Z');
    expect(recordsOf(decoded)[0].lastChangedAt).toBe('2024-02-29T20:15:00Z');
  });

  it('reports a millisecond spelling that reads back padded to three digits', () => {
    const request = message('AEO_LOOKUP_REQUEST', { aeoId: 'AEOCN4403960001' });
    const { losses } = adapter.encode({
      ...request,
      envelope: { ...request.envelope, createdAt: '2024-06-01T10:00:00.5Z' },
    });
    expect(losses).toEqual([
      expect.objectContaining({
        path: '/envelope/createdAt',
        detail: expect.stringContaining('2024-06-01T10:00:00.500Z'),
      }),
    ]);
  });

  it.each([
    ['<StatusEndDate>20260901</StatusEndDate>', '<StatusEndDate>2026-09-01</StatusEndDate>', 'StatusEndDate'],
    ['<SendTime>20260602141245</SendTime>', '<SendTime>20260602146045</SendTime>', 'SendTime'],
    ['<UpdateTime>20260602141000</UpdateTime>', '<UpdateTime>20260230141000</UpdateTime>', 'UpdateTime'],
  ])('rejects %s written as %s with INVALID_DATE at the element', async (from, to, element) => {
    const wire = text(fixture('status-delta/valid/suspension.xml')).replace(from, to);
    const failure = await failureOf(() => adapter.decode(Buffer.from(wire)));
    expect(failure.code).toBe('INVALID_DATE');
    expect(failure.path).toMatch(new RegExp(`/${element}$`));
  });
});

describe('cn adapter: hostile or broken input', () => {
  const valid = text(fixture('status-delta/valid/suspension.xml'));
  const lines = valid.split('\n');
  const elementLines = lines
    .map((line, i) => [line.trim(), i] as const)
    .filter(([line]) => /^<[A-Z]/.test(line));

  // failureOf rethrows anything that is not a GatewayError, so a TypeError fails these tests.
  // The fixture's record has three RoleCode elements, so losing one leaves a valid record.
  it('answers every one-line deletion with a GatewayError, unless the element is optional', async () => {
    for (const [line, i] of elementLines) {
      const mutated = lines.filter((_, j) => j !== i).join('\n');
      const failure = await failureOf(() => adapter.decode(Buffer.from(mutated)));
      if (failure.code === 'ACCEPTED')
        expect(line).toMatch(
          /^<(RoleCode|Uscc|EnterpriseNameEn|Province|PostCode|StatusEndDate|StatusRemark)>/,
        );
    }
  });

  it('answers every text replaced by junk with a GatewayError, unless it is free text', async () => {
    for (const [line, i] of elementLines.filter(([line]) => /^<(\w+)>[^<]*<\/\1>$/.test(line))) {
      const mutated = lines.map((l, j) => (j === i ? l.replace(/>[^<]*</, '>\u00a0x<') : l)).join('\n');
      const failure = await failureOf(() => adapter.decode(Buffer.from(mutated)));
      if (failure.code === 'ACCEPTED')
        expect(line).toMatch(
          /^<(EnterpriseName|EnterpriseNameEn|Detail|City|Province|PostCode|StatusRemark)>/,
        );
    }
  });
});
