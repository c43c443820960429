import { GatewayError, isGatewayError } from '@aeo/domain';

/**
 * Canonical member → where the Turkish format keeps it. The last decoding step (canonical
 * schema and business rules) reports canonical paths such as `/body/records/0/statusEffectiveTo`;
 * a partner's engineer needs `/icerik/kayitlar/0/durum/bitisTarihi`. Array indices are the
 * same on both sides because the decoder keeps every list in wire order.
 */
const WIRE_MEMBER: Readonly<Record<string, string>> = {
  envelope: 'baslik',
  messageId: 'mesajNo',
  correlationId: 'ilgiliMesajNo',
  messageType: 'mesajTuru',
  sender: 'gonderenIdare',
  recipient: 'aliciIdare',
  createdAt: 'olusturmaZamani',
  environment: 'ortam',
  body: 'icerik',
  snapshotId: 'listeNo',
  asOf: 'listeZamani',
  chunkIndex: 'parca/sira',
  chunkCount: 'parca/toplam',
  records: 'kayitlar',
  record: 'kayit',
  requestMessageId: 'sorguMesajNo',
  found: 'bulundu',
  declarationRef: 'beyannameNo',
  role: 'faaliyetAlani',
  receivedMessageId: 'alinanMesajNo',
  receivedSha256: 'alinanMesajSha256',
  outcome: 'sonuc',
  reasonCode: 'hataKodu',
  reasonText: 'hataAciklamasi',
  recordResults: 'kayitSonuclari',
  reference: 'referansNo',
  observedOn: 'tespitTarihi',
  description: 'aciklama',
  programme: 'verenIdare',
  aeoId: 'yysNo',
  aeoIdNormalized: 'yysNo',
  traderIds: 'kimlikNumaralari',
  scheme: 'tur',
  value: 'deger',
  legalName: 'unvan',
  nameLatin: 'latinUnvan',
  address: 'adres',
  street: 'acikAdres',
  city: 'sehir',
  postcode: 'postaKodu',
  subdivision: 'bolge',
  country: 'ulkeKodu',
  status: 'durum/kod',
  statusReason: 'durum/gerekce',
  statusEffectiveFrom: 'durum/baslangicTarihi',
  statusEffectiveTo: 'durum/bitisTarihi',
  authorisationType: 'yetkiTuru',
  supplyChainRoles: 'faaliyetAlanlari',
  authorisationDate: 'yetkilendirmeTarihi',
  validFrom: 'gecerlilikBaslangicTarihi',
  lastChangedAt: 'sonDegisiklikZamani',
  recordVersion: 'kayitSurumu',
  consent: 'paylasimRizasi',
  granted: 'verildi',
  recordedOn: 'kayitTarihi',
};

export function wirePathOf(canonicalPath: string): string {
  return canonicalPath
    .split('/')
    .map((segment) => WIRE_MEMBER[segment] ?? segment)
    .join('/');
}

/** Run a check on the canonical form and report its failures at their place on the wire. */
export function reportedOnTheWire<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (isGatewayError(error) && error.path !== undefined) {
      throw new GatewayError(error.code, error.message, wirePathOf(error.path), { cause: error });
    }
    throw error;
  }
}
