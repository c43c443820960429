import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AeoRecord, Environment } from '@aeo/domain';
import { openDataSource } from '@aeo/persistence';
import {
  REGISTRY_ENTITIES,
  REGISTRY_MIGRATIONS,
  RECOGNITION_REASON_CODES,
  createRecognitionService,
  foreignRegister,
  type MraConfig,
  type RecognitionRequest,
  type RecognitionService,
} from '@aeo/registry';
import type { DataSource } from 'typeorm';
import { DATABASES, createPostgresDatabase, type TestDatabase } from '../support/databases.js';
import { eventually } from '../support/eventually.js';
import { allMraConfigs, foreignRecord, mraConfig, vkn } from './support/recognition-builders.js';

const T0 = Date.parse('2024-06-01T00:00:00Z');
const HOUR = 3_600_000;
const at = (hours: number) => new Date(T0 + hours * HOUR).toISOString();

interface StoreOptions {
  readonly storedAt?: number;
  readonly messageId?: string;
  readonly partner?: string;
  readonly environment?: Environment;
}

async function store(
  dataSource: DataSource,
  records: readonly AeoRecord[],
  options: StoreOptions = {},
): Promise<void> {
  await dataSource.transaction((manager) =>
    foreignRegister.apply(manager, {
      environment: options.environment ?? 'production',
      records,
      source: options.partner ?? partnerOf(records[0]),
      sourceMessageId: options.messageId ?? `msg-${records[0].aeoIdNormalized}-${records[0].recordVersion}`,
      storedAt: options.storedAt ?? T0,
    }),
  );
}

function partnerOf(record: AeoRecord): string {
  return record.programme.startsWith('EAEU') ? 'eaeu' : record.programme.slice(0, 2).toLowerCase();
}

async function openRegister(url: string): Promise<DataSource> {
  return openDataSource({ url, entities: REGISTRY_ENTITIES, migrations: REGISTRY_MIGRATIONS });
}

describe.each(DATABASES)('recognition on arrival on %s', (_name, create) => {
  let db: TestDatabase;
  let main: DataSource;
  let other: DataSource;
  let service: RecognitionService;
  let configs: Map<string, MraConfig>;
  const reasonsSeen = new Set<string>();

  /** Store through this instance, then tell the index, as the inbound processor does after commit. */
  async function write(records: readonly AeoRecord[], options: StoreOptions = {}): Promise<void> {
    await store(main, records, options);
    service.invalidate(
      records.map((r) => ({
        environment: options.environment ?? 'production',
        programme: r.programme,
        aeoIdNormalized: r.aeoIdNormalized,
      })),
    );
  }

  async function recognise(declaredAeoId: string, request: Partial<RecognitionRequest> = {}) {
    const decision = await service.recognise({
      declaredAeoId,
      declarationReference: 'KZ-DECL-0001',
      environment: 'production',
      arrivalTime: at(24),
      ...request,
    });
    reasonsSeen.add(decision.reasonCode);
    // JSON-ready: what goes over the wire and into the audit log is the same object.
    expect(JSON.parse(JSON.stringify(decision))).toEqual(decision);
    return decision;
  }

  beforeAll(async () => {
    db = await create();
    main = await openRegister(db.url);
    other = await openRegister(db.url);
    configs = allMraConfigs();
    service = createRecognitionService({
      dataSource: main,
      mraConfigs: () => configs,
      coherenceIntervalMs: 100,
    });
    await service.start();
  });

  afterAll(async () => {
    await main.destroy();
    await other.destroy();
    await db.drop();
  });

  it('recognises an active Chinese AEO in every accepted spelling, with benefits and evidence', async () => {
    await write([foreignRecord('CN-GACC', '4403960001')], { messageId: 'cn-delta-1' });
    for (const spelling of ['AEOCN4403960001', 'CN4403960001', '4403960001', 'aeocn4403960001']) {
      const decision = await recognise(spelling, { role: 'CARRIER' });
      expect(decision).toEqual({
        recognised: true,
        reasonCode: 'ACTIVE',
        explanation: expect.any(String),
        declarationReference: 'KZ-DECL-0001',
        declaredAeoId: spelling,
        environment: 'production',
        role: 'CARRIER',
        partner: 'cn',
        programme: 'CN-GACC',
        aeoIdNormalized: 'CN4403960001',
        status: 'ACTIVE',
        authorisationType: 'CN_ADVANCED_CERTIFIED',
        benefits: ['FEWER_INSPECTIONS', 'PRIORITY_CLEARANCE'],
        stale: false,
        partnerDataReceivedAt: at(0),
        evidence: { sourceMessageId: 'cn-delta-1', storedAt: at(0), recordVersion: 1 },
        mraConfigVersion: 1,
        arrivalTime: at(24),
        decidedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        detail: null,
      });
    }
  });

  it('recognises EAEU, Korean and Turkish AEOs declared in their own spellings', async () => {
    await write([foreignRecord('EAEU-BY', '0042', { authorisationType: 'EAEU_TYPE2' })]);
    await write([foreignRecord('KR-KCS', '1048123454')]);
    await write([foreignRecord('TR-MOT', vkn('555000111'))], { environment: 'pilot' });
    expect(await recognise('by/0042/tip 2')).toMatchObject({
      recognised: true,
      partner: 'eaeu',
      programme: 'EAEU-BY',
      aeoIdNormalized: 'BY/0042/ТИП 2',
    });
    expect(await recognise('AEOKR1048123454')).toMatchObject({
      recognised: true,
      partner: 'kr',
      aeoIdNormalized: 'KR1048123454',
      benefits: ['LOWER_RISK_SCORE'],
    });
    expect(await recognise(`TR${vkn('555000111')}`, { environment: 'pilot' })).toMatchObject({
      recognised: true,
      programme: 'TR-MOT',
    });
    // Pilot data never answers a production question.
    expect(await recognise(`TR${vkn('555000111')}`)).toMatchObject({
      recognised: false,
      reasonCode: 'NOT_FOUND',
    });
  });

  it.each(['SUSPENDED', 'REVOKED', 'SURRENDERED', 'ANNULLED', 'EXPIRED', 'EXCLUDED'] as const)(
    'gives %s for that status, with no benefits',
    async (status) => {
      const code = `44039601${String(RECOGNITION_REASON_CODES.indexOf(status)).padStart(2, '0')}`;
      await write([foreignRecord('CN-GACC', code, { status, statusEffectiveFrom: '2024-05-01' })]);
      expect(await recognise(`CN${code}`)).toMatchObject({
        recognised: false,
        reasonCode: status,
        status,
        benefits: [],
        authorisationType: 'CN_ADVANCED_CERTIFIED',
      });
    },
  );

  it('gives EXPIRED when validUntil is before the arrival date, NOT_YET_VALID when validFrom is after it', async () => {
    await write([foreignRecord('CN-GACC', '4403960201', { validUntil: '2024-06-01' })]);
    await write([
      foreignRecord('CN-GACC', '4403960202', { validFrom: '2024-06-03', statusEffectiveFrom: '2024-06-03' }),
    ]);
    await write([foreignRecord('CN-GACC', '4403960203', { validFrom: '2024-06-03' })]);
    expect(await recognise('CN4403960201')).toMatchObject({ reasonCode: 'EXPIRED', status: 'ACTIVE' });
    expect(await recognise('CN4403960201', { arrivalTime: at(12) })).toMatchObject({ reasonCode: 'ACTIVE' });
    expect(await recognise('CN4403960202')).toMatchObject({ reasonCode: 'NOT_YET_VALID', status: null });
    expect(await recognise('CN4403960203')).toMatchObject({ reasonCode: 'NOT_YET_VALID', status: 'ACTIVE' });
  });

  it('gives NOT_FOUND for a well-formed id no register holds', async () => {
    const decision = await recognise('AEOCN9999999999');
    expect(decision).toMatchObject({
      recognised: false,
      reasonCode: 'NOT_FOUND',
      partner: 'cn',
      programme: 'CN-GACC',
      aeoIdNormalized: 'CN9999999999',
      status: null,
      evidence: null,
      mraConfigVersion: 1,
    });
  });

  it('gives INVALID_IDENTIFIER with the identifier error in the detail', async () => {
    const wrongDigit = `TR123456701${(8 + 1) % 10}`;
    expect(await recognise(wrongDigit)).toMatchObject({
      reasonCode: 'INVALID_IDENTIFIER',
      partner: null,
      detail: { code: 'IDENTIFIER_CHECK_DIGIT' },
    });
    expect(await recognise('JP1234567890')).toMatchObject({
      reasonCode: 'INVALID_IDENTIFIER',
      detail: { code: 'IDENTIFIER_FORMAT' },
    });
    expect(await recognise('KZ/0001/ТИП 3')).toMatchObject({
      reasonCode: 'INVALID_IDENTIFIER',
      detail: { code: 'IDENTIFIER_FORMAT' },
    });
  });

  it('resolves a bare code by the registers: one holder, none, or several', async () => {
    await write([foreignRecord('KR-KCS', '7700000001')]);
    expect(await recognise('7700000001')).toMatchObject({
      reasonCode: 'ACTIVE',
      partner: 'kr',
      aeoIdNormalized: 'KR7700000001',
    });
    await write([foreignRecord('CN-GACC', '7700000001')]);
    const ambiguous = await recognise('7700000001');
    expect(ambiguous).toMatchObject({ recognised: false, reasonCode: 'AMBIGUOUS_IDENTIFIER', partner: null });
    expect(ambiguous.detail?.candidates?.map((c) => c.aeoIdNormalized)).toEqual([
      'CN7700000001',
      'KR7700000001',
    ]);
    // The prefix settles it.
    expect(await recognise('CN7700000001')).toMatchObject({ reasonCode: 'ACTIVE', partner: 'cn' });
    const nowhere = await recognise('7700000002');
    expect(nowhere).toMatchObject({ reasonCode: 'NOT_FOUND', partner: null });
    expect(nowhere.detail?.candidates?.map((c) => c.programme)).toEqual(['CN-GACC', 'KR-KCS']);
  });

  it('applies the MRA scope per direction: China recognises advanced certified only, the EAEU its listed members', async () => {
    await write([foreignRecord('CN-GACC', '4403960301', { authorisationType: 'CN_CERTIFIED' })]);
    expect(await recognise('CN4403960301')).toMatchObject({
      recognised: false,
      reasonCode: 'NOT_COVERED_BY_MRA',
      authorisationType: 'CN_CERTIFIED',
    });
    await write([foreignRecord('EAEU-AM', '0301'), foreignRecord('EAEU-RU', '0301')]);
    configs.set(
      'eaeu',
      mraConfig('eaeu', { version: 2, inbound: { recognisedProgrammes: ['EAEU-BY', 'EAEU-RU'] } }),
    );
    try {
      expect(await recognise('AM/0301/ТИП 3')).toMatchObject({
        reasonCode: 'NOT_COVERED_BY_MRA',
        programme: 'EAEU-AM',
        mraConfigVersion: 2,
      });
      expect(await recognise('RU/0301/TIP 3')).toMatchObject({ reasonCode: 'ACTIVE', programme: 'EAEU-RU' });
    } finally {
      configs.set('eaeu', mraConfig('eaeu'));
    }
  });

  it('gives MRA_NOT_IN_FORCE when an MRA is suspended mid-way, and recognises again when it resumes', async () => {
    await write([foreignRecord('CN-GACC', '4403960401')]);
    expect(await recognise('CN4403960401')).toMatchObject({ reasonCode: 'ACTIVE', mraConfigVersion: 1 });
    configs.set('cn', mraConfig('cn', { version: 2, state: 'suspended' }));
    try {
      const suspended = await recognise('CN4403960401');
      expect(suspended).toMatchObject({
        recognised: false,
        reasonCode: 'MRA_NOT_IN_FORCE',
        mraConfigVersion: 2,
        status: 'ACTIVE',
        benefits: [],
      });
    } finally {
      configs.set('cn', mraConfig('cn', { version: 3 }));
    }
    expect(await recognise('CN4403960401')).toMatchObject({ reasonCode: 'ACTIVE', mraConfigVersion: 3 });
  });

  it('gives MRA_NOT_IN_FORCE outside the dates in force and for an MRA still negotiated, in production only', async () => {
    await write([foreignRecord('KR-KCS', '7700000501')]);
    configs.set('kr', mraConfig('kr', { inForceFrom: '2024-06-05' }));
    try {
      expect(await recognise('KR7700000501')).toMatchObject({ reasonCode: 'MRA_NOT_IN_FORCE' });
      expect(await recognise('KR7700000501', { arrivalTime: at(24 * 4) })).toMatchObject({
        reasonCode: 'ACTIVE',
      });
      configs.set('kr', mraConfig('kr', { state: 'negotiating' }));
      expect(await recognise('KR7700000501')).toMatchObject({ reasonCode: 'MRA_NOT_IN_FORCE' });
      // Negotiation rehearsals run in the pilot environment.
      await write([foreignRecord('KR-KCS', '7700000501')], { environment: 'pilot' });
      expect(await recognise('KR7700000501', { environment: 'pilot' })).toMatchObject({
        reasonCode: 'ACTIVE',
      });
    } finally {
      configs.set('kr', mraConfig('kr'));
    }
  });

  it('gives ROLE_NOT_COVERED for a declared role the AEO does not hold', async () => {
    await write([foreignRecord('CN-GACC', '4403960601', { supplyChainRoles: ['MANUFACTURER', 'EXPORTER'] })]);
    expect(await recognise('CN4403960601', { role: 'EXPORTER' })).toMatchObject({ reasonCode: 'ACTIVE' });
    expect(await recognise('CN4403960601', { role: 'CARRIER' })).toMatchObject({
      reasonCode: 'ROLE_NOT_COVERED',
      recognised: false,
    });
    expect(await recognise('CN4403960601')).toMatchObject({ reasonCode: 'ACTIVE', role: null });
  });

  it('withdraws recognition when consent is withdrawn, where the MRA requires consent', async () => {
    const granted = foreignRecord('CN-GACC', '4403960701');
    await write([granted], { storedAt: T0 });
    expect(await recognise('CN4403960701')).toMatchObject({ reasonCode: 'ACTIVE' });
    await write(
      [
        {
          ...granted,
          recordVersion: 2,
          status: 'CONSENT_WITHDRAWN',
          statusEffectiveFrom: '2024-06-01',
          consent: { granted: false, recordedOn: '2024-06-01' },
        },
      ],
      { storedAt: T0 + HOUR },
    );
    expect(await recognise('CN4403960701')).toMatchObject({
      reasonCode: 'CONSENT_WITHDRAWN',
      status: 'CONSENT_WITHDRAWN',
      evidence: { recordVersion: 2 },
    });
    // Consent gone but the status left ACTIVE: still no benefits under an MRA that requires consent …
    await write([
      foreignRecord('CN-GACC', '4403960702', { consent: { granted: false, recordedOn: '2024-05-01' } }),
    ]);
    expect(await recognise('CN4403960702')).toMatchObject({
      reasonCode: 'CONSENT_WITHDRAWN',
      status: 'ACTIVE',
    });
    // … and benefits under one that does not (the EAEU's).
    await write([
      foreignRecord('EAEU-KG', '0702', { consent: { granted: false, recordedOn: '2024-05-01' } }),
    ]);
    expect(await recognise('KG/0702/ТИП 3')).toMatchObject({ reasonCode: 'ACTIVE' });
  });

  it('answers as of the arrival: the version stored by then, and statuses by their effective dates', async () => {
    const v1 = foreignRecord('CN-GACC', '4403960801', { statusEffectiveFrom: '2024-01-15' });
    await write([v1], { storedAt: T0 + 10 * HOUR, messageId: 'v1' });
    await write(
      [
        {
          ...v1,
          recordVersion: 2,
          status: 'SUSPENDED',
          statusEffectiveFrom: '2024-06-02',
          statusEffectiveTo: '2024-06-10',
        },
      ],
      { storedAt: T0 + 20 * HOUR, messageId: 'v2' },
    );
    // Before anything was stored.
    expect(await recognise('CN4403960801', { arrivalTime: at(5) })).toMatchObject({
      reasonCode: 'NOT_FOUND',
    });
    // Stored by then: v1 only.
    expect(await recognise('CN4403960801', { arrivalTime: at(15) })).toMatchObject({
      reasonCode: 'ACTIVE',
      evidence: { sourceMessageId: 'v1', recordVersion: 1, storedAt: at(10) },
    });
    // v2 stored, but its suspension begins the next day: v1 still rules.
    expect(await recognise('CN4403960801', { arrivalTime: at(22) })).toMatchObject({
      reasonCode: 'ACTIVE',
      evidence: { recordVersion: 1 },
    });
    // In the suspension.
    expect(await recognise('CN4403960801', { arrivalTime: at(24 * 3) })).toMatchObject({
      reasonCode: 'SUSPENDED',
      status: 'SUSPENDED',
      evidence: { sourceMessageId: 'v2' },
    });
    // After the suspension ended.
    expect(await recognise('CN4403960801', { arrivalTime: at(24 * 12) })).toMatchObject({
      reasonCode: 'ACTIVE',
      status: 'ACTIVE',
      evidence: { recordVersion: 2 },
    });
    // Now (no arrival time): the current version, whose suspension ended long ago.
    expect(await recognise('CN4403960801', { arrivalTime: undefined })).toMatchObject({
      reasonCode: 'ACTIVE',
      evidence: { recordVersion: 2 },
    });
  });

  it('uses the previous version while an announced revocation has not taken effect', async () => {
    const v1 = foreignRecord('CN-GACC', '4403960901');
    await write([v1], { storedAt: T0 });
    await write([{ ...v1, recordVersion: 2, status: 'REVOKED', statusEffectiveFrom: '2024-06-20' }], {
      storedAt: T0 + HOUR,
    });
    expect(await recognise('CN4403960901', { arrivalTime: at(24 * 5) })).toMatchObject({
      reasonCode: 'ACTIVE',
      evidence: { recordVersion: 1 },
    });
    expect(await recognise('CN4403960901', { arrivalTime: at(24 * 19) })).toMatchObject({
      reasonCode: 'REVOKED',
      evidence: { recordVersion: 2 },
    });
  });

  it("flags stale data: the partner's data last reached us longer ago than its freshness SLA", async () => {
    // Türkiye (72 h) in production is written by this test only.
    const stored = T0 + 100 * HOUR;
    await write([foreignRecord('TR-MOT', vkn('987654321'))], { storedAt: stored });
    const code = `TR${vkn('987654321')}`;
    expect(await recognise(code, { arrivalTime: at(100 + 72) })).toMatchObject({
      recognised: true,
      stale: false,
      partnerDataReceivedAt: at(100),
    });
    expect(await recognise(code, { arrivalTime: at(100 + 73) })).toMatchObject({
      recognised: true,
      stale: true,
      partnerDataReceivedAt: at(100),
    });
    // Fresh data afterwards does not rewrite what was known at that arrival …
    await write([foreignRecord('TR-MOT', vkn('123456701'))], { storedAt: T0 + 200 * HOUR });
    expect(await recognise(code, { arrivalTime: at(100 + 73) })).toMatchObject({
      stale: true,
      partnerDataReceivedAt: at(100),
    });
    // … but makes a later arrival fresh again.
    expect(await recognise(code, { arrivalTime: at(201) })).toMatchObject({
      stale: false,
      partnerDataReceivedAt: at(200),
    });
  });

  it('sees a change written by another instance within the coherence interval, without being told', async () => {
    const code = '4403961001';
    const live = foreignRecord('CN-GACC', code, {
      statusEffectiveFrom: '2020-01-01',
      validFrom: '2020-01-01',
    });
    expect(await recognise(code, { arrivalTime: undefined })).toMatchObject({ reasonCode: 'NOT_FOUND' });
    await store(other, [live], { storedAt: Date.now() });
    await eventually(async () =>
      expect(await recognise(code, { arrivalTime: undefined })).toMatchObject({ reasonCode: 'ACTIVE' }),
    );
    await store(other, [{ ...live, recordVersion: 2, status: 'REVOKED' }], { storedAt: Date.now() });
    await eventually(async () =>
      expect(await recognise(code, { arrivalTime: undefined })).toMatchObject({
        reasonCode: 'REVOKED',
        evidence: { recordVersion: 2 },
      }),
    );
  });

  it('answers TRANSIENT_FAILURE, not a guess, when the register cannot be read', async () => {
    const doomed = await openRegister(db.url);
    const cut = createRecognitionService({
      dataSource: doomed,
      mraConfigs: allMraConfigs(),
      coherenceIntervalMs: 60_000,
    });
    await cut.start();
    await doomed.destroy();
    const ask = (arrivalTime?: string) =>
      cut.recognise({
        declaredAeoId: 'CN4403960001',
        declarationReference: 'KZ-DECL-0003',
        environment: 'production',
        arrivalTime,
      });
    // Within the coherence interval the index still answers about now …
    expect(await ask()).toMatchObject({ reasonCode: 'ACTIVE' });
    // … but a past arrival needs the history, and the database is gone.
    await expect(ask(at(-1))).rejects.toMatchObject({ code: 'TRANSIENT_FAILURE' });
  });

  it('has produced every reason code', () => {
    expect([...reasonsSeen].sort()).toEqual([...RECOGNITION_REASON_CODES].sort());
  });
});

describe('recognition index on postgres, ids committed out of order', () => {
  let db: TestDatabase;
  let main: DataSource;
  let other: DataSource;
  let service: RecognitionService;

  beforeAll(async () => {
    db = await createPostgresDatabase();
    main = await openRegister(db.url);
    other = await openRegister(db.url);
    service = createRecognitionService({
      dataSource: main,
      mraConfigs: allMraConfigs(),
      coherenceIntervalMs: 50,
    });
    await service.start();
  });

  afterAll(async () => {
    await main.destroy();
    await other.destroy();
    await db.drop();
  });

  const now = (declaredAeoId: string) =>
    service.recognise({ declaredAeoId, declarationReference: 'KZ-DECL-0002', environment: 'production' });

  it('sees a row whose history id was taken before a later id that committed first', async () => {
    const slow = other.createQueryRunner();
    await slow.connect();
    try {
      await slow.startTransaction();
      // Takes the lower history id and holds it uncommitted …
      await foreignRegister.apply(slow.manager, {
        environment: 'production',
        records: [foreignRecord('CN-GACC', '5500000001')],
        source: 'cn',
        sourceMessageId: 'slow',
        storedAt: Date.now(),
      });
      // … while a higher id commits and the index moves its mark past the lower one.
      await store(other, [foreignRecord('CN-GACC', '5500000002')], { storedAt: Date.now() });
      await eventually(async () => expect(await now('CN5500000002')).toMatchObject({ reasonCode: 'ACTIVE' }));
      expect(await now('CN5500000001')).toMatchObject({ reasonCode: 'NOT_FOUND' });
      await slow.commitTransaction();
    } finally {
      await slow.release();
    }
    await eventually(async () => expect(await now('CN5500000001')).toMatchObject({ reasonCode: 'ACTIVE' }));
  });
});
