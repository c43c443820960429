import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { repoPath } from '@aeo/config';
import { GatewayError, type AeoRecord, type CanonicalMessage, type SnapshotBody } from '@aeo/domain';
import { homeRecord, message } from '../../../../test/support/builders.js';
import { describeFixtures, listFixtures } from '../../../../test/support/fixture-suite.js';
import { wireSchemaErrors } from '../../../../test/support/wire-schema.js';
import { loadPartnerProfile } from '../profile/profile-loader.js';
import { createEaeuAdapter } from './index.js';

describeFixtures('eaeu', () => createEaeuAdapter(loadPartnerProfile('eaeu')));

const profile = loadPartnerProfile('eaeu');
const adapter = createEaeuAdapter(profile);
const fixture = (path: string) => readFileSync(repoPath('test', 'fixtures', 'eaeu', path), 'utf8');
const bytes = (text: string) => Buffer.from(text, 'utf8');
const xml = (encoded: { bytes: Uint8Array }) => Buffer.from(encoded.bytes).toString('utf8');

async function rejection(input: Uint8Array): Promise<{ code: string; path?: string }> {
  try {
    await adapter.decode(input);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { code: error.code, ...(error.path ? { path: error.path } : {}) };
  }
  return { code: 'ACCEPTED' };
}

function thrownBy(action: () => unknown): { code: string; path?: string } {
  try {
    action();
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { code: error.code, ...(error.path ? { path: error.path } : {}) };
  }
  return { code: 'ACCEPTED' };
}

/** Our national part of the register as we send it to the Commission. */
function kzSnapshot(records: AeoRecord[], programme: SnapshotBody['programme'] = 'KZ-SRC') {
  return message(
    'AEO_SNAPSHOT',
    {
      snapshotId: '0b1f8a52-7c3e-4d9a-8e21-5f6a7b8c9d0e',
      programme,
      asOf: '2024-06-02T00:00:00Z',
      chunkIndex: 1,
      chunkCount: 1,
      records,
    },
    { recipient: 'EAEU-EEC' },
  );
}

describe('eaeu adapter: our register in the EEC format', () => {
  it('encodes KZ-SRC records (EAEU certificates, BIN) without loss and reads them back', async () => {
    const outbound = kzSnapshot([
      homeRecord({}, 1),
      homeRecord(
        { aeoId: 'KZ/0002/ТИП 2', aeoIdNormalized: 'KZ/0002/ТИП 2', authorisationType: 'EAEU_TYPE2' },
        2,
      ),
    ]);
    const encoded = adapter.encode(outbound);
    expect(encoded.losses).toEqual([]);
    expect(wireSchemaErrors(profile, encoded.bytes)).toEqual([]);
    expect(xml(encoded)).toContain('<csdo:BusinessEntityId kindId="KZ-BIN">');
    expect(xml(encoded)).toContain('<aeo:AEORegistryKindCode>ТИП2</aeo:AEORegistryKindCode>');
    expect(await adapter.decode(encoded.bytes)).toEqual(outbound);
  });

  it('writes the official Cyrillic number and reports a raw Latin spelling as not carried', async () => {
    const latin = homeRecord({ aeoId: 'kz/0001/tip 3' });
    const encoded = adapter.encode(kzSnapshot([latin]));
    expect(xml(encoded)).toContain('<aeo:DocId>KZ/0001/ТИП 3</aeo:DocId>');
    expect(encoded.losses).toEqual([
      expect.objectContaining({ path: '/body/records/0/aeoId', kind: 'FIELD_NOT_CARRIED' }),
    ]);
    const [readBack] = ((await adapter.decode(encoded.bytes)).body as SnapshotBody).records;
    expect(readBack).toMatchObject({ aeoId: 'KZ/0001/ТИП 3', aeoIdNormalized: 'KZ/0001/ТИП 3' });
  });

  it('sends annulment as revocation, says so, and reads it back as REVOKED', async () => {
    const encoded = adapter.encode(kzSnapshot([homeRecord({ status: 'ANNULLED' })]));
    expect(xml(encoded)).toContain('<aeo:AEOCertificateStatusCode>03</aeo:AEOCertificateStatusCode>');
    expect(encoded.losses).toEqual([
      expect.objectContaining({ path: '/body/records/0/status', kind: 'CODE_READ_BACK_DIFFERENTLY' }),
    ]);
    expect(((await adapter.decode(encoded.bytes)).body as SnapshotBody).records[0].status).toBe('REVOKED');
  });

  it('carries a withdrawn consent as status 06 and the consent block', async () => {
    const record = homeRecord({
      status: 'CONSENT_WITHDRAWN',
      statusEffectiveFrom: '2024-03-01',
      consent: { granted: false, recordedOn: '2024-03-01' },
    });
    const encoded = adapter.encode(kzSnapshot([record]));
    expect(encoded.losses).toEqual([]);
    expect(((await adapter.decode(encoded.bytes)).body as SnapshotBody).records[0]).toEqual(record);
  });

  it.each([
    [
      'an expiry (the register has no expiry status)',
      kzSnapshot([homeRecord({ status: 'EXPIRED' })]),
      '/body/records/0/status',
    ],
    [
      'a Chinese record in the common register',
      kzSnapshot(
        [
          homeRecord({
            programme: 'CN-GACC',
            aeoId: 'CN0123456789',
            aeoIdNormalized: 'CN0123456789',
            traderIds: [{ scheme: 'CN-CUSTOMS10', value: '0123456789' }],
            authorisationType: 'CN_ADVANCED_CERTIFIED',
          }),
        ],
        'EAEU-EEC',
      ),
      '/body/records/0/programme',
    ],
    [
      'a sender outside the common process',
      { ...kzSnapshot([homeRecord()]), envelope: { ...kzSnapshot([]).envelope, sender: 'TR-MOT' } },
      '/envelope/sender',
    ],
    [
      'a lookup of a non-EAEU number',
      message('AEO_LOOKUP_REQUEST', { aeoId: 'CN0123456789' }, { recipient: 'EAEU-EEC' }),
      '/body/aeoId',
    ],
  ])('refuses to encode %s with CANNOT_ENCODE', (_what, canonical, path) => {
    expect(thrownBy(() => adapter.encode(canonical as CanonicalMessage))).toEqual({
      code: 'CANNOT_ENCODE',
      path,
    });
  });

  it('refuses to encode an extract that lists a certificate twice (the XSD makes DocId unique)', () => {
    const twice = kzSnapshot([
      homeRecord({}, 1),
      homeRecord({ aeoId: 'KZ/0001/TIP 3', recordVersion: 2 }, 1),
    ]);
    expect(thrownBy(() => adapter.encode(twice))).toEqual({
      code: 'CANNOT_ENCODE',
      path: '/body/records/1/aeoId',
    });
  });
});

describe('eaeu adapter: reading the Commission', () => {
  it('derives each programme from the certificate number of the common register', async () => {
    const snapshot = (
      await adapter.decode(bytes(fixture('snapshot/valid/eec-common-register-part-1-of-2.xml')))
    ).body as SnapshotBody;
    expect(snapshot.programme).toBe('EAEU-EEC');
    expect(snapshot.records.map((r) => r.programme)).toEqual([
      'EAEU-BY',
      'EAEU-RU',
      'EAEU-AM',
      'EAEU-KG',
      'KZ-SRC',
    ]);
  });

  it('converts Moscow and Bishkek times to UTC, keeping fractional seconds', async () => {
    const decoded = await adapter.decode(
      bytes(fixture('snapshot/valid/eec-common-register-part-1-of-2.xml')),
    );
    const records = (decoded.body as SnapshotBody).records;
    expect(decoded.envelope.createdAt).toBe('2024-06-01T06:00:00Z');
    expect(records.map((r) => r.lastChangedAt)).toEqual([
      '2023-11-20T11:30:00Z',
      '2022-02-10T07:15:30.250Z',
      '2022-09-05T08:00:00Z',
      '2023-04-20T06:00:00Z',
      '2024-01-15T09:00:00Z',
    ]);
  });

  it('treats a missing consent block as consent given on the date of inclusion', async () => {
    const records = (
      (await adapter.decode(bytes(fixture('snapshot/valid/eec-common-register-part-1-of-2.xml'))))
        .body as SnapshotBody
    ).records;
    expect(records[1].consent).toEqual({ granted: true, recordedOn: '2019-07-01' });
  });

  it('accepts the Latin TIP and spacing variants, keeping the raw spelling', async () => {
    const delta = fixture('status-delta/valid/eec-by-suspended.xml').replace(
      '<aeo:DocId>BY/0042/ТИП 2</aeo:DocId>',
      '<aeo:DocId>BY/0042/TIP 2</aeo:DocId>',
    );
    const [record] = ((await adapter.decode(bytes(delta))).body as SnapshotBody).records;
    expect(record).toMatchObject({
      aeoId: 'BY/0042/TIP 2',
      aeoIdNormalized: 'BY/0042/ТИП 2',
      programme: 'EAEU-BY',
    });
    const query = fixture('lookup-request/valid/kz-asks-by-carrier.xml').replace(
      'BY/0042/ТИП 2',
      'by / 0042 / tip 2',
    );
    expect((await adapter.decode(bytes(query))).body).toMatchObject({
      aeoId: 'by / 0042 / tip 2',
      role: 'CARRIER',
    });
  });

  it.each([
    [
      'snapshot/invalid/IDENTIFIER_CHECK_DIGIT.xml',
      '/AEORegistryExtractDetails/AEORegistryEntryDetails[1]/AEOSubjectDetails/BusinessEntityId',
    ],
    [
      'snapshot/invalid/WRONG_NAMESPACE--child-in-csdo.xml',
      '/AEORegistryExtractDetails/AEORegistryEntryDetails[2]/AEORegistryIdDetails/DocId',
    ],
    [
      'snapshot/invalid/BUSINESS_RULE_VIOLATION--issuer-country-mismatch.xml',
      '/AEORegistryExtractDetails/AEORegistryEntryDetails[1]/AEORegistryIdDetails/UnifiedCountryCode',
    ],
    [
      'snapshot/invalid/BUSINESS_RULE_VIOLATION--duplicate-certificate.xml',
      '/AEORegistryExtractDetails/AEORegistryEntryDetails[3]',
    ],
    [
      'status-delta/invalid/UNKNOWN_STATUS_CODE.xml',
      '/AEORegistryChangeDetails/AEORegistryEntryDetails/AEOCertificateStatusDetails/AEOCertificateStatusCode',
    ],
    [
      'status-delta/invalid/INVALID_DATE.xml',
      '/AEORegistryChangeDetails/AEORegistryEntryDetails/AEOCertificateStatusDetails/StartDate',
    ],
    [
      'status-delta/invalid/BUSINESS_RULE_VIOLATION--type-mismatch.xml',
      '/AEORegistryChangeDetails/AEORegistryEntryDetails/AEORegistryIdDetails/AEORegistryKindCode',
    ],
    [
      'status-delta/invalid/UNKNOWN_ROLE_CODE.xml',
      '/AEORegistryChangeDetails/AEORegistryEntryDetails/AEOActivityKindCode[2]',
    ],
  ])('names the element at fault in %s', async (file, path) => {
    expect((await rejection(bytes(fixture(file)))).path).toBe(path);
  });

  it('refuses text where an element is expected, and the header codes of another message', async () => {
    const nested = fixture('lookup-request/valid/kz-asks-by-carrier.xml').replace(
      '<aeo:CustomsDeclarationId>55201/050624/0001234</aeo:CustomsDeclarationId>',
      '<aeo:CustomsDeclarationId><aeo:DocId>x</aeo:DocId></aeo:CustomsDeclarationId>',
    );
    expect(await rejection(bytes(nested))).toEqual({
      code: 'UNEXPECTED_FIELD',
      path: '/AEORegistryQueryDetails/CustomsDeclarationId/DocId',
    });
    const wrongStructure = fixture('lookup-request/valid/kz-asks-by-carrier.xml').replace(
      'R.CC.RG.99.003',
      'R.CC.RG.99.004',
    );
    expect(await rejection(bytes(wrongStructure))).toEqual({
      code: 'INVALID_VALUE',
      path: '/AEORegistryQueryDetails/EDocHeader/EDocCode',
    });
  });

  it('never fails with anything but a GatewayError on damaged input', async () => {
    const sources = listFixtures('eaeu')
      .filter((f) => f.valid)
      .map((f) => readFileSync(f.file, 'utf8'));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...sources),
        fc.nat(),
        fc.nat(),
        fc.constantFrom('', '<', '>', '&', '"', 'x', '0', '-', '</a>', ' '),
        async (source, at, length, insert) => {
          const start = at % source.length;
          const damaged = `${source.slice(0, start)}${insert}${source.slice(start + (length % 24))}`;
          const outcome = await rejection(bytes(damaged));
          expect(typeof outcome.code).toBe('string');
        },
      ),
      { numRuns: 300 },
    );
  });
});
