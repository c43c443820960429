import { leaf, node, type XmlNodeSpec } from '@aeo/codecs';
import { GatewayError, type AeoRecord, type SupplyChainRole } from '@aeo/domain';
import type { CodeList } from '../common/code-list.js';
import type { MappingLoss } from '../partner-adapter.js';
import type { WcoContext } from './wco-context.js';
import { PARTY, R143_MAX_LENGTH } from './wco-vocabulary.js';

/**
 * Canonical AEO record → AEOMutualRecognitionParty. `at` is the record's JSON pointer in the
 * canonical message, used for CANNOT_ENCODE errors and mapping losses.
 */
export function writeParty(
  record: AeoRecord,
  at: string,
  context: WcoContext,
  losses: MappingLoss[],
): XmlNodeSpec {
  const { codeLists } = context;
  return node(PARTY, [
    leaf('ID', partyId(record.aeoId, `${at}/aeoId`)),
    leaf('ProgrammeCode', record.programme),
    ...record.traderIds.map((id) => ({
      name: 'TraderID',
      attributes: { schemeID: id.scheme },
      text: id.value,
    })),
    leaf('Name', record.legalName),
    leaf('LatinName', record.nameLatin),
    node('Address', [
      leaf('Line', record.address.street),
      leaf('CityName', record.address.city),
      leaf('PostcodeID', record.address.postcode),
      leaf('CountrySubDivisionID', record.address.subdivision),
      leaf('CountryCode', record.address.country),
    ]),
    ...record.supplyChainRoles.map((role, i) =>
      leaf('RoleCode', mapped(codeLists.role, role, `${at}/supplyChainRoles/${i}`, losses)),
    ),
    leaf(
      'AuthorisationTypeCode',
      mapped(codeLists.authorisationType, record.authorisationType, `${at}/authorisationType`, losses),
    ),
    leaf('AuthorisationDate', record.authorisationDate),
    period('ValidityPeriod', record.validFrom, record.validUntil),
    node('Status', [
      leaf('StatusCode', mapped(codeLists.status, record.status, `${at}/status`, losses)),
      leaf('ReasonText', record.statusReason),
      period('EffectivePeriod', record.statusEffectiveFrom, record.statusEffectiveTo),
    ]),
    node('Consent', [
      leaf('GrantedIndicator', record.consent.granted),
      leaf('RecordedDate', record.consent.recordedOn),
    ]),
    leaf('LastChangeDateTime', record.lastChangedAt),
    leaf('RecordVersionNumber', record.recordVersion),
  ]);
}

/** The party as a lookup request names it: the declared identifier and, if known, the role. */
export function writeDeclaredParty(
  aeoId: string,
  role: SupplyChainRole | undefined,
  at: string,
  context: WcoContext,
  losses: MappingLoss[],
): XmlNodeSpec {
  return node(PARTY, [
    leaf('ID', partyId(aeoId, `${at}/aeoId`)),
    leaf(
      'RoleCode',
      role === undefined ? undefined : mapped(context.codeLists.role, role, `${at}/role`, losses),
    ),
  ]);
}

/**
 * R143 is an..17. The canonical model allows longer identifiers; truncating one would send a
 * different AEO's number, so such a message cannot be written in this format at all.
 */
export function partyId(aeoId: string, path: string): string {
  if ([...aeoId].length > R143_MAX_LENGTH) {
    throw new GatewayError(
      'CANNOT_ENCODE',
      `AEO id '${aeoId}' is longer than ${R143_MAX_LENGTH} characters (WCO R143 an..17)`,
      path,
    );
  }
  return aeoId;
}

/**
 * The wire code of a canonical value. The WCO-REF profile maps every value 1:1, but the writer
 * still honours `readBackAs`, so a profile change can never turn into a silent loss.
 */
function mapped<C extends string>(list: CodeList<C>, value: C, path: string, losses: MappingLoss[]): string {
  const { code, readBackAs } = list.toPartner(value, path);
  if (readBackAs !== undefined) {
    losses.push({
      path,
      kind: 'CODE_READ_BACK_DIFFERENTLY',
      detail: `${list.list} ${value} is sent as ${code} and reads back as ${readBackAs}`,
    });
  }
  return code;
}

function period(name: string, start: string, end: string | undefined): XmlNodeSpec {
  return node(name, [leaf('StartDate', start), leaf('EndDate', end)]);
}
