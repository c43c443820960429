import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { repoPath } from '@aeo/config';
import { GatewayError, type AeoRecord, type CanonicalMessage, type SnapshotBody } from '@aeo/domain';
import { describeFixtures } from '../../../../test/support/fixture-suite.js';
import { homeRecord, message } from '../../../../test/support/builders.js';
import { wireSchemaErrors } from '../../../../test/support/wire-schema.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { loadPartnerProfile, ProfileError } from '../profile/profile-loader.js';
import { createTrAdapter, YfksDirectory } from './index.js';

const profile = loadPartnerProfile('tr');
const adapter = createTrAdapter(profile);

describeFixtures('tr', () => createTrAdapter(loadPartnerProfile('tr')));

/** A fictional Turkish AEO; 1234567018 is a check-digit-valid VKN. */
function turkishRecord(overrides: Partial<AeoRecord> = {}): AeoRecord {
  return homeRecord({
    programme: 'TR-MOT',
    aeoId: 'TR1234567018',
    aeoIdNormalized: 'TR1234567018',
    traderIds: [{ scheme: 'TR-VKN', value: '1234567018' }],
    legalName: 'Anadolu Lojistik ve Ticaret A.Ş. (kurgusal)',
    address: { street: 'Rıhtım Caddesi No: 12', city: 'İstanbul', country: 'TR' },
    authorisationType: 'TR_AEO',
    ...overrides,
  });
}

function kzDelta(...records: AeoRecord[]): CanonicalMessage {
  return message('AEO_STATUS_DELTA', { programme: 'KZ-SRC', records }, { recipient: 'TR-MOT' });
}

function trDelta(...records: AeoRecord[]): CanonicalMessage {
  return message(
    'AEO_STATUS_DELTA',
    { programme: 'TR-MOT', records },
    { sender: 'TR-MOT', recipient: 'KZ-SRC' },
  );
}

interface WireDocument {
  readonly baslik: Record<string, unknown>;
  readonly icerik: { readonly kayitlar: Record<string, unknown>[] };
}

function wire(bytes: Uint8Array): WireDocument {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as WireDocument;
}

function errorOf(action: () => unknown): GatewayError {
  try {
    action();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

function profileWithTable(table: Record<string, string>): PartnerProfile {
  return { ...profile, mappingTables: { yfksByAeoId: table } };
}

const fixture = (path: string) => readFileSync(repoPath('test', 'fixtures', 'tr', path));

describe('tr: YFKS numbers of our AEOs', () => {
  it('takes the YFKS number from the profile table when the record has no TR-YFKS trader id', async () => {
    const record = homeRecord({}, 1); // KZ/0001/ТИП 3, listed in the table
    const encoded = adapter.encode(kzDelta(record));
    expect(wireSchemaErrors(profile, encoded.bytes)).toEqual([]);
    expect(wire(encoded.bytes).icerik.kayitlar[0].kimlikNumaralari).toEqual([
      { tur: 'KZ_BIN', deger: record.traderIds[0].value },
      { tur: 'YFKS', deger: 'YF2019000101' },
    ]);
    const decoded = await adapter.decode(encoded.bytes);
    expect((decoded.body as SnapshotBody).records[0].traderIds).toEqual([
      ...record.traderIds,
      { scheme: 'TR-YFKS', value: 'YF2019000101' },
    ]);
  });

  it('prefers the record’s own TR-YFKS trader id to the table and keeps the identifiers in order', async () => {
    const record = homeRecord(
      {
        traderIds: [
          { scheme: 'TR-YFKS', value: 'YF2024999999' },
          { scheme: 'KZ-BIN', value: homeRecord().traderIds[0].value },
        ],
      },
      1,
    );
    const sent = kzDelta(record);
    const encoded = adapter.encode(sent);
    expect(JSON.stringify(wire(encoded.bytes))).not.toContain('YF2019000101');
    expect(encoded.losses).toEqual([]);
    expect(await adapter.decode(encoded.bytes)).toEqual(sent);
  });

  it('refuses to encode one of our records that has no YFKS number, naming the record', () => {
    const unlisted = homeRecord({}, 42); // KZ/0042/ТИП 3 has no table row
    const error = errorOf(() => adapter.encode(kzDelta(homeRecord({}, 1), unlisted)));
    expect(error.code).toBe('CANNOT_ENCODE');
    expect(error.path).toBe('/body/records/1');
    expect(error.message).toContain('KZ/0042/ТИП 3');
  });

  it('names the record of a lookup response too', () => {
    const response = message(
      'AEO_LOOKUP_RESPONSE',
      { requestMessageId: '4c5d6e7f-8091-4a2b-b3c4-d5e6f7a8b9c0', found: true, record: homeRecord({}, 42) },
      { recipient: 'TR-MOT' },
    );
    expect(errorOf(() => adapter.encode(response)).toJSON()).toMatchObject({
      code: 'CANNOT_ENCODE',
      path: '/body/record',
    });
  });

  it('looks the table up by our normalised certificate number, whatever spelling the profile used', () => {
    const directory = new YfksDirectory(profileWithTable({ 'kz / 0009 / tip 2': ' YF2022000009 ' }));
    expect(directory.fromTable('KZ/0009/ТИП 2')).toBe('YF2022000009');
  });

  it.each([
    ['a key that is not one of our AEO ids', { TR1234567018: 'YF1' }],
    ['an empty YFKS number', { 'KZ/0009/ТИП 2': ' ' }],
    ['one AEO listed twice with different numbers', { 'KZ/0009/ТИП 2': 'YF1', 'KZ/0009/TIP 2': 'YF2' }],
  ])('stops start-up on %s', (_, table) => {
    expect(() => createTrAdapter(profileWithTable(table))).toThrow(ProfileError);
  });

  it('rejects one of our records received without a YFKS number', async () => {
    await expect(
      adapter.decode(fixture('status-delta/invalid/MISSING_REQUIRED_FIELD--kz-record-without-yfks.json')),
    ).rejects.toMatchObject({
      code: 'MISSING_REQUIRED_FIELD',
      path: '/icerik/kayitlar/0/kimlikNumaralari',
    });
  });
});

describe('tr: our register as Türkiye receives it', () => {
  it('re-encodes the KZ snapshot fixture byte for byte (the encoder writes the documented layout)', async () => {
    const bytes = fixture('snapshot/valid/kz-register-part-1-of-2.json');
    const encoded = adapter.encode(await adapter.decode(bytes));
    expect(encoded.losses).toEqual([]);
    expect(Buffer.from(encoded.bytes).toString('utf8')).toBe(bytes.toString('utf8'));
  });
});

describe('tr: certificates without expiry', () => {
  it('reports a validUntil as not carried and sends everything else', async () => {
    const record = homeRecord(
      {
        aeoId: 'KZ/0002/ТИП 2',
        aeoIdNormalized: 'KZ/0002/ТИП 2',
        authorisationType: 'EAEU_TYPE2',
        validUntil: '2027-01-14',
      },
      2,
    );
    const encoded = adapter.encode(kzDelta(record));
    expect(encoded.losses).toEqual([
      {
        path: '/body/records/0/validUntil',
        kind: 'FIELD_NOT_CARRIED',
        detail: expect.stringContaining('2027-01-14'),
      },
    ]);
    expect(wireSchemaErrors(profile, encoded.bytes)).toEqual([]);
    expect(Buffer.from(encoded.bytes).toString('utf8')).not.toContain('2027');
    const { validUntil: _notCarried, ...carried } = record;
    const decoded = await adapter.decode(encoded.bytes);
    expect((decoded.body as SnapshotBody).records[0]).toEqual({
      ...carried,
      traderIds: [...record.traderIds, { scheme: 'TR-YFKS', value: 'YF2019000102' }],
    });
  });

  it('rejects an end-of-validity member on the wire', async () => {
    await expect(
      adapter.decode(fixture('status-delta/invalid/UNEXPECTED_FIELD--end-of-validity.json')),
    ).rejects.toMatchObject({
      code: 'UNEXPECTED_FIELD',
      path: '/icerik/kayitlar/0/gecerlilikBitisTarihi',
    });
  });
});

describe('tr: capabilities', () => {
  it('lists the missing validity end and the code-list gaps', () => {
    expect(adapter.capabilities()).toEqual({
      partner: 'tr',
      wireFormat: 'json',
      fieldsNotCarried: ['record.validUntil'],
      codeLists: [
        {
          list: 'status',
          unsupported: ['EXPIRED'],
          lossy: [{ canonical: 'ANNULLED', partner: 'IPTAL', readBackAs: 'REVOKED' }],
        },
        {
          list: 'authorisationType',
          unsupported: [
            'CN_ADVANCED_CERTIFIED',
            'CN_CERTIFIED',
            'KR_A',
            'KR_AA',
            'KR_AAA',
            'EU_AEOC',
            'EU_AEOS',
            'EU_AEOF',
          ],
          lossy: [],
        },
        {
          list: 'role',
          unsupported: [],
          lossy: [
            {
              canonical: 'CONSOLIDATOR',
              partner: 'TASIMA_ISLERI_ORGANIZATORU',
              readBackAs: 'FREIGHT_FORWARDER',
            },
          ],
        },
      ],
      messageTypes: [
        'AEO_SNAPSHOT',
        'AEO_STATUS_DELTA',
        'AEO_LOOKUP_REQUEST',
        'AEO_LOOKUP_RESPONSE',
        'RECEIPT',
        'IRREGULARITY_NOTICE',
      ],
    });
  });

  it('uses exactly the profile’s codes in the wire schema', () => {
    const schema = JSON.parse(readFileSync(repoPath(profile.wire.schemaFile), 'utf8'));
    const partnerCodes = (list: 'status' | 'authorisationType' | 'role') =>
      [
        ...new Set(profile.codeLists[list].map((entry) => entry.partner).filter((code) => code !== null)),
      ].sort();
    expect([...schema.$defs.durum.properties.kod.enum].sort()).toEqual(partnerCodes('status'));
    expect([...schema.$defs.yysKaydi.properties.yetkiTuru.enum].sort()).toEqual(
      partnerCodes('authorisationType'),
    );
    expect([...schema.$defs.faaliyetAlani.enum].sort()).toEqual(partnerCodes('role'));
    expect(schema.properties.profile.const).toBe(profile.wire.namespace);
  });
});

describe('tr: lossy and missing codes', () => {
  it('sends an annulment as IPTAL and says it comes back as a revocation', async () => {
    const encoded = adapter.encode(trDelta(turkishRecord({ status: 'ANNULLED' })));
    expect(wire(encoded.bytes).icerik.kayitlar[0].durum).toMatchObject({ kod: 'IPTAL' });
    expect(encoded.losses).toEqual([
      {
        path: '/body/records/0/status',
        kind: 'CODE_READ_BACK_DIFFERENTLY',
        detail: expect.stringContaining('REVOKED'),
      },
    ]);
    expect(((await adapter.decode(encoded.bytes)).body as SnapshotBody).records[0].status).toBe('REVOKED');
  });

  it('writes one activity for a consolidator that is also a freight forwarder', async () => {
    const encoded = adapter.encode(
      trDelta(turkishRecord({ supplyChainRoles: ['FREIGHT_FORWARDER', 'CONSOLIDATOR', 'CARRIER'] })),
    );
    expect(wireSchemaErrors(profile, encoded.bytes)).toEqual([]);
    expect(wire(encoded.bytes).icerik.kayitlar[0].faaliyetAlanlari).toEqual([
      'TASIMA_ISLERI_ORGANIZATORU',
      'TASIYICI',
    ]);
    expect(encoded.losses.map((loss) => loss.path)).toEqual(['/body/records/0/supplyChainRoles/1']);
    const decoded = await adapter.decode(encoded.bytes);
    expect((decoded.body as SnapshotBody).records[0].supplyChainRoles).toEqual([
      'FREIGHT_FORWARDER',
      'CARRIER',
    ]);
  });

  it('cannot send an expired record: the format has no expiry', () => {
    const error = errorOf(() => adapter.encode(trDelta(turkishRecord({ status: 'EXPIRED' }))));
    expect(error.toJSON()).toMatchObject({ code: 'CANNOT_ENCODE', path: '/body/records/0/status' });
  });

  it('cannot send another programme’s list: only TR and KZ administrations exist in this format', () => {
    const chinese = message(
      'AEO_LOOKUP_REQUEST',
      { aeoId: 'CN0123456789' },
      { sender: 'CN-GACC', recipient: 'TR-MOT' },
    );
    expect(errorOf(() => adapter.encode(chinese)).toJSON()).toMatchObject({
      code: 'CANNOT_ENCODE',
      path: '/envelope/sender',
    });
  });
});

describe('tr: identifiers, dates and instants', () => {
  it('keeps a bare-VKN AEO id as written and adds the VKN trader id Türkiye requires', async () => {
    const sent = trDelta(turkishRecord({ aeoId: '1234567018', traderIds: [] }));
    const encoded = adapter.encode(sent);
    const record = wire(encoded.bytes).icerik.kayitlar[0];
    expect(record.yysNo).toBe('1234567018');
    expect(record.kimlikNumaralari).toEqual([{ tur: 'VKN', deger: '1234567018' }]);
    const decoded = ((await adapter.decode(encoded.bytes)).body as SnapshotBody).records[0];
    expect(decoded).toMatchObject({ aeoId: '1234567018', aeoIdNormalized: 'TR1234567018' });
  });

  it('writes dates as GG.AA.YYYY and instants in Türkiye time, keeping fractions of a second', () => {
    const sent = trDelta(
      turkishRecord({ statusEffectiveFrom: '2024-03-05', lastChangedAt: '2024-12-31T22:30:00.05Z' }),
    );
    const document = wire(adapter.encode(sent).bytes);
    expect(document.icerik.kayitlar[0]).toMatchObject({
      durum: { kod: 'GECERLI', baslangicTarihi: '05.03.2024' },
      sonDegisiklikZamani: '2025-01-01T01:30:00.05+03:00',
    });
    expect(document.baslik.olusturmaZamani).toBe('2024-06-01T13:00:00+03:00');
  });

  it('reads an instant in any offset as UTC', async () => {
    const text = fixture('status-delta/valid/tr-suspension.json')
      .toString('utf8')
      .replace('2024-06-10T15:30:00+03:00', '2024-06-10T08:00:00-04:30');
    const decoded = await adapter.decode(Buffer.from(text, 'utf8'));
    expect((decoded.body as SnapshotBody).records[0].lastChangedAt).toBe('2024-06-10T12:30:00Z');
  });

  it.each([
    [
      'status-delta/invalid/BUSINESS_RULE_VIOLATION--type-differs-from-certificate.json',
      '/icerik/kayitlar/0/yetkiTuru',
    ],
    ['snapshot/invalid/CHUNK_OUT_OF_RANGE.json', '/icerik/parca/sira'],
  ])('reports business-rule failures of %s at their wire path', async (file, path) => {
    await expect(adapter.decode(fixture(file))).rejects.toMatchObject({ path });
  });

  it('names the wire path of a bad check digit', async () => {
    await expect(
      adapter.decode(fixture('status-delta/invalid/IDENTIFIER_CHECK_DIGIT--kz-bin.json')),
    ).rejects.toMatchObject({
      code: 'IDENTIFIER_CHECK_DIGIT',
      path: '/icerik/kayitlar/0/kimlikNumaralari/0/deger',
    });
  });
});
