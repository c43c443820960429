import { leaf, node, type XmlNodeSpec } from '@aeo/codecs';
import { GatewayError, type Address, type AeoRecord } from '@aeo/domain';
import type { CodeList } from '../common/code-list.js';
import type { MappingLoss } from '../partner-adapter.js';
import { officialCertificateNumber } from './eaeu-certificates.js';
import type { EaeuContext } from './eaeu-context.js';
import { aeo, ccdo, csdo } from './eaeu-format.js';
import { countryNode, memberStateOfProgramme } from './eaeu-participants.js';
import { traderIdNodes } from './eaeu-trader-ids.js';

/** The address kind the gateway writes: the registration address (csdo:AddressKindCode 1). */
const REGISTRATION_ADDRESS = '1';

/**
 * Canonical AeoRecord → aeo:AEORegistryEntryDetails. Only EAEU certificates fit the register:
 * a record of a programme outside the Union cannot be encoded. `pointer` is the record's JSON
 * pointer in the canonical message, used for errors and losses.
 */
export function encodeRegistryEntry(
  record: AeoRecord,
  pointer: string,
  context: EaeuContext,
  losses: MappingLoss[],
): XmlNodeSpec {
  const member = memberStateOfProgramme(record.programme);
  if (!member)
    throw new GatewayError(
      'CANNOT_ENCODE',
      `the EAEU register carries no records of ${record.programme}`,
      `${pointer}/programme`,
    );
  const lists = context.codeLists;
  return node(aeo('AEORegistryEntryDetails').tag, [
    node(aeo('AEORegistryIdDetails').tag, [
      countryNode(member),
      leaf(aeo('DocId').tag, officialCertificateNumber(record.aeoId, `${pointer}/aeoId`, losses)),
      leaf(
        aeo('AEORegistryKindCode').tag,
        partnerCode(
          lists.authorisationType,
          record.authorisationType,
          `${pointer}/authorisationType`,
          losses,
        ),
      ),
    ]),
    leaf(aeo('RegistryInclusionDate').tag, record.authorisationDate),
    node(ccdo('ValidityPeriodDetails').tag, [
      leaf(csdo('StartDate').tag, record.validFrom),
      leaf(csdo('EndDate').tag, record.validUntil),
    ]),
    node(aeo('AEOCertificateStatusDetails').tag, [
      leaf(
        aeo('AEOCertificateStatusCode').tag,
        partnerCode(lists.status, record.status, `${pointer}/status`, losses),
      ),
      leaf(csdo('StartDate').tag, record.statusEffectiveFrom),
      leaf(csdo('EndDate').tag, record.statusEffectiveTo),
      leaf(aeo('StatusReasonText').tag, record.statusReason),
    ]),
    node(aeo('AEOSubjectDetails').tag, [
      leaf(csdo('BusinessEntityName').tag, record.legalName),
      leaf(aeo('BusinessEntityEnglishName').tag, record.nameLatin),
      ...traderIdNodes(record.traderIds, `${pointer}/traderIds`, losses),
      addressNode(record.address),
    ]),
    ...record.supplyChainRoles.map((role, i) =>
      leaf(
        aeo('AEOActivityKindCode').tag,
        partnerCode(lists.role, role, `${pointer}/supplyChainRoles/${i}`, losses),
      ),
    ),
    node(aeo('DataSharingConsentDetails').tag, [
      leaf(aeo('ConsentIndicator').tag, record.consent.granted),
      leaf(csdo('EventDate').tag, record.consent.recordedOn),
    ]),
    leaf(csdo('UpdateDateTime').tag, record.lastChangedAt),
    leaf(aeo('RegistryEntryVersionNumber').tag, record.recordVersion),
  ]);
}

function addressNode(address: Address): XmlNodeSpec {
  return node(ccdo('SubjectAddressDetails').tag, [
    leaf(csdo('AddressKindCode').tag, REGISTRATION_ADDRESS),
    countryNode(address.country),
    leaf(csdo('RegionName').tag, address.subdivision),
    leaf(csdo('CityName').tag, address.city),
    leaf(csdo('StreetName').tag, address.street),
    leaf(csdo('PostCode').tag, address.postcode),
  ]);
}

/** The partner code of a canonical value; a many-to-one mapping is reported, never silent. */
export function partnerCode<C extends string>(
  list: CodeList<C>,
  value: C,
  path: string,
  losses: MappingLoss[],
): string {
  const { code, readBackAs } = list.toPartner(value, path);
  if (readBackAs !== undefined) {
    losses.push({
      path,
      kind: 'CODE_READ_BACK_DIFFERENTLY',
      detail: `${list.list} ${value} is sent as '${code}' and read back as ${readBackAs}`,
    });
  }
  return code;
}
