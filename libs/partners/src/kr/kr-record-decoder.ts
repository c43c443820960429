import { GatewayError, TRADER_ID_RULES, aeoIdRuleFor, type AeoRecord, type TraderId } from '@aeo/domain';
import { compact } from '../common/decoded-message.js';
import type { JsonObject } from '../common/json-reader.js';
import { atPath, type KrMapping } from './kr-mapping.js';
import { dateAt, instantAt, optionalDateAt, programmeAt, roleOf, yesNoAt } from './kr-wire-readers.js';

function traderIdOf(entry: JsonObject, mapping: KrMapping): TraderId {
  entry.allowOnly(['id_type_cd', 'id_no']);
  const type = entry.requiredString('id_type_cd');
  const scheme = mapping.tables.traderIdTypes.fromWire(type);
  if (!scheme) {
    throw new GatewayError('INVALID_VALUE', `unknown id type '${type}'`, `${entry.path}/id_type_cd`);
  }
  const raw = entry.requiredString('id_no');
  const rule = TRADER_ID_RULES[scheme];
  // Checked here, not only by the canonical validation, so the error names the wire member.
  // The canonical value is the scheme's own spelling (a BRN without its dashes).
  const value = rule ? atPath(`${entry.path}/id_no`, () => rule.normalise(raw).normalised) : raw;
  return { scheme, value };
}

/** One `KrAeo` as a canonical record. Business rules are checked afterwards, on the whole message. */
export function decodeRecord(aeo: JsonObject, mapping: KrMapping): AeoRecord {
  aeo.allowOnly([
    'issuer_cd',
    'aeo_id',
    'company',
    'certification',
    'status',
    'info_consent',
    'rec_ver',
    'last_chg_dt',
  ]);
  const programme = programmeAt(aeo, 'issuer_cd', mapping);
  const aeoId = aeo.requiredString('aeo_id');
  const aeoIdNormalized = atPath(
    `${aeo.path}/aeo_id`,
    () => aeoIdRuleFor(programme, mapping.idOptions).normalise(aeoId).normalised,
  );

  const company = aeo.requiredObject('company').allowOnly(['name_local', 'name_en', 'trader_ids', 'addr']);
  const addr = company
    .requiredObject('addr')
    .allowOnly(['road_addr', 'city', 'zip_cd', 'province', 'country_cd']);
  const certification = aeo
    .requiredObject('certification')
    .allowOnly(['aeo_grade', 'biz_types', 'cert_date', 'valid_start_date', 'valid_end_date']);
  const status = aeo
    .requiredObject('status')
    .allowOnly(['status_cd', 'reason_txt', 'effective_start_date', 'effective_end_date']);
  const consent = aeo.requiredObject('info_consent').allowOnly(['agree_yn', 'agree_date']);

  const roles = certification
    .stringsOf('biz_types', false)
    .map((code, i) => roleOf(code, `${certification.path}/biz_types/${i}`, mapping));

  return compact<AeoRecord>({
    programme,
    aeoId,
    aeoIdNormalized,
    traderIds: company.objectsOf('trader_ids').map((entry) => traderIdOf(entry, mapping)),
    legalName: company.requiredString('name_local'),
    nameLatin: company.optionalString('name_en'),
    address: compact({
      street: addr.requiredString('road_addr'),
      city: addr.requiredString('city'),
      postcode: addr.optionalString('zip_cd'),
      subdivision: addr.optionalString('province'),
      country: addr.requiredString('country_cd'),
    }),
    status: mapping.codes.status.toCanonical(status.requiredString('status_cd'), `${status.path}/status_cd`),
    statusReason: status.optionalString('reason_txt'),
    statusEffectiveFrom: dateAt(status, 'effective_start_date'),
    statusEffectiveTo: optionalDateAt(status, 'effective_end_date'),
    authorisationType: mapping.codes.authorisationType.toCanonical(
      certification.requiredString('aeo_grade'),
      `${certification.path}/aeo_grade`,
    ),
    // SEA and AIR both read as CARRIER, so one kind can arrive twice: keep the first.
    supplyChainRoles: [...new Set(roles)],
    authorisationDate: dateAt(certification, 'cert_date'),
    validFrom: dateAt(certification, 'valid_start_date'),
    validUntil: optionalDateAt(certification, 'valid_end_date'),
    lastChangedAt: instantAt(aeo, 'last_chg_dt'),
    recordVersion: aeo.requiredInteger('rec_ver'),
    consent: { granted: yesNoAt(consent, 'agree_yn'), recordedOn: dateAt(consent, 'agree_date') },
  });
}
