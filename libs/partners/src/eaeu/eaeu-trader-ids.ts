import { type XmlElement, type XmlNodeSpec } from '@aeo/codecs';
import { GatewayError, TRADER_ID_RULES, type TraderId } from '@aeo/domain';
import type { MappingLoss } from '../partner-adapter.js';
import { csdo } from './eaeu-format.js';
import { atPath } from './eaeu-values.js';
import { textOf } from './eaeu-xml-reader.js';

/**
 * Trader ids travel as csdo:BusinessEntityId with kindId = the gateway's scheme code (the EEC's
 * own kind classifier was not retrieved). This list is the XSD's kindId enumeration; a scheme
 * added to the domain later is reported as not carried until the XSD and this list learn it.
 * Other member states' taxpayer numbers (RU/KG INN, BY UNP, AM TIN) have no scheme of their own
 * in the canonical model and travel as OTHER.
 */
export const CARRIED_TRADER_ID_SCHEMES: readonly string[] = [
  'KZ-BIN',
  'KZ-IIN',
  'CN-CUSTOMS10',
  'CN-USCC18',
  'TR-VKN',
  'TR-TCKN',
  'KR-BRN',
  'EAEU-AEO',
  'TR-YFKS',
  'US-MID',
  'KR-OTPC',
  'EU-EORI',
  'OTHER',
];

export function traderIdOf(element: XmlElement): TraderId {
  const scheme = element.requiredAttribute('kindId');
  if (!CARRIED_TRADER_ID_SCHEMES.includes(scheme)) {
    throw new GatewayError('INVALID_VALUE', `unknown identifier kind '${scheme}'`, `${element.path}/@kindId`);
  }
  const value = textOf(element);
  const rule = TRADER_ID_RULES[scheme];
  if (rule) atPath(element.path, () => rule.normalise(value));
  return { scheme, value };
}

export function traderIdNodes(
  ids: readonly TraderId[],
  pointer: string,
  losses: MappingLoss[],
): XmlNodeSpec[] {
  const nodes: XmlNodeSpec[] = [];
  ids.forEach((id, i) => {
    if (CARRIED_TRADER_ID_SCHEMES.includes(id.scheme)) {
      nodes.push({ name: csdo('BusinessEntityId').tag, attributes: { kindId: id.scheme }, text: id.value });
    } else {
      losses.push({
        path: `${pointer}/${i}`,
        kind: 'FIELD_NOT_CARRIED',
        detail: `identifier scheme ${id.scheme} has no kindId in this format`,
      });
    }
  });
  return nodes;
}
