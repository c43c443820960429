import type { AeoRecord } from '@aeo/domain';
import { dateToWire, instantToWire } from './tr-dates.js';
import { traderIdsToSend } from './tr-holder-ids.js';
import type { LossReport } from './tr-losses.js';
import type { TrVocabulary } from './tr-vocabulary.js';
import type { YfksDirectory } from './tr-yfks.js';

/** The canonical record fields this format has no member for (see capabilities()). */
export const TR_FIELDS_NOT_CARRIED = ['record.validUntil'] as const;

/** Distinct codes in first-seen order: two canonical roles may share one Turkish activity. */
function distinct(codes: readonly string[]): string[] {
  return [...new Set(codes)];
}

/**
 * Canonical record → Turkish `yysKaydi`. `path` is the record's pointer in the canonical
 * message; losses and errors name it. aeoIdNormalized is not written: the decoder derives it.
 */
export function encodeTrRecord(
  record: AeoRecord,
  path: string,
  vocabulary: TrVocabulary,
  yfks: YfksDirectory,
  losses: LossReport,
): Record<string, unknown> {
  if (record.validUntil !== undefined) {
    losses.fieldNotCarried(
      `${path}/validUntil`,
      `YYS certificates do not expire; the end of validity ${record.validUntil} is not sent`,
    );
  }
  const { address, consent } = record;
  return {
    verenIdare: vocabulary.administration.toPartner(record.programme, `${path}/programme`).code,
    yysNo: record.aeoId,
    yetkiTuru: losses.code(
      vocabulary.authorisationType,
      record.authorisationType,
      `${path}/authorisationType`,
    ),
    kimlikNumaralari: traderIdsToSend(record, path, yfks).map((id, i) => ({
      tur: vocabulary.traderIdScheme.toPartner(id.scheme, `${path}/traderIds/${i}/scheme`).code,
      deger: id.value,
    })),
    unvan: record.legalName,
    ...(record.nameLatin !== undefined ? { latinUnvan: record.nameLatin } : {}),
    adres: {
      acikAdres: address.street,
      sehir: address.city,
      ...(address.postcode !== undefined ? { postaKodu: address.postcode } : {}),
      ...(address.subdivision !== undefined ? { bolge: address.subdivision } : {}),
      ulkeKodu: address.country,
    },
    durum: {
      kod: losses.code(vocabulary.status, record.status, `${path}/status`),
      ...(record.statusReason !== undefined ? { gerekce: record.statusReason } : {}),
      baslangicTarihi: dateToWire(record.statusEffectiveFrom),
      ...(record.statusEffectiveTo !== undefined
        ? { bitisTarihi: dateToWire(record.statusEffectiveTo) }
        : {}),
    },
    faaliyetAlanlari: distinct(
      record.supplyChainRoles.map((role, i) =>
        losses.code(vocabulary.role, role, `${path}/supplyChainRoles/${i}`),
      ),
    ),
    yetkilendirmeTarihi: dateToWire(record.authorisationDate),
    gecerlilikBaslangicTarihi: dateToWire(record.validFrom),
    sonDegisiklikZamani: instantToWire(record.lastChangedAt, `${path}/lastChangedAt`),
    kayitSurumu: record.recordVersion,
    paylasimRizasi: { verildi: consent.granted, kayitTarihi: dateToWire(consent.recordedOn) },
  };
}
