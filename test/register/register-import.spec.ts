import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { OutboundMessageEntity, REGISTER_CSV_COLUMNS, importRegister, type ImportReport } from '@aeo/exchange';
import { DEFAULT_TOPOLOGY } from '@aeo/messaging';
import { homeRegister, loadMraConfigs, mraShares } from '@aeo/registry';
import { ExchangeRuntime } from '@aeo/runtime';
import { openGatewayDatabase } from '@aeo/schema';
import { loadPartnerKeyRegistry, systemClock } from '@aeo/trust';
import type { DataSource } from 'typeorm';
import { kzBin } from '../support/builders.js';
import { DATABASES, type TestDatabase } from '../support/databases.js';
import { testHomeKeyRing } from '../support/test-keys.js';

jest.setTimeout(300_000);

const TOTAL = 10_000;
/** Row index → the reason code its defect must produce (50 bad rows). */
const DEFECTS = new Map<number, string>();
for (let k = 0; k < 50; k++) {
  DEFECTS.set(97 + k * 199, ['IDENTIFIER_CHECK_DIGIT', 'UNKNOWN_STATUS_CODE', 'INVALID_DATE', 'MISSING_REQUIRED_FIELD', 'IDENTIFIER_FORMAT'][k % 5]);
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function exportCsv(): string {
  const lines = [REGISTER_CSV_COLUMNS.join(',')];
  for (let i = 0; i < TOTAL; i++) {
    const type = (i % 3) + 1;
    const bin = kzBin(i + 1);
    const row: Record<string, string> = {
      aeoId: `KZ/${String(i + 1).padStart(5, '0')}/ТИП ${type}`,
      bin,
      iin: '',
      legalName: `ТОО "Тест ${i}", Астана (fictional)`,
      nameLatin: `Test ${i} LLP (fictional)`,
      street: `Street ${i}`,
      city: 'Astana',
      postcode: '010000',
      subdivision: '',
      country: 'KZ',
      status: i % 17 === 0 ? 'SUSPENDED' : 'ACTIVE',
      statusReason: '',
      statusEffectiveFrom: '2025-01-10',
      statusEffectiveTo: '',
      authorisationType: `EAEU_TYPE${type}`,
      supplyChainRoles: 'CARRIER;FREIGHT_FORWARDER',
      authorisationDate: '2025-01-10',
      validFrom: '2025-01-10',
      validUntil: '',
      consentGranted: i % 10 === 0 ? 'false' : 'true',
      consentRecordedOn: '2025-01-05',
      yfks: i % 2 === 0 ? `YFKS-${100000 + i}` : '',
    };
    switch (DEFECTS.get(i)) {
      case 'IDENTIFIER_CHECK_DIGIT':
        row.bin = `${bin.slice(0, 11)}${(Number(bin[11]) + 1) % 10}`;
        break;
      case 'UNKNOWN_STATUS_CODE':
        row.status = 'DORMANT';
        break;
      case 'INVALID_DATE':
        row.validFrom = '2025-02-30';
        break;
      case 'MISSING_REQUIRED_FIELD':
        row.legalName = '';
        break;
      case 'IDENTIFIER_FORMAT':
        row.aeoId = `KZ-${i}-TIP-${type}`;
        break;
    }
    lines.push(REGISTER_CSV_COLUMNS.map((c) => csvField(row[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

describe.each(DATABASES)('importing a 10,000-row national register export on %s', (_kind, createDatabase) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let report: ImportReport;
  const mra = loadMraConfigs();

  beforeAll(async () => {
    db = await createDatabase();
    dataSource = await openGatewayDatabase(db.url);
    const runtime = new ExchangeRuntime({
      dataSource,
      amqpUrl: 'amqp://unused',
      topology: { ...DEFAULT_TOPOLOGY, prefix: 'import-test' },
      mra,
      keyRing: await testHomeKeyRing(),
      partnerKeys: await loadPartnerKeyRegistry({ partners: [...mra.keys()] }),
      clock: systemClock,
    });
    report = await importRegister(exportCsv(), 'csv', runtime.homeRegister, { actor: 'import-test', chunkSize: 1000 });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('imports the good rows and reports each bad one with its line and reason', async () => {
    expect(report.total).toBe(TOTAL);
    expect(report.imported).toBe(TOTAL - 50);
    expect(report.rejected.map((r) => [r.row, r.code])).toEqual([...DEFECTS].map(([i, code]) => [i + 2, code]));
    expect(await homeRegister.count(dataSource.manager, 'production')).toBe(TOTAL - 50);
  });

  it('emits deltas carrying exactly the records each partner shares and can carry', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const stored = (await homeRegister.list(dataSource.manager, 'production')).map((s) => s.record);
    const rows = await dataSource.getRepository(OutboundMessageEntity).find({ where: { messageType: 'AEO_STATUS_DELTA' } });
    for (const [partner, config] of mra) {
      const expected = stored
        .filter((record) => mraShares(config, record, 'production', today))
        // Türkiye's format needs a YFKS number: from the row, or from the profile's table.
        .filter((record) => partner !== 'tr' || record.traderIds.some((t) => t.scheme === 'TR-YFKS'))
        .map((r) => r.aeoIdNormalized)
        .sort();
      const sent = rows
        .filter((r) => r.partner === partner)
        .flatMap((r) => r.aeoIds!.split(','))
        .sort();
      expect(sent).toEqual(expected);
      expect(sent.length).toBeGreaterThan(0);
    }
    const trMissing = report.notSent.filter((n) => n.partner === 'tr');
    expect(trMissing.every((n) => n.reasonCode === 'CANNOT_ENCODE')).toBe(true);
  });
});
