import { assertValidCanonical, encodeJson } from '@aeo/codecs';
import type {
  CanonicalMessage,
  Envelope,
  IrregularityNoticeBody,
  LookupRequestBody,
  LookupResponseBody,
  MessageBodies,
  MessageType,
  ReceiptBody,
  SnapshotBody,
  StatusDeltaBody,
} from '@aeo/domain';
import { idRuleOptions } from '../common/decoded-message.js';
import type { EncodeOptions, EncodeResult } from '../partner-adapter.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { dateToWire, instantToWire } from './tr-dates.js';
import { LossReport } from './tr-losses.js';
import { encodeTrRecord } from './tr-record-encoder.js';
import type { TrVocabulary } from './tr-vocabulary.js';
import type { YfksDirectory } from './tr-yfks.js';

interface EncodeContext {
  readonly vocabulary: TrVocabulary;
  readonly yfks: YfksDirectory;
  readonly losses: LossReport;
}

type BodyWriter<T extends MessageType> = (
  body: MessageBodies[T],
  context: EncodeContext,
) => Record<string, unknown>;

function writeHeader(envelope: Envelope, { vocabulary }: EncodeContext): Record<string, unknown> {
  return {
    mesajNo: envelope.messageId,
    ...(envelope.correlationId !== undefined ? { ilgiliMesajNo: envelope.correlationId } : {}),
    mesajTuru: vocabulary.messageType.toPartner(envelope.messageType, '/envelope/messageType').code,
    gonderenIdare: vocabulary.administration.toPartner(envelope.sender, '/envelope/sender').code,
    aliciIdare: vocabulary.administration.toPartner(envelope.recipient, '/envelope/recipient').code,
    olusturmaZamani: instantToWire(envelope.createdAt, '/envelope/createdAt'),
    ortam: vocabulary.environment.toPartner(envelope.environment, '/envelope/environment').code,
  };
}

function writeRecords(
  body: SnapshotBody | StatusDeltaBody,
  context: EncodeContext,
): Record<string, unknown>[] {
  return body.records.map((record, i) =>
    encodeTrRecord(record, `/body/records/${i}`, context.vocabulary, context.yfks, context.losses),
  );
}

const writeSnapshot: BodyWriter<'AEO_SNAPSHOT'> = (body, context) => ({
  listeNo: body.snapshotId,
  verenIdare: context.vocabulary.administration.toPartner(body.programme, '/body/programme').code,
  listeZamani: instantToWire(body.asOf, '/body/asOf'),
  parca: { sira: body.chunkIndex, toplam: body.chunkCount },
  kayitlar: writeRecords(body, context),
});

const writeStatusDelta: BodyWriter<'AEO_STATUS_DELTA'> = (body, context) => ({
  verenIdare: context.vocabulary.administration.toPartner(body.programme, '/body/programme').code,
  kayitlar: writeRecords(body, context),
});

const writeLookupRequest: BodyWriter<'AEO_LOOKUP_REQUEST'> = (body: LookupRequestBody, context) => ({
  yysNo: body.aeoId,
  ...(body.declarationRef !== undefined ? { beyannameNo: body.declarationRef } : {}),
  ...(body.role !== undefined
    ? { faaliyetAlani: context.losses.code(context.vocabulary.role, body.role, '/body/role') }
    : {}),
});

const writeLookupResponse: BodyWriter<'AEO_LOOKUP_RESPONSE'> = (body: LookupResponseBody, context) => ({
  sorguMesajNo: body.requestMessageId,
  bulundu: body.found,
  ...(body.record !== undefined
    ? { kayit: encodeTrRecord(body.record, '/body/record', context.vocabulary, context.yfks, context.losses) }
    : {}),
});

const writeReceipt: BodyWriter<'RECEIPT'> = (body: ReceiptBody, { vocabulary }) => ({
  alinanMesajNo: body.receivedMessageId,
  alinanMesajSha256: body.receivedSha256,
  sonuc: vocabulary.receiptOutcome.toPartner(body.outcome, '/body/outcome').code,
  ...(body.reasonCode !== undefined ? { hataKodu: body.reasonCode } : {}),
  ...(body.reasonText !== undefined ? { hataAciklamasi: body.reasonText } : {}),
  kayitSonuclari: body.recordResults.map((result, i) => ({
    yysNo: result.aeoId,
    sonuc: vocabulary.recordOutcome.toPartner(result.outcome, `/body/recordResults/${i}/outcome`).code,
    ...(result.reasonCode !== undefined ? { hataKodu: result.reasonCode } : {}),
  })),
});

const writeIrregularityNotice: BodyWriter<'IRREGULARITY_NOTICE'> = (body: IrregularityNoticeBody) => ({
  yysNo: body.aeoId,
  referansNo: body.reference,
  tespitTarihi: dateToWire(body.observedOn),
  aciklama: body.description,
});

const BODY_WRITERS: { [T in MessageType]: BodyWriter<T> } = {
  AEO_SNAPSHOT: writeSnapshot,
  AEO_STATUS_DELTA: writeStatusDelta,
  AEO_LOOKUP_REQUEST: writeLookupRequest,
  AEO_LOOKUP_RESPONSE: writeLookupResponse,
  RECEIPT: writeReceipt,
  IRREGULARITY_NOTICE: writeIrregularityNotice,
};

/**
 * Canonical message → Turkish wire bytes plus everything that did not fit. The message is
 * validated first: the wire schema only holds for output built from a valid message. Trusted
 * input (our own validated register, see EncodeOptions) skips that pass.
 */
export function encodeTrMessage(
  message: CanonicalMessage,
  profile: PartnerProfile,
  vocabulary: TrVocabulary,
  yfks: YfksDirectory,
  options: EncodeOptions = {},
): EncodeResult {
  if (options.checks !== 'trusted') assertValidCanonical(message, idRuleOptions(profile));
  const context: EncodeContext = { vocabulary, yfks, losses: new LossReport() };
  const writeBody = BODY_WRITERS[message.envelope.messageType] as BodyWriter<MessageType>;
  const document = {
    profile: profile.wire.namespace,
    baslik: writeHeader(message.envelope, context),
    icerik: writeBody(message.body, context),
  };
  return { bytes: encodeJson(document), losses: context.losses.toArray() };
}
