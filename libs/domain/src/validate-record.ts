import type { AeoRecord } from './aeo-record.js';
import { isAeoStatus } from './aeo-status.js';
import { aeoIdRuleFor, type AeoIdRuleOptions } from './aeo-id-rules.js';
import { isAuthorisationType } from './authorisation-type.js';
import { isCalendarDate, isUtcInstant } from './dates.js';
import { GatewayError } from './gateway-error.js';
import { TRADER_ID_RULES, TRADER_ID_SCHEMES, parseEaeuCertificate } from './identifiers/index.js';
import { isProgramme } from './programme.js';
import { PROGRAMME_AUTHORISATION_TYPES, eaeuTypeOf } from './programme-rules.js';
import { isSupplyChainRole } from './supply-chain-role.js';

const MAX_TEXT = 512;

function requireText(value: unknown, path: string, max = MAX_TEXT): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new GatewayError('MISSING_REQUIRED_FIELD', `${path} is required`, path);
  }
  if (value.length > max) throw new GatewayError('INVALID_VALUE', `${path} is longer than ${max} characters`, path);
  // Formats trim what they read; a value with surrounding blanks would not survive a round trip.
  if (value !== value.trim()) throw new GatewayError('INVALID_VALUE', `${path} has leading or trailing white space`, path);
  if (CONTROL_CHARACTERS.test(value)) throw new GatewayError('INVALID_VALUE', `${path} contains control characters`, path);
}

/** Characters XML 1.0 cannot carry and that no legitimate name or address contains. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function requireDate(value: unknown, path: string, optional = false): void {
  if (value === undefined && optional) return;
  if (value === undefined) throw new GatewayError('MISSING_REQUIRED_FIELD', `${path} is required`, path);
  if (!isCalendarDate(value)) throw new GatewayError('INVALID_DATE', `${path} must be a real date YYYY-MM-DD`, path);
}

/**
 * Business validation of one canonical record. Partner decoders call it after mapping, and
 * the registers call it before storing, so no record that breaks these rules is ever kept.
 * `path` is where the record sits in its message (e.g. `/body/records/3`).
 */
export function validateAeoRecord(record: AeoRecord, path = '', options: AeoIdRuleOptions = {}): void {
  if (!isProgramme(record.programme)) {
    throw new GatewayError('UNKNOWN_PROGRAMME', `unknown programme '${String(record.programme)}'`, `${path}/programme`);
  }
  requireText(record.aeoId, `${path}/aeoId`, 64);
  const normalised = aeoIdRuleFor(record.programme, options).normalise(record.aeoId).normalised;
  if (record.aeoIdNormalized !== normalised) {
    throw new GatewayError('INVALID_VALUE', `aeoIdNormalized must be '${normalised}'`, `${path}/aeoIdNormalized`);
  }
  record.traderIds.forEach((id, i) => {
    const at = `${path}/traderIds/${i}`;
    if (!TRADER_ID_SCHEMES.includes(id.scheme)) {
      throw new GatewayError('INVALID_VALUE', `unknown trader id scheme '${id.scheme}'`, `${at}/scheme`);
    }
    requireText(id.value, `${at}/value`, 64);
    const rule = TRADER_ID_RULES[id.scheme];
    if (rule) {
      try {
        rule.normalise(id.value);
      } catch (error) {
        if (error instanceof GatewayError) throw new GatewayError(error.code, error.message, `${at}/value`);
        throw error;
      }
    }
  });
  requireText(record.legalName, `${path}/legalName`);
  if (record.nameLatin !== undefined) requireText(record.nameLatin, `${path}/nameLatin`);
  requireText(record.address?.street, `${path}/address/street`);
  requireText(record.address?.city, `${path}/address/city`);
  if (typeof record.address?.country !== 'string' || !/^[A-Z]{2}$/.test(record.address.country)) {
    throw new GatewayError('INVALID_VALUE', 'country must be an ISO 3166-1 alpha-2 code', `${path}/address/country`);
  }
  if (!isAeoStatus(record.status)) {
    throw new GatewayError('UNKNOWN_STATUS_CODE', `unknown status '${String(record.status)}'`, `${path}/status`);
  }
  requireDate(record.statusEffectiveFrom, `${path}/statusEffectiveFrom`);
  requireDate(record.statusEffectiveTo, `${path}/statusEffectiveTo`, true);
  if (record.statusEffectiveTo !== undefined && record.statusEffectiveTo < record.statusEffectiveFrom) {
    throw new GatewayError('BUSINESS_RULE_VIOLATION', 'status ends before it starts', `${path}/statusEffectiveTo`);
  }
  if (!isAuthorisationType(record.authorisationType)) {
    throw new GatewayError(
      'UNKNOWN_AUTHORISATION_TYPE',
      `unknown authorisation type '${String(record.authorisationType)}'`,
      `${path}/authorisationType`,
    );
  }
  if (!PROGRAMME_AUTHORISATION_TYPES[record.programme].includes(record.authorisationType)) {
    throw new GatewayError(
      'BUSINESS_RULE_VIOLATION',
      `${record.programme} does not issue ${record.authorisationType}`,
      `${path}/authorisationType`,
    );
  }
  const eaeuType = eaeuTypeOf(record.authorisationType);
  if (eaeuType !== undefined && record.programme !== 'WCO-REF' && parseEaeuCertificate(record.aeoId).type !== eaeuType) {
    throw new GatewayError(
      'BUSINESS_RULE_VIOLATION',
      'certificate number type differs from the authorisation type',
      `${path}/authorisationType`,
    );
  }
  if (record.supplyChainRoles.length === 0) {
    throw new GatewayError('MISSING_REQUIRED_FIELD', 'at least one supply-chain role is required', `${path}/supplyChainRoles`);
  }
  record.supplyChainRoles.forEach((role, i) => {
    if (!isSupplyChainRole(role)) {
      throw new GatewayError('UNKNOWN_ROLE_CODE', `unknown role '${String(role)}'`, `${path}/supplyChainRoles/${i}`);
    }
  });
  requireDate(record.authorisationDate, `${path}/authorisationDate`);
  requireDate(record.validFrom, `${path}/validFrom`);
  requireDate(record.validUntil, `${path}/validUntil`, true);
  if (record.validUntil !== undefined && record.validUntil < record.validFrom) {
    throw new GatewayError('BUSINESS_RULE_VIOLATION', 'validity ends before it starts', `${path}/validUntil`);
  }
  if (!isUtcInstant(record.lastChangedAt)) {
    throw new GatewayError('INVALID_DATE', 'lastChangedAt must be a UTC instant', `${path}/lastChangedAt`);
  }
  if (!Number.isSafeInteger(record.recordVersion) || record.recordVersion < 1) {
    throw new GatewayError('INVALID_VALUE', 'recordVersion must be a positive integer', `${path}/recordVersion`);
  }
  if (typeof record.consent?.granted !== 'boolean') {
    throw new GatewayError('MISSING_REQUIRED_FIELD', 'consent.granted is required', `${path}/consent/granted`);
  }
  requireDate(record.consent.recordedOn, `${path}/consent/recordedOn`);
  if (record.status === 'CONSENT_WITHDRAWN' && record.consent.granted) {
    throw new GatewayError('BUSINESS_RULE_VIOLATION', 'status CONSENT_WITHDRAWN needs consent.granted false', `${path}/consent`);
  }
}
