import type { XmlElement } from '@aeo/codecs';
import {
  GatewayError,
  TRADER_ID_RULES,
  TRADER_ID_SCHEMES,
  aeoIdRuleFor,
  type AeoRecord,
  type Address,
  type Consent,
  type SupplyChainRole,
  type TraderId,
} from '@aeo/domain';
import { compact } from '../common/decoded-message.js';
import type { WcoContext } from './wco-context.js';
import {
  atPath,
  readAeoPartyId,
  readDate,
  readIndicator,
  readInstant,
  readInteger,
  readLeaf,
  readOptionalDate,
  readOptionalText,
  readProgramme,
  readText,
  textOf,
} from './wco-values.js';
import {
  ADDRESS_CHILDREN,
  CONSENT_CHILDREN,
  DECLARED_PARTY_CHILDREN,
  PARTY_CHILDREN,
  PERIOD_CHILDREN,
  STATUS_CHILDREN,
} from './wco-vocabulary.js';

/**
 * AEOMutualRecognitionParty → canonical AEO record. The record's own ProgrammeCode selects
 * the identifier rule, so one message may carry records of any programme (ours included).
 */
export function readParty(party: XmlElement, context: WcoContext): AeoRecord {
  party.allowOnly(PARTY_CHILDREN);
  const programme = readProgramme(party, 'ProgrammeCode');
  const idRule = atPath(readLeaf(party, 'ProgrammeCode').path, () =>
    aeoIdRuleFor(programme, context.idRules),
  );
  const aeoId = readAeoPartyId(party, 'ID');
  const aeoIdNormalized = atPath(readLeaf(party, 'ID').path, () => idRule.normalise(aeoId).normalised);
  const status = party.required('Status').allowOnly(STATUS_CHILDREN);
  const statusPeriod = status.required('EffectivePeriod').allowOnly(PERIOD_CHILDREN);
  const validity = party.required('ValidityPeriod').allowOnly(PERIOD_CHILDREN);
  return compact({
    programme,
    aeoId,
    aeoIdNormalized,
    traderIds: party.all('TraderID').map(readTraderId),
    legalName: readText(party, 'Name'),
    nameLatin: readOptionalText(party, 'LatinName'),
    address: readAddress(party.required('Address')),
    status: readMapped(status, 'StatusCode', (code, path) =>
      context.codeLists.status.toCanonical(code, path),
    ),
    statusReason: readOptionalText(status, 'ReasonText'),
    statusEffectiveFrom: readDate(statusPeriod, 'StartDate'),
    statusEffectiveTo: readOptionalDate(statusPeriod, 'EndDate'),
    authorisationType: readMapped(party, 'AuthorisationTypeCode', (code, path) =>
      context.codeLists.authorisationType.toCanonical(code, path),
    ),
    supplyChainRoles: readRoles(party, context),
    authorisationDate: readDate(party, 'AuthorisationDate'),
    validFrom: readDate(validity, 'StartDate'),
    validUntil: readOptionalDate(validity, 'EndDate'),
    lastChangedAt: readInstant(party, 'LastChangeDateTime'),
    recordVersion: readInteger(party, 'RecordVersionNumber'),
    consent: readConsent(party.required('Consent')),
  });
}

/** The party as a declaration names it (lookup request): identifier in any spelling, optional role. */
export function readDeclaredParty(
  party: XmlElement,
  context: WcoContext,
): { aeoId: string; role?: SupplyChainRole } {
  party.allowOnly(DECLARED_PARTY_CHILDREN);
  const roleElement = party.optional('RoleCode');
  return compact({
    aeoId: readAeoPartyId(party, 'ID'),
    role: roleElement
      ? readMapped(party, 'RoleCode', (code, path) => context.codeLists.role.toCanonical(code, path))
      : undefined,
  });
}

function readMapped<T>(parent: XmlElement, name: string, map: (code: string, path: string) => T): T {
  const { text, path } = readLeaf(parent, name);
  return map(text, path);
}

function readRoles(party: XmlElement, context: WcoContext): SupplyChainRole[] {
  const roles = party.all('RoleCode');
  if (roles.length === 0)
    throw new GatewayError(
      'MISSING_REQUIRED_FIELD',
      'at least one RoleCode is required',
      `${party.path}/RoleCode`,
    );
  return roles.map((role) => context.codeLists.role.toCanonical(textOf(role), role.path));
}

/** Schemes with a check digit are verified here, so the error points at the TraderID element. */
function readTraderId(element: XmlElement): TraderId {
  const scheme = element.requiredAttribute('schemeID');
  if (!TRADER_ID_SCHEMES.includes(scheme)) {
    throw new GatewayError(
      'INVALID_VALUE',
      `unknown trader id scheme '${scheme}'`,
      `${element.path}/@schemeID`,
    );
  }
  const value = textOf(element);
  const rule = TRADER_ID_RULES[scheme];
  if (rule) atPath(element.path, () => rule.normalise(value));
  return { scheme, value };
}

function readAddress(address: XmlElement): Address {
  address.allowOnly(ADDRESS_CHILDREN);
  return compact({
    street: readText(address, 'Line'),
    city: readText(address, 'CityName'),
    postcode: readOptionalText(address, 'PostcodeID'),
    subdivision: readOptionalText(address, 'CountrySubDivisionID'),
    country: readText(address, 'CountryCode'),
  });
}

function readConsent(consent: XmlElement): Consent {
  consent.allowOnly(CONSENT_CHILDREN);
  return {
    granted: readIndicator(consent, 'GrantedIndicator'),
    recordedOn: readDate(consent, 'RecordedDate'),
  };
}
