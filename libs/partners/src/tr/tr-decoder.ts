import { parseJsonSafely } from '@aeo/codecs';
import {
  GatewayError,
  SCHEMA_VERSION,
  type CanonicalMessage,
  type Envelope,
  type IrregularityNoticeBody,
  type LookupRequestBody,
  type LookupResponseBody,
  type MessageBodies,
  type MessageType,
  type ReceiptBody,
  type SnapshotBody,
  type StatusDeltaBody,
} from '@aeo/domain';
import { checkDecoded, compact } from '../common/decoded-message.js';
import { JsonObject } from '../common/json-reader.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { decodeTrRecord } from './tr-record-decoder.js';
import type { TrVocabulary } from './tr-vocabulary.js';
import { reportedOnTheWire } from './tr-wire-paths.js';
import { requiredCode, requiredDate, requiredInstant } from './tr-wire-reading.js';

type BodyReader<T extends MessageType> = (
  body: JsonObject,
  profile: PartnerProfile,
  vocabulary: TrVocabulary,
) => MessageBodies[T];

function checkProfileMember(root: JsonObject, value: unknown, profile: PartnerProfile): void {
  const declared = (value as Record<string, unknown>).profile;
  if (declared !== profile.wire.namespace) {
    throw new GatewayError(
      'WRONG_NAMESPACE',
      `profile must be '${profile.wire.namespace}', got ${typeof declared === 'string' ? `'${declared.slice(0, 80)}'` : String(declared)}`,
      `${root.path}/profile`,
    );
  }
}

function readEnvelope(header: JsonObject, vocabulary: TrVocabulary): Envelope {
  header.allowOnly([
    'mesajNo',
    'ilgiliMesajNo',
    'mesajTuru',
    'gonderenIdare',
    'aliciIdare',
    'olusturmaZamani',
    'ortam',
  ]);
  return compact({
    messageId: header.requiredString('mesajNo'),
    correlationId: header.optionalString('ilgiliMesajNo'),
    sender: requiredCode(header, 'gonderenIdare', vocabulary.administration),
    recipient: requiredCode(header, 'aliciIdare', vocabulary.administration),
    createdAt: requiredInstant(header, 'olusturmaZamani'),
    messageType: requiredCode(header, 'mesajTuru', vocabulary.messageType),
    // The format's version is the one named in `profile`; it maps to this canonical version.
    schemaVersion: SCHEMA_VERSION,
    environment: requiredCode(header, 'ortam', vocabulary.environment),
  });
}

const readSnapshot: BodyReader<'AEO_SNAPSHOT'> = (body, profile, vocabulary): SnapshotBody => {
  body.allowOnly(['listeNo', 'verenIdare', 'listeZamani', 'parca', 'kayitlar']);
  const part = body.requiredObject('parca').allowOnly(['sira', 'toplam']);
  return {
    snapshotId: body.requiredString('listeNo'),
    programme: requiredCode(body, 'verenIdare', vocabulary.administration),
    asOf: requiredInstant(body, 'listeZamani'),
    chunkIndex: part.requiredInteger('sira'),
    chunkCount: part.requiredInteger('toplam'),
    records: body.objectsOf('kayitlar').map((record) => decodeTrRecord(record, profile, vocabulary)),
  };
};

const readStatusDelta: BodyReader<'AEO_STATUS_DELTA'> = (body, profile, vocabulary): StatusDeltaBody => {
  body.allowOnly(['verenIdare', 'kayitlar']);
  return {
    programme: requiredCode(body, 'verenIdare', vocabulary.administration),
    records: body.objectsOf('kayitlar', false).map((record) => decodeTrRecord(record, profile, vocabulary)),
  };
};

const readLookupRequest: BodyReader<'AEO_LOOKUP_REQUEST'> = (
  body,
  _profile,
  vocabulary,
): LookupRequestBody => {
  body.allowOnly(['yysNo', 'beyannameNo', 'faaliyetAlani']);
  return compact({
    aeoId: body.requiredString('yysNo'),
    declarationRef: body.optionalString('beyannameNo'),
    role: body.has('faaliyetAlani') ? requiredCode(body, 'faaliyetAlani', vocabulary.role) : undefined,
  });
};

const readLookupResponse: BodyReader<'AEO_LOOKUP_RESPONSE'> = (
  body,
  profile,
  vocabulary,
): LookupResponseBody => {
  body.allowOnly(['sorguMesajNo', 'bulundu', 'kayit']);
  const record = body.optionalObject('kayit');
  return compact({
    requestMessageId: body.requiredString('sorguMesajNo'),
    found: body.requiredBoolean('bulundu'),
    record: record ? decodeTrRecord(record, profile, vocabulary) : undefined,
  });
};

const readReceipt: BodyReader<'RECEIPT'> = (body, _profile, vocabulary): ReceiptBody => {
  body.allowOnly([
    'alinanMesajNo',
    'alinanMesajSha256',
    'sonuc',
    'hataKodu',
    'hataAciklamasi',
    'kayitSonuclari',
  ]);
  return compact({
    receivedMessageId: body.requiredString('alinanMesajNo'),
    receivedSha256: body.requiredString('alinanMesajSha256'),
    outcome: requiredCode(body, 'sonuc', vocabulary.receiptOutcome),
    reasonCode: body.optionalString('hataKodu'),
    reasonText: body.optionalString('hataAciklamasi'),
    recordResults: body.objectsOf('kayitSonuclari').map((result) => {
      result.allowOnly(['yysNo', 'sonuc', 'hataKodu']);
      return compact({
        aeoId: result.requiredString('yysNo'),
        outcome: requiredCode(result, 'sonuc', vocabulary.recordOutcome),
        reasonCode: result.optionalString('hataKodu'),
      });
    }),
  });
};

const readIrregularityNotice: BodyReader<'IRREGULARITY_NOTICE'> = (body): IrregularityNoticeBody => {
  body.allowOnly(['yysNo', 'referansNo', 'tespitTarihi', 'aciklama']);
  return {
    aeoId: body.requiredString('yysNo'),
    reference: body.requiredString('referansNo'),
    observedOn: requiredDate(body, 'tespitTarihi'),
    description: body.requiredString('aciklama'),
  };
};

const BODY_READERS: { [T in MessageType]: BodyReader<T> } = {
  AEO_SNAPSHOT: readSnapshot,
  AEO_STATUS_DELTA: readStatusDelta,
  AEO_LOOKUP_REQUEST: readLookupRequest,
  AEO_LOOKUP_RESPONSE: readLookupResponse,
  RECEIPT: readReceipt,
  IRREGULARITY_NOTICE: readIrregularityNotice,
};

/**
 * Turkish wire bytes → canonical message. Hardened parsing first, then the format's name
 * (`profile`), then the header and the body its `mesajTuru` announces, each error naming the
 * JSON pointer on the wire; the canonical schema and business rules have the last word.
 */
export function decodeTrMessage(
  bytes: Uint8Array,
  profile: PartnerProfile,
  vocabulary: TrVocabulary,
): CanonicalMessage {
  const value = parseJsonSafely(bytes, profile.limits);
  const root = JsonObject.root(value);
  checkProfileMember(root, value, profile);
  root.allowOnly(['profile', 'baslik', 'icerik']);
  const envelope = readEnvelope(root.requiredObject('baslik'), vocabulary);
  const readBody = BODY_READERS[envelope.messageType] as BodyReader<MessageType>;
  const body = readBody(root.requiredObject('icerik'), profile, vocabulary);
  return reportedOnTheWire(() => checkDecoded({ envelope, body } as CanonicalMessage, profile));
}
