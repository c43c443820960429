import { GatewayError, type AeoRecord, type Programme, type TraderId } from '@aeo/domain';
import { YFKS_SCHEME, type YfksDirectory } from './tr-yfks.js';

const VKN_SCHEME = 'TR-VKN';

/** The VKN inside a Turkish AEO id (`TR` + VKN, normalised). */
function vknOf(aeoIdNormalized: string): string {
  return aeoIdNormalized.slice(2);
}

/**
 * The trader ids a record travels with. Türkiye keys its own AEOs by VKN and foreign ones by
 * YFKS number, so the format requires a TR record to carry its VKN and a KZ record a YFKS
 * number. Missing ones are appended (after the record's own ids, which keep their order):
 * the VKN is read from the AEO id, the YFKS number from the directory. `path` is the
 * record's pointer in the canonical message.
 */
export function traderIdsToSend(record: AeoRecord, path: string, yfks: YfksDirectory): readonly TraderId[] {
  if (record.programme === 'TR-MOT') {
    const vkn = vknOf(record.aeoIdNormalized);
    const carried = record.traderIds.some((id) => id.scheme === VKN_SCHEME && id.value.trim() === vkn);
    return carried ? record.traderIds : [...record.traderIds, { scheme: VKN_SCHEME, value: vkn }];
  }
  const missingYfks = yfks.missingYfksOf(record, path);
  return missingYfks === undefined
    ? record.traderIds
    : [...record.traderIds, { scheme: YFKS_SCHEME, value: missingYfks }];
}

/** The decoding side of the same rule; `path` points at the record's identifier list on the wire. */
export function checkHolderIds(
  programme: Programme,
  aeoIdNormalized: string,
  traderIds: readonly TraderId[],
  path: string,
): void {
  if (programme === 'TR-MOT') {
    const vkns = traderIds.filter((id) => id.scheme === VKN_SCHEME);
    if (vkns.length === 0)
      throw new GatewayError('MISSING_REQUIRED_FIELD', 'a TR record must carry its VKN', path);
    if (!vkns.some((id) => id.value === vknOf(aeoIdNormalized))) {
      throw new GatewayError('BUSINESS_RULE_VIOLATION', `no VKN matches the AEO id ${aeoIdNormalized}`, path);
    }
    return;
  }
  if (!traderIds.some((id) => id.scheme === YFKS_SCHEME)) {
    throw new GatewayError('MISSING_REQUIRED_FIELD', 'a KZ record must carry its YFKS number', path);
  }
}
