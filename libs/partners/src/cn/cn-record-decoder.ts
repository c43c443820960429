import { type XmlElement } from '@aeo/codecs';
import { GatewayError, type AeoRecord, type SupplyChainRole } from '@aeo/domain';
import type { CodeList } from '../common/code-list.js';
import type { PartnerCodeLists } from '../common/code-lists.js';
import { compact } from '../common/decoded-message.js';
import { readChineseIdentity, readKazakhIdentity } from './cn-identifiers.js';
import { CUSTOMS_CODES } from './cn-wire-codes.js';
import { dateFromWire, instantFromWire, integerFromWire } from './cn-wire-values.js';

export const ENTERPRISE_FIELDS = [
  'IssuingCustoms',
  'AeoCode',
  'CertificateNo',
  'Uscc',
  'EnterpriseName',
  'EnterpriseNameEn',
  'Address',
  'AeoGrade',
  'RoleCode',
  'CertifiedDate',
  'ValidFrom',
  'ValidTo',
  'StatusCode',
  'StatusStartDate',
  'StatusEndDate',
  'StatusRemark',
  'UpdateTime',
  'VersionNo',
] as const;

const ADDRESS_FIELDS = ['Detail', 'City', 'Province', 'PostCode', 'CountryCode'] as const;

/** A profile code list applied to a required child element, so an unknown code names that element. */
export function codeFromWire<C extends string>(list: CodeList<C>, parent: XmlElement, name: string): C {
  const element = parent.required(name);
  return list.toCanonical(parent.requiredText(name), element.path);
}

function optionalDate(parent: XmlElement, name: string): string | undefined {
  const element = parent.optional(name);
  return element ? dateFromWire(element) : undefined;
}

function readRoles(enterprise: XmlElement, lists: PartnerCodeLists): SupplyChainRole[] {
  const elements = enterprise.all('RoleCode');
  if (elements.length === 0) {
    throw new GatewayError(
      'MISSING_REQUIRED_FIELD',
      'at least one RoleCode is required',
      `${enterprise.path}/RoleCode`,
    );
  }
  const roles: SupplyChainRole[] = [];
  for (const element of elements) {
    const role = lists.role.toCanonical(element.text.trim(), element.path);
    if (roles.includes(role))
      throw new GatewayError('INVALID_VALUE', `role ${role} is listed twice`, element.path);
    roles.push(role);
  }
  return roles;
}

/**
 * One AeoEnterprise element → a canonical record. The format has no consent element: GACC
 * shares its AEO list under the arrangement itself (China pre-provides its AEO data to MRA
 * partners), and we send only records whose holders consented, so every record on this wire
 * is shareable. The canonical consent is therefore "granted", recorded on the authorisation date.
 */
export function readEnterprise(enterprise: XmlElement, lists: PartnerCodeLists): AeoRecord {
  enterprise.allowOnly(ENTERPRISE_FIELDS);
  const programme = CUSTOMS_CODES.fromWire(enterprise.required('IssuingCustoms'));
  const identity = programme === 'CN-GACC' ? readChineseIdentity(enterprise) : readKazakhIdentity(enterprise);
  const address = enterprise.required('Address').allowOnly(ADDRESS_FIELDS);
  const authorisationDate = dateFromWire(enterprise.required('CertifiedDate'));
  return compact<AeoRecord>({
    programme,
    aeoId: identity.aeoId,
    aeoIdNormalized: identity.aeoIdNormalized,
    traderIds: identity.traderIds,
    legalName: enterprise.requiredText('EnterpriseName'),
    nameLatin: enterprise.optionalText('EnterpriseNameEn'),
    address: compact({
      street: address.requiredText('Detail'),
      city: address.requiredText('City'),
      postcode: address.optionalText('PostCode'),
      subdivision: address.optionalText('Province'),
      country: address.requiredText('CountryCode'),
    }),
    status: codeFromWire(lists.status, enterprise, 'StatusCode'),
    statusReason: enterprise.optionalText('StatusRemark'),
    statusEffectiveFrom: dateFromWire(enterprise.required('StatusStartDate')),
    statusEffectiveTo: optionalDate(enterprise, 'StatusEndDate'),
    authorisationType: codeFromWire(lists.authorisationType, enterprise, 'AeoGrade'),
    supplyChainRoles: readRoles(enterprise, lists),
    authorisationDate,
    validFrom: dateFromWire(enterprise.required('ValidFrom')),
    validUntil: optionalDate(enterprise, 'ValidTo'),
    lastChangedAt: instantFromWire(enterprise.required('UpdateTime')),
    recordVersion: integerFromWire(enterprise.required('VersionNo')),
    consent: { granted: true, recordedOn: authorisationDate },
  });
}
