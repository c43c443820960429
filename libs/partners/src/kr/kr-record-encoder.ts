import {
  GatewayError,
  KR_BRN,
  type AeoRecord,
  type Programme,
  type SupplyChainRole,
  type TraderId,
} from '@aeo/domain';
import type { CodeList } from '../common/code-list.js';
import type { MappingLoss } from '../partner-adapter.js';
import type { KrMapping } from './kr-mapping.js';
import type { KrAeo } from './kr-wire.js';
import { isoToCompactDate, utcToKst } from './kst-time.js';

/** Administration code of a programme; CANNOT_ENCODE where this format has none. */
export function administrationCode(programme: Programme, path: string, mapping: KrMapping): string {
  const code = mapping.tables.administrations.toWire(programme);
  if (code === undefined) {
    throw new GatewayError(
      'CANNOT_ENCODE',
      `${programme} has no administration code in the KCS format`,
      path,
    );
  }
  return code;
}

/**
 * A canonical code as the partner's, noting a loss where it will read back as another value.
 * Codes without a counterpart throw CANNOT_ENCODE (from the code list).
 */
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
      detail: `${list.list} ${value} is sent as ${code} and reads back as ${readBackAs}`,
    });
  }
  return code;
}

/** KCS operator kinds of a record, each once (several canonical roles can share a kind). */
export function bizTypes(
  roles: readonly SupplyChainRole[],
  path: string,
  mapping: KrMapping,
  losses: MappingLoss[],
): string[] {
  const codes = roles.map((role, i) => partnerCode(mapping.codes.role, role, `${path}/${i}`, losses));
  return [...new Set(codes)];
}

/** An optional member: present with its value, or absent (never null or undefined on the wire). */
export function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** Korea writes the business registration number as 000-00-00000. */
function brnWithDashes(value: string): string {
  const digits = KR_BRN.normalise(value).normalised;
  return `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
}

function encodeTraderId(id: TraderId, mapping: KrMapping): { id_type_cd: string; id_no: string } {
  // krTablesOf made sure every canonical scheme has a row.
  const type = mapping.tables.traderIdTypes.toWire(id.scheme)!;
  return { id_type_cd: type, id_no: id.scheme === 'KR-BRN' ? brnWithDashes(id.value) : id.value };
}

/** One canonical record (already validated) in the KCS shape; `path` is its canonical pointer. */
export function encodeRecord(
  record: AeoRecord,
  path: string,
  mapping: KrMapping,
  losses: MappingLoss[],
): KrAeo {
  return {
    issuer_cd: administrationCode(record.programme, `${path}/programme`, mapping),
    aeo_id: record.aeoId,
    company: {
      name_local: record.legalName,
      ...optional('name_en', record.nameLatin),
      trader_ids: record.traderIds.map((id) => encodeTraderId(id, mapping)),
      addr: {
        road_addr: record.address.street,
        city: record.address.city,
        ...optional('zip_cd', record.address.postcode),
        ...optional('province', record.address.subdivision),
        country_cd: record.address.country,
      },
    },
    certification: {
      aeo_grade: partnerCode(
        mapping.codes.authorisationType,
        record.authorisationType,
        `${path}/authorisationType`,
        losses,
      ),
      biz_types: bizTypes(record.supplyChainRoles, `${path}/supplyChainRoles`, mapping, losses),
      cert_date: isoToCompactDate(record.authorisationDate),
      valid_start_date: isoToCompactDate(record.validFrom),
      ...optional('valid_end_date', record.validUntil && isoToCompactDate(record.validUntil)),
    },
    status: {
      status_cd: partnerCode(mapping.codes.status, record.status, `${path}/status`, losses),
      ...optional('reason_txt', record.statusReason),
      effective_start_date: isoToCompactDate(record.statusEffectiveFrom),
      ...optional(
        'effective_end_date',
        record.statusEffectiveTo && isoToCompactDate(record.statusEffectiveTo),
      ),
    },
    info_consent: {
      agree_yn: record.consent.granted ? 'Y' : 'N',
      agree_date: isoToCompactDate(record.consent.recordedOn),
    },
    rec_ver: record.recordVersion,
    last_chg_dt: utcToKst(record.lastChangedAt, `${path}/lastChangedAt`),
  };
}
