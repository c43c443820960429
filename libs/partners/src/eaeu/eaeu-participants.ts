import { leaf, node, type XmlElement, type XmlNodeSpec } from '@aeo/codecs';
import { EAEU_MEMBER_STATES, GatewayError, type EaeuMemberState, type Programme } from '@aeo/domain';
import { COUNTRY_CODE_LIST_ID, aeo, csdo } from './eaeu-format.js';
import { allowOnlyChildren, optionalChild, requiredChild, textOf } from './eaeu-xml-reader.js';
import { countryOf } from './eaeu-values.js';

/**
 * Programmes as participants of the EEC common process. ACT.001 is the Commission (domain.md §4);
 * ACT.002 for a member state's customs authority is our assumption. Each member state is its own
 * programme, and Kazakhstan's is the home programme KZ-SRC.
 */
const COMMISSION = 'ACT.001';
const MEMBER_AUTHORITY = 'ACT.002';

export function programmeOfMemberState(country: EaeuMemberState): Programme {
  return country === 'KZ' ? 'KZ-SRC' : (`EAEU-${country}` as Programme);
}

/** The member state behind a programme, or undefined for programmes outside the Union. */
export function memberStateOfProgramme(programme: Programme): EaeuMemberState | undefined {
  if (programme === 'KZ-SRC') return 'KZ';
  const match = /^EAEU-([A-Z]{2})$/.exec(programme);
  return match && isMemberState(match[1]) ? match[1] : undefined;
}

export function isMemberState(country: string): country is EaeuMemberState {
  return (EAEU_MEMBER_STATES as readonly string[]).includes(country);
}

export function countryNode(country: string): XmlNodeSpec {
  return {
    name: csdo('UnifiedCountryCode').tag,
    attributes: { codeListId: COUNTRY_CODE_LIST_ID },
    text: country,
  };
}

/** Sender, recipient or register keeper; CANNOT_ENCODE for a programme outside the process. */
export function participantNode(tag: string, programme: Programme, path: string): XmlNodeSpec {
  if (programme === 'EAEU-EEC') return node(tag, [leaf(aeo('ProcessRoleCode').tag, COMMISSION)]);
  const member = memberStateOfProgramme(programme);
  if (!member)
    throw new GatewayError('CANNOT_ENCODE', `${programme} takes no part in the EAEU common process`, path);
  return node(tag, [leaf(aeo('ProcessRoleCode').tag, MEMBER_AUTHORITY), countryNode(member)]);
}

export function programmeOfParticipant(element: XmlElement): Programme {
  allowOnlyChildren(element, [aeo('ProcessRoleCode'), csdo('UnifiedCountryCode')]);
  const roleElement = requiredChild(element, aeo('ProcessRoleCode'));
  const role = textOf(roleElement);
  const countryElement = optionalChild(element, csdo('UnifiedCountryCode'));
  if (role === COMMISSION) {
    if (countryElement)
      throw new GatewayError(
        'UNEXPECTED_FIELD',
        'the Commission (ACT.001) has no country',
        countryElement.path,
      );
    return 'EAEU-EEC';
  }
  if (role !== MEMBER_AUTHORITY) {
    throw new GatewayError('UNKNOWN_PROGRAMME', `unknown process role '${role}'`, roleElement.path);
  }
  if (!countryElement) {
    throw new GatewayError(
      'MISSING_REQUIRED_FIELD',
      'a member-state authority (ACT.002) needs its country',
      `${element.path}/UnifiedCountryCode`,
    );
  }
  const country = countryOf(countryElement);
  if (!isMemberState(country)) {
    throw new GatewayError(
      'UNKNOWN_PROGRAMME',
      `${country} is not an EAEU member state`,
      countryElement.path,
    );
  }
  return programmeOfMemberState(country);
}
