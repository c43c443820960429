import type { XmlElement } from '@aeo/codecs';
import {
  GatewayError,
  aeoIdRuleFor,
  eaeuTypeOf,
  type AeoRecord,
  type Address,
  type Consent,
  type SupplyChainRole,
} from '@aeo/domain';
import type { PartnerCodeLists } from '../common/code-lists.js';
import { compact, idRuleOptions } from '../common/decoded-message.js';
import { certificateNumberOf } from './eaeu-certificates.js';
import type { EaeuContext } from './eaeu-context.js';
import { aeo, ccdo, csdo } from './eaeu-format.js';
import { programmeOfMemberState } from './eaeu-participants.js';
import { traderIdOf } from './eaeu-trader-ids.js';
import {
  booleanOf,
  calendarDateOf,
  countryOf,
  fixedCodeOf,
  instantOf,
  positiveIntegerOf,
} from './eaeu-values.js';
import {
  allowOnlyChildren,
  childrenOf,
  optionalChild,
  optionalText,
  requiredChild,
  requiredText,
  textOf,
} from './eaeu-xml-reader.js';

/**
 * aeo:AEORegistryEntryDetails → canonical AeoRecord. The issuing state, and so the programme,
 * follows from the certificate number; the country and type elements must agree with it.
 */
export function decodeRegistryEntry(entry: XmlElement, context: EaeuContext): AeoRecord {
  allowOnlyChildren(entry, [
    aeo('AEORegistryIdDetails'),
    aeo('RegistryInclusionDate'),
    ccdo('ValidityPeriodDetails'),
    aeo('AEOCertificateStatusDetails'),
    aeo('AEOSubjectDetails'),
    aeo('AEOActivityKindCode'),
    aeo('DataSharingConsentDetails'),
    csdo('UpdateDateTime'),
    aeo('RegistryEntryVersionNumber'),
  ]);
  const lists = context.codeLists;
  const identity = decodeRegistryId(requiredChild(entry, aeo('AEORegistryIdDetails')), context);
  const authorisationDate = calendarDateOf(requiredChild(entry, aeo('RegistryInclusionDate')));
  const validity = allowOnlyChildren(requiredChild(entry, ccdo('ValidityPeriodDetails')), [
    csdo('StartDate'),
    csdo('EndDate'),
  ]);
  const validUntil = optionalChild(validity, csdo('EndDate'));
  const subject = decodeSubject(requiredChild(entry, aeo('AEOSubjectDetails')));
  const consentElement = optionalChild(entry, aeo('DataSharingConsentDetails'));
  return compact<AeoRecord>({
    ...identity,
    ...subject,
    ...decodeStatus(requiredChild(entry, aeo('AEOCertificateStatusDetails')), lists),
    supplyChainRoles: decodeRoles(entry, lists),
    authorisationDate,
    validFrom: calendarDateOf(requiredChild(validity, csdo('StartDate'))),
    validUntil: validUntil && calendarDateOf(validUntil),
    lastChangedAt: instantOf(requiredChild(entry, csdo('UpdateDateTime'))),
    recordVersion: positiveIntegerOf(requiredChild(entry, aeo('RegistryEntryVersionNumber'))),
    // Inclusion in the common register is by treaty: without an explicit answer, data is shareable from inclusion.
    consent: consentElement
      ? decodeConsent(consentElement)
      : { granted: true, recordedOn: authorisationDate },
  });
}

type RegistryIdentity = Pick<AeoRecord, 'programme' | 'aeoId' | 'aeoIdNormalized' | 'authorisationType'>;

function decodeRegistryId(element: XmlElement, context: EaeuContext): RegistryIdentity {
  allowOnlyChildren(element, [csdo('UnifiedCountryCode'), aeo('DocId'), aeo('AEORegistryKindCode')]);
  const docId = requiredChild(element, aeo('DocId'));
  const { raw, certificate } = certificateNumberOf(docId);
  const programme = programmeOfMemberState(certificate.country);
  const countryElement = requiredChild(element, csdo('UnifiedCountryCode'));
  if (countryOf(countryElement) !== certificate.country) {
    throw new GatewayError(
      'BUSINESS_RULE_VIOLATION',
      `the certificate was issued by ${certificate.country}, not ${countryElement.text.trim()}`,
      countryElement.path,
    );
  }
  const kind = requiredChild(element, aeo('AEORegistryKindCode'));
  const authorisationType = context.codeLists.authorisationType.toCanonical(textOf(kind), kind.path);
  if (eaeuTypeOf(authorisationType) !== certificate.type) {
    throw new GatewayError(
      'BUSINESS_RULE_VIOLATION',
      `certificate type ${textOf(kind)} differs from the number's type ${certificate.type}`,
      kind.path,
    );
  }
  const rule = aeoIdRuleFor(programme, idRuleOptions(context.profile));
  return { programme, aeoId: raw, aeoIdNormalized: rule.normalise(raw).normalised, authorisationType };
}

function decodeStatus(
  element: XmlElement,
  lists: PartnerCodeLists,
): Pick<AeoRecord, 'status' | 'statusEffectiveFrom' | 'statusEffectiveTo' | 'statusReason'> {
  allowOnlyChildren(element, [
    aeo('AEOCertificateStatusCode'),
    csdo('StartDate'),
    csdo('EndDate'),
    aeo('StatusReasonText'),
  ]);
  const code = requiredChild(element, aeo('AEOCertificateStatusCode'));
  const end = optionalChild(element, csdo('EndDate'));
  return compact({
    status: lists.status.toCanonical(textOf(code), code.path),
    statusEffectiveFrom: calendarDateOf(requiredChild(element, csdo('StartDate'))),
    statusEffectiveTo: end && calendarDateOf(end),
    statusReason: optionalText(element, aeo('StatusReasonText')),
  });
}

function decodeSubject(
  element: XmlElement,
): Pick<AeoRecord, 'legalName' | 'nameLatin' | 'traderIds' | 'address'> {
  allowOnlyChildren(element, [
    csdo('BusinessEntityName'),
    aeo('BusinessEntityEnglishName'),
    csdo('BusinessEntityId'),
    ccdo('SubjectAddressDetails'),
  ]);
  return compact({
    legalName: requiredText(element, csdo('BusinessEntityName')),
    nameLatin: optionalText(element, aeo('BusinessEntityEnglishName')),
    traderIds: childrenOf(element, csdo('BusinessEntityId')).map(traderIdOf),
    address: decodeAddress(requiredChild(element, ccdo('SubjectAddressDetails'))),
  });
}

/** Registration, actual or postal address: the canonical model keeps one, whichever kind it is. */
const ADDRESS_KINDS = { '1': 'registration', '2': 'actual', '3': 'postal' } as const;

function decodeAddress(element: XmlElement): Address {
  allowOnlyChildren(element, [
    csdo('AddressKindCode'),
    csdo('UnifiedCountryCode'),
    csdo('RegionName'),
    csdo('CityName'),
    csdo('StreetName'),
    csdo('PostCode'),
  ]);
  const kind = optionalChild(element, csdo('AddressKindCode'));
  if (kind) fixedCodeOf(kind, ADDRESS_KINDS);
  return compact<Address>({
    street: requiredText(element, csdo('StreetName')),
    city: requiredText(element, csdo('CityName')),
    postcode: optionalText(element, csdo('PostCode')),
    subdivision: optionalText(element, csdo('RegionName')),
    country: countryOf(requiredChild(element, csdo('UnifiedCountryCode'))),
  });
}

function decodeRoles(entry: XmlElement, lists: PartnerCodeLists): SupplyChainRole[] {
  const codes = childrenOf(entry, aeo('AEOActivityKindCode'));
  if (codes.length === 0) {
    throw new GatewayError(
      'MISSING_REQUIRED_FIELD',
      'at least one AEOActivityKindCode is required',
      `${entry.path}/AEOActivityKindCode`,
    );
  }
  return codes.map((code) => lists.role.toCanonical(textOf(code), code.path));
}

function decodeConsent(element: XmlElement): Consent {
  allowOnlyChildren(element, [aeo('ConsentIndicator'), csdo('EventDate')]);
  return {
    granted: booleanOf(requiredChild(element, aeo('ConsentIndicator'))),
    recordedOn: calendarDateOf(requiredChild(element, csdo('EventDate'))),
  };
}
