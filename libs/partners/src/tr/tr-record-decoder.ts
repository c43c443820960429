import { aeoIdRuleFor, TRADER_ID_RULES, type AeoRecord, type Address, type TraderId } from '@aeo/domain';
import { compact, idRuleOptions } from '../common/decoded-message.js';
import type { JsonObject } from '../common/json-reader.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { checkHolderIds } from './tr-holder-ids.js';
import type { TrVocabulary } from './tr-vocabulary.js';
import { atPath, optionalDate, requiredCode, requiredDate, requiredInstant } from './tr-wire-reading.js';

const RECORD_MEMBERS = [
  'verenIdare',
  'yysNo',
  'yetkiTuru',
  'kimlikNumaralari',
  'unvan',
  'latinUnvan',
  'adres',
  'durum',
  'faaliyetAlanlari',
  'yetkilendirmeTarihi',
  'gecerlilikBaslangicTarihi',
  'sonDegisiklikZamani',
  'kayitSurumu',
  'paylasimRizasi',
];

/** Identifiers keep their wire order; each is checked against its scheme's rule where it has one. */
function readTraderIds(record: JsonObject, vocabulary: TrVocabulary): TraderId[] {
  return record.objectsOf('kimlikNumaralari', false).map((item) => {
    item.allowOnly(['tur', 'deger']);
    const scheme = requiredCode(item, 'tur', vocabulary.traderIdScheme);
    const value = item.requiredString('deger');
    const rule = TRADER_ID_RULES[scheme];
    if (rule) atPath(`${item.path}/deger`, () => rule.normalise(value));
    return { scheme, value };
  });
}

function readAddress(record: JsonObject): Address {
  const address = record
    .requiredObject('adres')
    .allowOnly(['acikAdres', 'sehir', 'postaKodu', 'bolge', 'ulkeKodu']);
  return compact({
    street: address.requiredString('acikAdres'),
    city: address.requiredString('sehir'),
    postcode: address.optionalString('postaKodu'),
    subdivision: address.optionalString('bolge'),
    country: address.requiredString('ulkeKodu'),
  });
}

export function decodeTrRecord(
  record: JsonObject,
  profile: PartnerProfile,
  vocabulary: TrVocabulary,
): AeoRecord {
  record.allowOnly(RECORD_MEMBERS);
  const programme = requiredCode(record, 'verenIdare', vocabulary.administration);
  const aeoId = record.requiredString('yysNo');
  const aeoIdNormalized = atPath(
    `${record.path}/yysNo`,
    () => aeoIdRuleFor(programme, idRuleOptions(profile)).normalise(aeoId).normalised,
  );
  const traderIds = readTraderIds(record, vocabulary);
  checkHolderIds(programme, aeoIdNormalized, traderIds, `${record.path}/kimlikNumaralari`);

  const status = record
    .requiredObject('durum')
    .allowOnly(['kod', 'gerekce', 'baslangicTarihi', 'bitisTarihi']);
  const consent = record.requiredObject('paylasimRizasi').allowOnly(['verildi', 'kayitTarihi']);
  const roles = record.stringsOf('faaliyetAlanlari', false);

  return compact({
    programme,
    aeoId,
    aeoIdNormalized,
    traderIds,
    legalName: record.requiredString('unvan'),
    nameLatin: record.optionalString('latinUnvan'),
    address: readAddress(record),
    status: requiredCode(status, 'kod', vocabulary.status),
    statusReason: status.optionalString('gerekce'),
    statusEffectiveFrom: requiredDate(status, 'baslangicTarihi'),
    statusEffectiveTo: optionalDate(status, 'bitisTarihi'),
    authorisationType: requiredCode(record, 'yetkiTuru', vocabulary.authorisationType),
    supplyChainRoles: roles.map((code, i) =>
      vocabulary.role.toCanonical(code, `${record.path}/faaliyetAlanlari/${i}`),
    ),
    authorisationDate: requiredDate(record, 'yetkilendirmeTarihi'),
    validFrom: requiredDate(record, 'gecerlilikBaslangicTarihi'),
    lastChangedAt: requiredInstant(record, 'sonDegisiklikZamani'),
    recordVersion: record.requiredInteger('kayitSurumu'),
    consent: {
      granted: consent.requiredBoolean('verildi'),
      recordedOn: requiredDate(consent, 'kayitTarihi'),
    },
  });
}
