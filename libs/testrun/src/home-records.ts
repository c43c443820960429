import { kzCheckDigit, type AeoRecord } from '@aeo/domain';
import type { PartnerProfile } from '@aeo/partners';

/** A change to one of our AEOs as the register API takes it: version and change time are the gateway's. */
export type HomeRecordChange = Omit<AeoRecord, 'recordVersion' | 'lastChangedAt'>;

/** A KZ BIN with a correct mod-11 check digit for a serial (about one prefix in 11 has none; then the next is used). */
export function kzBin(serial: number): string {
  for (let attribute = 0; attribute < 10; attribute++) {
    const first11 = `24014${attribute}${String(serial % 100_000).padStart(5, '0')}`;
    const check = kzCheckDigit(first11);
    if (check !== undefined) return `${first11}${check}`;
  }
  throw new Error(`no valid BIN for serial ${serial}`);
}

/** The same BIN with a wrong check digit. */
export function withBadCheckDigit(bin: string): string {
  const last = Number(bin[bin.length - 1]);
  return `${bin.slice(0, -1)}${(last + 1) % 10}`;
}

/**
 * A fictional pilot AEO of ours, type 3 (in every partner's outbound scope) with consent. A
 * partner that identifies our AEOs by its own number (Türkiye's YFKS, a `yfksByAeoId` table
 * in its profile) gets a fictional one as a trader id, so its format can carry the record.
 */
export function pilotHomeRecord(serial: number, profile: PartnerProfile): HomeRecordChange {
  const number = String(serial).padStart(4, '0');
  const aeoId = `KZ/${number}/ТИП 3`;
  const traderIds = [{ scheme: 'KZ-BIN', value: kzBin(serial) }];
  if (profile.mappingTables?.yfksByAeoId) traderIds.push({ scheme: 'TR-YFKS', value: `YF-PILOT-${number}` });
  return {
    programme: 'KZ-SRC',
    aeoId,
    aeoIdNormalized: aeoId,
    traderIds,
    legalName: `ТОО «Пилот ${serial}» (fictional)`,
    nameLatin: `Pilot Trader ${serial} LLP (fictional)`,
    address: { street: 'Mangilik El 1', city: 'Astana', postcode: '010000', country: 'KZ' },
    status: 'ACTIVE',
    statusEffectiveFrom: '2024-01-15',
    authorisationType: 'EAEU_TYPE3',
    supplyChainRoles: ['CARRIER', 'FREIGHT_FORWARDER'],
    authorisationDate: '2024-01-15',
    validFrom: '2024-01-15',
    consent: { granted: true, recordedOn: '2024-01-10' },
  };
}

/** The next version of a stored record with another status, effective today. */
export function statusChange(
  record: AeoRecord,
  status: AeoRecord['status'],
  reason: string | undefined,
  today: string,
): HomeRecordChange {
  const { recordVersion: _v, lastChangedAt: _t, statusReason: _r, statusEffectiveTo: _e, ...rest } = record;
  return {
    ...rest,
    status,
    statusEffectiveFrom: today < record.validFrom ? record.validFrom : today,
    ...(reason ? { statusReason: reason } : {}),
    ...(status === 'CONSENT_WITHDRAWN' ? { consent: { granted: false, recordedOn: today } } : {}),
  };
}
