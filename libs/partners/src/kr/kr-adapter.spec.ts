import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { repoPath } from '@aeo/config';
import { GatewayError, TRADER_ID_SCHEMES, type AeoRecord, type CanonicalMessage } from '@aeo/domain';
import { homeRecord, message } from '../../../../test/support/builders.js';
import { describeFixtures, listFixtures } from '../../../../test/support/fixture-suite.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { ProfileError, loadPartnerProfile } from '../profile/profile-loader.js';
import { createKrAdapter } from './index.js';
import { KR_ACK_RESULTS, KR_DOC_TYPES, KR_RECORD_RESULTS } from './kr-wire.js';

describeFixtures('kr', () => createKrAdapter(loadPartnerProfile('kr')));

const profile = loadPartnerProfile('kr');
const adapter = createKrAdapter(profile);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function fixture(path: string): Json {
  return JSON.parse(readFileSync(repoPath('test', 'fixtures', 'kr', path), 'utf8')) as Json;
}

const bytesOf = (document: unknown) => Buffer.from(JSON.stringify(document), 'utf8');
const wireOf = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8')) as Json;

async function reasonOf(action: () => unknown): Promise<{ code: string; path?: string }> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { code: error.code, ...(error.path === undefined ? {} : { path: error.path }) };
  }
  return { code: 'ACCEPTED' };
}

/** A KCS list page with one record changed by `edit` (a copy of the first valid fixture). */
function listWith(edit: (aeo: Json) => void): Json {
  const document = fixture('snapshot/valid/kr-list-page-1-of-2.json');
  edit(document.payload.aeo_list[0]);
  return document;
}

function recordsOf(decoded: CanonicalMessage): readonly AeoRecord[] {
  return (decoded.body as { records: readonly AeoRecord[] }).records;
}

describe('kr adapter', () => {
  it('reports what the KCS format cannot carry', () => {
    const capabilities = adapter.capabilities();
    expect(capabilities).toMatchObject({ partner: 'kr', wireFormat: 'json', fieldsNotCarried: [] });
    expect(capabilities.messageTypes).toHaveLength(6);
    const list = (name: string) => capabilities.codeLists.find((c) => c.list === name)!;
    expect(list('status').unsupported).toEqual([]);
    expect(list('status').lossy).toEqual([
      { canonical: 'ANNULLED', partner: 'CANCELLED', readBackAs: 'REVOKED' },
      { canonical: 'EXCLUDED', partner: 'CANCELLED', readBackAs: 'REVOKED' },
    ]);
    expect([...list('authorisationType').unsupported].sort()).toEqual([
      'CN_ADVANCED_CERTIFIED',
      'CN_CERTIFIED',
      'EU_AEOC',
      'EU_AEOF',
      'EU_AEOS',
      'TR_AEO',
    ]);
    expect(list('role').unsupported).toEqual([]);
    expect(list('role').lossy).toEqual([
      { canonical: 'MANUFACTURER', partner: 'EXP', readBackAs: 'EXPORTER' },
      { canonical: 'CONSOLIDATOR', partner: 'FWD', readBackAs: 'FREIGHT_FORWARDER' },
      { canonical: 'TERMINAL_OPERATOR', partner: 'BWH', readBackAs: 'WAREHOUSE_KEEPER' },
    ]);
  });

  it('sends our records with codes Korea lacks, and lists each loss', async () => {
    const record = homeRecord({
      status: 'EXCLUDED',
      supplyChainRoles: ['MANUFACTURER', 'EXPORTER', 'TERMINAL_OPERATOR'],
    });
    const delta = message(
      'AEO_STATUS_DELTA',
      { programme: 'KZ-SRC', records: [record] },
      { recipient: 'KR-KCS' },
    );
    const { bytes, losses } = adapter.encode(delta);
    expect(losses).toEqual([
      {
        path: '/body/records/0/supplyChainRoles/0',
        kind: 'CODE_READ_BACK_DIFFERENTLY',
        detail: expect.stringContaining('EXPORTER'),
      },
      {
        path: '/body/records/0/supplyChainRoles/2',
        kind: 'CODE_READ_BACK_DIFFERENTLY',
        detail: expect.stringContaining('WAREHOUSE_KEEPER'),
      },
      {
        path: '/body/records/0/status',
        kind: 'CODE_READ_BACK_DIFFERENTLY',
        detail: expect.stringContaining('REVOKED'),
      },
    ]);
    const wire = wireOf(bytes);
    expect(wire.payload.change_list[0].certification.biz_types).toEqual(['EXP', 'BWH']);
    expect(wire.payload.change_list[0].status.status_cd).toBe('CANCELLED');
    const [back] = recordsOf(await adapter.decode(bytes));
    expect(back).toEqual({
      ...record,
      status: 'REVOKED',
      supplyChainRoles: ['EXPORTER', 'WAREHOUSE_KEEPER'],
    });
  });

  it('carries our EAEU certificate numbers and BINs as they are', async () => {
    const record = homeRecord({ aeoId: 'KZ/0042/ТИП 3', aeoIdNormalized: 'KZ/0042/ТИП 3' }, 42);
    const snapshot = message(
      'AEO_SNAPSHOT',
      {
        snapshotId: '8d1f4a39-51c2-4b7e-9f0e-2a6c3b1d5e70',
        programme: 'KZ-SRC',
        asOf: '2024-06-01T00:00:00Z',
        chunkIndex: 1,
        chunkCount: 1,
        records: [record],
      },
      { recipient: 'KR-KCS' },
    );
    const { bytes, losses } = adapter.encode(snapshot);
    expect(losses).toEqual([]);
    const aeo = wireOf(bytes).payload.aeo_list[0];
    expect(aeo).toMatchObject({
      issuer_cd: 'KZ',
      aeo_id: 'KZ/0042/ТИП 3',
      certification: { aeo_grade: 'EAEU3', biz_types: ['BTP', 'FWD'] },
    });
    expect(aeo.company.trader_ids).toEqual([{ id_type_cd: 'KZ_BIN', id_no: record.traderIds[0].value }]);
    expect(await adapter.decode(bytes)).toEqual(snapshot);
  });

  it('writes instants in KST and reads them back in UTC', async () => {
    const record = homeRecord({ lastChangedAt: '2024-12-31T15:00:00.5Z' });
    const delta = message(
      'AEO_STATUS_DELTA',
      { programme: 'KZ-SRC', records: [record] },
      { recipient: 'KR-KCS' },
    );
    const wire = wireOf(adapter.encode(delta).bytes);
    expect(wire.header.send_dt).toBe('2024-06-01T19:00:00+09:00');
    expect(wire.payload.change_list[0].last_chg_dt).toBe('2025-01-01T00:00:00.5+09:00');
    expect(await adapter.decode(adapter.encode(delta).bytes)).toEqual(delta);
  });

  it('rejects a date-time in another offset, naming the wire member', async () => {
    const document = listWith((aeo) => (aeo.last_chg_dt = '2024-05-31T08:45:00Z'));
    expect(await reasonOf(() => adapter.decode(bytesOf(document)))).toEqual({
      code: 'INVALID_DATE',
      path: '/payload/aeo_list/0/last_chg_dt',
    });
  });

  it('reads a business registration number with or without dashes and writes it with them', async () => {
    const document = listWith((aeo) => (aeo.company.trader_ids[0].id_no = '1048123454'));
    const decoded = await adapter.decode(bytesOf(document));
    expect(recordsOf(decoded)[0].traderIds[0]).toEqual({ scheme: 'KR-BRN', value: '1048123454' });
    expect(wireOf(adapter.encode(decoded).bytes).payload.aeo_list[0].company.trader_ids[0].id_no).toBe(
      '104-81-23454',
    );
  });

  it.each(['AEOKR1048123454', 'KR1048123454', '1048123454', 'aeokr1048123454'])(
    'keeps the KCS AEO id %s as written and normalises it to KR + BRN',
    async (aeoId) => {
      const decoded = await adapter.decode(bytesOf(listWith((aeo) => (aeo.aeo_id = aeoId))));
      expect(recordsOf(decoded)[0]).toMatchObject({ aeoId, aeoIdNormalized: 'KR1048123454' });
    },
  );

  it('takes the KCS AEO-id layout from the profile', async () => {
    const custom: PartnerProfile = {
      ...profile,
      identifiers: {
        krAeoId: {
          scheme: 'KR-AEO',
          description: 'test layout',
          pattern: '^KCS-AEO-(\\d{6})$',
          normalisedTemplate: 'KRA$1',
        },
      },
    };
    const customAdapter = createKrAdapter(custom);
    const document = listWith((aeo) => (aeo.aeo_id = 'KCS-AEO-004711'));
    document.payload.aeo_list = document.payload.aeo_list.slice(0, 1);
    const withCustomId = bytesOf(document);
    expect(recordsOf(await customAdapter.decode(withCustomId))[0].aeoIdNormalized).toBe('KRA004711');
    expect(await reasonOf(() => adapter.decode(withCustomId))).toEqual({
      code: 'IDENTIFIER_FORMAT',
      path: '/payload/aeo_list/0/aeo_id',
    });
    const withDefaultId = readFileSync(
      repoPath('test', 'fixtures', 'kr', 'snapshot', 'valid', 'kr-list-page-1-of-2.json'),
    );
    expect((await reasonOf(() => customAdapter.decode(withDefaultId))).code).toBe('IDENTIFIER_FORMAT');
  });

  it('reads shipping companies and airlines as carriers, once', async () => {
    const document = listWith((aeo) => (aeo.certification.biz_types = ['SEA', 'AIR', 'BTP', 'GHD']));
    expect(recordsOf(await adapter.decode(bytesOf(document)))[0].supplyChainRoles).toEqual([
      'CARRIER',
      'GROUND_HANDLER',
    ]);
  });

  it('refuses to encode administrations and records this format has no code for', async () => {
    const toTurkey = message(
      'IRREGULARITY_NOTICE',
      { aeoId: 'KZ/0001/ТИП 3', reference: 'R-1', observedOn: '2024-06-01', description: 'x' },
      { recipient: 'TR-MOT' },
    );
    expect(await reasonOf(() => adapter.encode(toTurkey))).toEqual({
      code: 'CANNOT_ENCODE',
      path: '/envelope/recipient',
    });
    const chinese: AeoRecord = {
      ...homeRecord(),
      programme: 'CN-GACC',
      aeoId: 'AEOCN0123456789',
      aeoIdNormalized: 'CN0123456789',
      traderIds: [{ scheme: 'CN-USCC18', value: '91350100M000100Y43' }],
      authorisationType: 'CN_ADVANCED_CERTIFIED',
    };
    const response = message(
      'AEO_LOOKUP_RESPONSE',
      { requestMessageId: '0b7e3c1a-2f4d-4e8b-9a6c-5d1e7f3a9b20', found: true, record: chinese },
      { recipient: 'KR-KCS' },
    );
    expect(await reasonOf(() => adapter.encode(response))).toEqual({
      code: 'CANNOT_ENCODE',
      path: '/body/record/programme',
    });
  });

  it('refuses to encode a canonical message that breaks the canonical rules', async () => {
    const broken = homeRecord({ traderIds: [{ scheme: 'KZ-BIN', value: '990740000684' }] });
    const delta = message(
      'AEO_STATUS_DELTA',
      { programme: 'KZ-SRC', records: [broken] },
      { recipient: 'KR-KCS' },
    );
    expect((await reasonOf(() => adapter.encode(delta))).code).toBe('IDENTIFIER_CHECK_DIGIT');
  });

  it('re-encodes every valid fixture byte for byte, except inbound-only operator kinds', async () => {
    for (const f of listFixtures('kr').filter((x) => x.valid)) {
      const bytes = readFileSync(f.file);
      const text = bytes.toString('utf8');
      if (/"(SEA|AIR)"/.test(text)) continue; // read as CARRIER, written back as BTP (formatNotes 8)
      expect(Buffer.from(adapter.encode(await adapter.decode(bytes)).bytes).toString('utf8')).toBe(text);
    }
  });

  it('uses the same codes as its wire schema', () => {
    const schema = JSON.parse(readFileSync(repoPath(profile.wire.schemaFile), 'utf8')) as Json;
    const defs = schema.$defs as Json;
    const sentCodes = (entries: PartnerProfile['codeLists']['status']) =>
      [...new Set(entries.map((e) => e.partner).filter((code): code is string => code !== null))].sort();
    const tables = profile.mappingTables!;
    expect(schema.properties.profile.const).toBe(profile.wire.namespace);
    expect([...defs.statusCode.enum].sort()).toEqual(sentCodes(profile.codeLists.status));
    expect([...defs.aeoGrade.enum].sort()).toEqual(sentCodes(profile.codeLists.authorisationType));
    expect([...defs.bizType.enum].sort()).toEqual(
      [...sentCodes(profile.codeLists.role), ...Object.keys(tables.inboundRoleCodes)].sort(),
    );
    expect([...defs.traderId.properties.id_type_cd.enum].sort()).toEqual(
      Object.values(tables.traderIdTypes).sort(),
    );
    expect(Object.keys(tables.traderIdTypes).sort()).toEqual([...TRADER_ID_SCHEMES].sort());
    expect([...defs.administrationCode.enum].sort()).toEqual(
      Object.values(tables.administrationCodes).sort(),
    );
    expect([...defs.header.properties.doc_type_cd.enum].sort()).toEqual(Object.values(KR_DOC_TYPES).sort());
    expect([...defs.ackPayload.properties.result_cd.enum].sort()).toEqual(
      Object.values(KR_ACK_RESULTS).sort(),
    );
    expect([...defs.ackPayload.properties.rec_results.items.properties.result_cd.enum].sort()).toEqual(
      Object.values(KR_RECORD_RESULTS).sort(),
    );
  });

  it.each<[string, (p: PartnerProfile) => PartnerProfile]>([
    [
      'a trader-id scheme without a row',
      (p) => ({ ...p, mappingTables: { ...p.mappingTables, traderIdTypes: { 'KR-BRN': 'BRN' } } }),
    ],
    [
      'an inbound kind that is already a role code',
      (p) => ({ ...p, mappingTables: { ...p.mappingTables, inboundRoleCodes: { EXP: 'CARRIER' } } }),
    ],
    [
      'an inbound kind read as no role',
      (p) => ({ ...p, mappingTables: { ...p.mappingTables, inboundRoleCodes: { AIR: 'PILOT' } } }),
    ],
    [
      'no code for Korea itself',
      (p) => ({ ...p, mappingTables: { ...p.mappingTables, administrationCodes: { 'KZ-SRC': 'KZ' } } }),
    ],
    [
      'one code for two administrations',
      (p) => ({
        ...p,
        mappingTables: { ...p.mappingTables, administrationCodes: { 'KR-KCS': 'KR', 'KZ-SRC': 'KR' } },
      }),
    ],
  ])('stops at start-up on a profile with %s', (_, breakProfile) => {
    expect(() => createKrAdapter(breakProfile(profile))).toThrow(ProfileError);
  });

  it('answers damaged input with a GatewayError, never another error', async () => {
    const samples = [
      'snapshot/valid/kz-list-page-1-of-1.json',
      'lookup-response/valid/kr-inquiry-result-found.json',
      'receipt/valid/kz-ack-partial.json',
      'lookup-request/valid/kz-inquiry.json',
      'irregularity-notice/valid/kr-irregularity.json',
    ];
    const replacements: unknown[] = [undefined, null, 7, 1.5, 'x', '', true, [], {}, ['x'], [{}]];
    let tried = 0;
    for (const sample of samples) {
      const original = fixture(sample);
      for (const path of pathsOf(original)) {
        for (const replacement of replacements) {
          const damaged = structuredClone(original);
          setAt(damaged, path, replacement);
          const reason = await reasonOf(() => adapter.decode(bytesOf(damaged)));
          expect(typeof reason.code).toBe('string');
          tried++;
        }
      }
    }
    expect(tried).toBeGreaterThan(1000);
  });
});

/** Every member and element path of a JSON value (not the root). */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => [[...prefix, key], ...pathsOf((value as Json)[key], [...prefix, key])]);
}

function setAt(root: Json, path: (string | number)[], replacement: unknown): void {
  const parent = path.slice(0, -1).reduce<Json>((node, key) => node[key] as Json, root);
  const key = String(path[path.length - 1]);
  // An array element cannot be absent, so "missing" becomes null there (what JSON would make of it).
  if (replacement === undefined && !Array.isArray(parent)) Reflect.deleteProperty(parent, key);
  else Reflect.set(parent, key, replacement ?? null);
}
