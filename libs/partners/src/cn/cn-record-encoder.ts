import { leaf, node, type XmlNodeSpec } from '@aeo/codecs';
import { GatewayError, type AeoRecord, type SupplyChainRole } from '@aeo/domain';
import type { PartnerCodeLists } from '../common/code-lists.js';
import { chineseIdentityNodes, kazakhIdentityNodes } from './cn-identifiers.js';
import { CUSTOMS_CODES } from './cn-wire-codes.js';
import { dateToWire, instantToWire } from './cn-wire-values.js';

/**
 * A role's wire code, or undefined where the format has none (the profile maps it to null).
 * Such a role is left out rather than failing the whole message, and the encoder's read-back
 * reports it as a loss.
 */
export function roleCodeIfAny(
  role: SupplyChainRole,
  path: string,
  lists: PartnerCodeLists,
): string | undefined {
  try {
    return lists.role.toPartner(role, path).code;
  } catch (error) {
    if (error instanceof GatewayError && error.code === 'CANNOT_ENCODE') return undefined;
    throw error;
  }
}

/** RoleCode elements; roles that share a code (readBackAs) are written once. A record needs at least one. */
function roleNodes(roles: readonly SupplyChainRole[], path: string, lists: PartnerCodeLists): XmlNodeSpec[] {
  const codes = new Set<string>();
  roles.forEach((role, i) => {
    const code = roleCodeIfAny(role, `${path}/${i}`, lists);
    if (code !== undefined) codes.add(code);
  });
  if (codes.size === 0) {
    throw new GatewayError(
      'CANNOT_ENCODE',
      'none of the record’s supply-chain roles has a code in the GACC format',
      path,
    );
  }
  return [...codes].map((code) => ({ name: 'RoleCode', text: code }));
}

/** One canonical record → an AeoEnterprise element, children in XSD order. `path` is the record's JSON pointer. */
export function enterpriseNode(record: AeoRecord, path: string, lists: PartnerCodeLists): XmlNodeSpec {
  const issuingCustoms = CUSTOMS_CODES.toWire(record.programme, `${path}/programme`);
  const identity =
    record.programme === 'CN-GACC' ? chineseIdentityNodes(record) : kazakhIdentityNodes(record, path);
  const { address } = record;
  return node('AeoEnterprise', [
    leaf('IssuingCustoms', issuingCustoms),
    ...identity,
    leaf('EnterpriseName', record.legalName),
    leaf('EnterpriseNameEn', record.nameLatin),
    node('Address', [
      leaf('Detail', address.street),
      leaf('City', address.city),
      leaf('Province', address.subdivision),
      leaf('PostCode', address.postcode),
      leaf('CountryCode', address.country),
    ]),
    leaf(
      'AeoGrade',
      lists.authorisationType.toPartner(record.authorisationType, `${path}/authorisationType`).code,
    ),
    ...roleNodes(record.supplyChainRoles, `${path}/supplyChainRoles`, lists),
    leaf('CertifiedDate', dateToWire(record.authorisationDate)),
    leaf('ValidFrom', dateToWire(record.validFrom)),
    leaf('ValidTo', record.validUntil && dateToWire(record.validUntil)),
    leaf('StatusCode', lists.status.toPartner(record.status, `${path}/status`).code),
    leaf('StatusStartDate', dateToWire(record.statusEffectiveFrom)),
    leaf('StatusEndDate', record.statusEffectiveTo && dateToWire(record.statusEffectiveTo)),
    leaf('StatusRemark', record.statusReason),
    leaf('UpdateTime', instantToWire(record.lastChangedAt, `${path}/lastChangedAt`)),
    leaf('VersionNo', record.recordVersion),
  ]);
}
