import {
  GatewayError,
  aeoIdRuleFor,
  validateAeoRecord,
  type AeoRecord,
  type AeoStatus,
  type AuthorisationType,
  type SupplyChainRole,
  type TraderId,
} from '@aeo/domain';
import type { HomeRecordChange } from '../home-register-service.js';

/**
 * One row of the national register export, in the column layout of docs/register-import.md:
 * aeoId, bin, iin, legalName, nameLatin, street, city, postcode, subdivision, country,
 * status, statusReason, statusEffectiveFrom, statusEffectiveTo, authorisationType,
 * supplyChainRoles (separated by ';'), authorisationDate, validFrom, validUntil,
 * consentGranted (true|false), consentRecordedOn, yfks.
 */
export const REGISTER_CSV_COLUMNS = [
  'aeoId', 'bin', 'iin', 'legalName', 'nameLatin', 'street', 'city', 'postcode', 'subdivision', 'country',
  'status', 'statusReason', 'statusEffectiveFrom', 'statusEffectiveTo', 'authorisationType', 'supplyChainRoles',
  'authorisationDate', 'validFrom', 'validUntil', 'consentGranted', 'consentRecordedOn', 'yfks',
] as const;

const REQUIRED = ['aeoId', 'legalName', 'street', 'city', 'country', 'status', 'statusEffectiveFrom', 'authorisationType', 'supplyChainRoles', 'authorisationDate', 'validFrom', 'consentGranted', 'consentRecordedOn'];

function optional(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** A CSV row as a home-register change; throws GatewayError naming the column at fault. */
export function rowToChange(values: Readonly<Record<string, string>>): HomeRecordChange {
  for (const column of REQUIRED) {
    if (!optional(values[column])) throw new GatewayError('MISSING_REQUIRED_FIELD', `${column} is empty`, `/${column}`);
  }
  const consent = values.consentGranted.trim().toLowerCase();
  if (consent !== 'true' && consent !== 'false') throw new GatewayError('INVALID_VALUE', 'consentGranted must be true or false', '/consentGranted');
  const traderIds: TraderId[] = [];
  if (optional(values.bin)) traderIds.push({ scheme: 'KZ-BIN', value: values.bin.trim() });
  if (optional(values.iin)) traderIds.push({ scheme: 'KZ-IIN', value: values.iin.trim() });
  if (optional(values.yfks)) traderIds.push({ scheme: 'TR-YFKS', value: values.yfks.trim() });
  const aeoId = values.aeoId.trim();
  const change = {
    programme: 'KZ-SRC' as const,
    aeoId,
    aeoIdNormalized: aeoIdRuleFor('KZ-SRC').normalise(aeoId).normalised,
    traderIds,
    legalName: values.legalName.trim(),
    ...(optional(values.nameLatin) ? { nameLatin: optional(values.nameLatin)! } : {}),
    address: {
      street: values.street.trim(),
      city: values.city.trim(),
      ...(optional(values.postcode) ? { postcode: optional(values.postcode)! } : {}),
      ...(optional(values.subdivision) ? { subdivision: optional(values.subdivision)! } : {}),
      country: values.country.trim(),
    },
    status: values.status.trim() as AeoStatus,
    ...(optional(values.statusReason) ? { statusReason: optional(values.statusReason)! } : {}),
    statusEffectiveFrom: values.statusEffectiveFrom.trim(),
    ...(optional(values.statusEffectiveTo) ? { statusEffectiveTo: optional(values.statusEffectiveTo)! } : {}),
    authorisationType: values.authorisationType.trim() as AuthorisationType,
    supplyChainRoles: values.supplyChainRoles.split(';').map((r) => r.trim()).filter(Boolean) as SupplyChainRole[],
    authorisationDate: values.authorisationDate.trim(),
    validFrom: values.validFrom.trim(),
    ...(optional(values.validUntil) ? { validUntil: optional(values.validUntil)! } : {}),
    consent: { granted: consent === 'true', recordedOn: values.consentRecordedOn.trim() },
  };
  checkChange(change);
  return change;
}

/** Full business validation of a change, with placeholder version and time (the register sets the real ones). */
export function checkChange(change: HomeRecordChange): void {
  if (change.programme !== 'KZ-SRC') throw new GatewayError('UNKNOWN_PROGRAMME', `the home register holds KZ-SRC records, not ${String(change.programme)}`, '/programme');
  const record: AeoRecord = { ...change, recordVersion: 1, lastChangedAt: '2000-01-01T00:00:00Z' };
  validateAeoRecord(record, '');
}
