import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  GatewayError,
  HOME_PROGRAMME,
  recordsOf,
  type AeoRecord,
  type AeoStatus,
  type CanonicalMessage,
  type Environment,
  type MessageBodies,
  type MessageType,
  type ReceiptBody,
} from '@aeo/domain';
import { BatchConsumer, ConfirmedPublisher, DEFAULT_TOPOLOGY, connectAmqp, declareTopology, topologyNames, type AmqpConnectionManager, type Delivery, type DeliveryDecision, type TopologyOptions } from '@aeo/messaging';
import type { PartnerAdapter } from '@aeo/partners';
import { InMemoryReplayStore, KeyRing, MessageSealer, MessageVerifier, PartnerKeyRegistry, encryptJws, systemClock, type PartnerTrustContext, type ReplayStore } from '@aeo/trust';
import { corrupt, type Defect } from './defects.js';
import { fictionalRegister } from './fictional-register.js';

export interface SimulatorOptions {
  readonly adapter: PartnerAdapter;
  readonly amqpUrl: string;
  readonly prefix: string;
  /** Our (the gateway's) public JWKS, as served at /.well-known/jwks.json. */
  readonly gatewayJwks: unknown;
  /** The simulated partner's private keys (test/keys/partners/<p>/private.jwks.json). */
  readonly privateJwksFile: string;
  readonly registerSize: number;
}

export type ReceiptMode = { readonly kind: 'normal' } | { readonly kind: 'none' } | { readonly kind: 'slow'; readonly delayMs: number } | { readonly kind: 'duplicate' };

/** What the simulated partner saw, for tests and test-run reports to count at its end. */
export interface SimulatorStats {
  readonly received: number;
  readonly uniqueMessages: number;
  readonly duplicates: number;
  readonly byType: Record<string, number>;
  readonly rejected: Record<string, number>;
  readonly receiptsSent: number;
  readonly latestStatus: Record<string, { status: AeoStatus; recordVersion: number }>;
  readonly sent: Record<string, { type: MessageType; receipt?: { outcome: string; reasonCode?: string; at: number }; sentAt: number }>;
}

const GATEWAY = 'kz-src';

/**
 * A partner customs administration in a box: its own keys and fictional register, speaking
 * its own format over the same AMQP topology the gateway uses, from the other side. It
 * verifies and decodes what the gateway sends, answers with signed receipts, sends its own
 * deltas and snapshots — and, on request, misbehaves (defects.ts) so tests and negotiation
 * test runs can check that every misbehaviour is caught.
 */
export class PartnerSimulator {
  readonly partner: string;
  private readonly register = new Map<string, AeoRecord>();
  private connection: AmqpConnectionManager | undefined;
  private publisher: ConfirmedPublisher | undefined;
  private consumer: BatchConsumer | undefined;
  private verifier!: MessageVerifier;
  private sealer!: MessageSealer;
  private gatewayKeys!: PartnerKeyRegistry;
  private readonly gatewayContext: PartnerTrustContext;
  private readonly topology: TopologyOptions;
  private receiptMode: ReceiptMode = { kind: 'normal' };
  private readonly seen = new Set<string>();
  /** Our message id -> the receipt the simulator sent for it: a duplicate gets that same receipt again. */
  private readonly answered = new Map<string, string>();
  /** Opens a message the replay check refused, to answer a delivery whose first answer never went out. */
  private duplicateOpener!: MessageVerifier;
  private readonly stats = {
    received: 0,
    duplicates: 0,
    byType: {} as Record<string, number>,
    rejected: {} as Record<string, number>,
    receiptsSent: 0,
    latestStatus: {} as SimulatorStats['latestStatus'],
    sent: {} as SimulatorStats['sent'],
  };
  private readonly sentTokens = new Map<string, { token: string; envelope: CanonicalMessage['envelope'] }>();
  private stream = { requested: 0, confirmed: 0, publishRetries: 0, done: true };

  constructor(private readonly options: SimulatorOptions) {
    const profile = options.adapter.profile;
    this.partner = profile.partner;
    // Same retry tiers as the gateway: both sides declare the shared topology, and RabbitMQ refuses a queue re-declared with other arguments.
    this.topology = { ...DEFAULT_TOPOLOGY, prefix: options.prefix, partners: [this.partner] };
    // The gateway as this partner sees it: programme KZ-SRC, signing with the algorithm the profile agrees for our side.
    this.gatewayContext = {
      partner: GATEWAY,
      programme: HOME_PROGRAMME,
      security: { ...profile.security, signatureAlgorithms: [profile.security.outboundSignatureAlgorithm] },
      contentType: profile.wire.mediaType,
      maxPayloadBytes: profile.limits.maxBytes,
    };
    for (const record of fictionalRegister(profile.recordProgrammes, options.registerSize)) this.register.set(record.aeoIdNormalized, record);
  }

  async start(): Promise<void> {
    const keyRing = await KeyRing.fromPrivateJwks(JSON.parse(readFileSync(this.options.privateJwksFile, 'utf8')) as { keys: Record<string, unknown>[] });
    const gatewayKeys = await PartnerKeyRegistry.fromJwks({ [GATEWAY]: this.options.gatewayJwks });
    this.gatewayKeys = gatewayKeys;
    const programme = this.options.adapter.profile.programme;
    this.verifier = new MessageVerifier({ ourProgramme: programme, partnerKeys: gatewayKeys, replayStore: new InMemoryReplayStore(), clock: systemClock, decryptionKeys: keyRing });
    const everyMessageFirst: ReplayStore = { remember: async () => 'first', purgeExpired: async () => 0 };
    this.duplicateOpener = new MessageVerifier({ ourProgramme: programme, partnerKeys: gatewayKeys, replayStore: everyMessageFirst, clock: systemClock, decryptionKeys: keyRing });
    this.sealer = new MessageSealer({ ourProgramme: programme, signingKeys: keyRing, partnerKeys: gatewayKeys, clock: systemClock });
    this.connection = connectAmqp(this.options.amqpUrl, `partner-sim-${this.partner}`);
    const setup = async (channel: Parameters<typeof declareTopology>[0]) => void (await declareTopology(channel, this.topology));
    this.publisher = new ConfirmedPublisher(this.connection, setup);
    const names = topologyNames(this.topology.prefix);
    this.consumer = new BatchConsumer(
      this.connection,
      setup,
      // retryBy requeue: our retry tiers lead to the gateway's inbound exchange, not back to this queue.
      { queue: names.outboundQueue(this.partner), names, retryTiersMs: this.topology.retryTiersMs, jitterFactors: this.topology.jitterFactors, batchSize: 200, batchWaitMs: 10, prefetch: 400, retryBy: 'requeue' },
      (batch) => this.receive(batch),
    );
    await this.consumer.start();
    await this.publisher.waitForConnect();
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.publisher?.close();
    await this.connection?.close();
  }

  setReceiptMode(mode: ReceiptMode): void {
    this.receiptMode = mode;
  }

  snapshotStats(): SimulatorStats & { stream: { requested: number; confirmed: number; publishRetries: number; done: boolean } } {
    return { ...this.stats, uniqueMessages: this.seen.size, stream: { ...this.stream } };
  }

  /**
   * A long run of single-record deltas (new versions of the register's records, cycling) for
   * load and fault-injection tests. Each message is retried until the broker confirms it, as
   * a real partner's outbox would, so `confirmed` is exactly what the gateway must apply.
   */
  startStream(total: number, concurrency = 16): void {
    if (!this.stream.done) throw new Error('a stream is already running');
    this.stream = { requested: total, confirmed: 0, publishRetries: 0, done: false };
    const records = this.records();
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const index = next++;
        const base = this.register.get(records[index % records.length].aeoIdNormalized)!;
        const record = { ...base, status: (index % 2 === 0 ? 'SUSPENDED' : 'ACTIVE') as AeoStatus, recordVersion: base.recordVersion + 1 };
        this.register.set(record.aeoIdNormalized, record);
        const messageId = randomUUID();
        // A retry sends the same bytes: a copy that did reach the broker is then a duplicate, never a replay.
        let attempt: () => Promise<unknown> = () => this.send('AEO_STATUS_DELTA', { programme: this.options.adapter.profile.programme, records: [record] }, { messageId });
        for (;;) {
          try {
            await attempt();
            break;
          } catch {
            this.stream.publishRetries += 1;
            if (this.sentTokens.has(messageId)) attempt = () => this.republish(messageId);
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        }
        this.stream.confirmed += 1;
      }
    };
    void Promise.all(Array.from({ length: concurrency }, worker)).then(() => {
      this.stream.done = true;
    });
  }

  /** Take records out of the simulated register (their AEO left the programme), so the next snapshot omits them. */
  removeRecords(aeoIds: readonly string[]): number {
    return aeoIds.filter((id) => this.register.delete(id)).length;
  }

  records(): AeoRecord[] {
    return [...this.register.values()];
  }

  /** Our messages arrive here: verify, decode, count, answer. A message that fails is counted by reason, never acknowledged as good. */
  private async receive(batch: readonly Delivery[]): Promise<DeliveryDecision[]> {
    const decisions: DeliveryDecision[] = [];
    const receipts: Promise<void>[] = [];
    for (const delivery of batch) {
      this.stats.received += 1;
      try {
        const { payload, report } = await this.verifier.verify(delivery.body, this.gatewayContext);
        const message = await this.options.adapter.decode(payload);
        if (message.envelope.messageId !== report.jti) throw new GatewayError('MESSAGE_ID_MISMATCH', 'envelope and signature disagree');
        this.noteReceived(message);
        if (message.envelope.messageType === 'RECEIPT') this.noteReceipt(message.body as ReceiptBody);
        else receipts.push(this.answer(message, delivery.body));
      } catch (error) {
        const code = error instanceof GatewayError ? error.code : 'INTERNAL_ERROR';
        if (code === 'REPLAYED_MESSAGE') {
          this.stats.duplicates += 1;
          // As a real partner should (and our gateway does): a duplicate gets the original receipt
          // again, or, if sending it failed the first time (a broker restart), its first receipt now.
          receipts.push(this.answerDuplicate(delivery));
        } else this.stats.rejected[code] = (this.stats.rejected[code] ?? 0) + 1;
      }
      decisions.push({ action: 'ack' });
    }
    await Promise.all(receipts);
    return decisions;
  }

  private async answerDuplicate(delivery: Delivery): Promise<void> {
    const original = delivery.messageId ? this.answered.get(delivery.messageId) : undefined;
    if (original) return this.republish(original);
    const { payload } = await this.duplicateOpener.verify(delivery.body, this.gatewayContext);
    const message = await this.options.adapter.decode(payload);
    if (message.envelope.messageType !== 'RECEIPT') await this.answer(message, delivery.body);
  }

  private noteReceived(message: CanonicalMessage): void {
    const id = message.envelope.messageId;
    if (this.seen.has(id)) this.stats.duplicates += 1;
    this.seen.add(id);
    this.stats.byType[message.envelope.messageType] = (this.stats.byType[message.envelope.messageType] ?? 0) + 1;
    for (const record of recordsOf(message)) {
      const known = this.stats.latestStatus[record.aeoIdNormalized];
      if (!known || known.recordVersion < record.recordVersion) {
        this.stats.latestStatus[record.aeoIdNormalized] = { status: record.status, recordVersion: record.recordVersion };
      }
    }
  }

  private noteReceipt(receipt: ReceiptBody): void {
    const sent = this.stats.sent[receipt.receivedMessageId];
    if (sent) sent.receipt = { outcome: receipt.outcome, ...(receipt.reasonCode ? { reasonCode: receipt.reasonCode } : {}), at: Date.now() };
  }

  private async answer(message: CanonicalMessage, token: Buffer): Promise<void> {
    const mode = this.receiptMode;
    if (mode.kind === 'none') return;
    if (mode.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, mode.delayMs));
    const body: ReceiptBody = {
      receivedMessageId: message.envelope.messageId,
      receivedSha256: createHash('sha256').update(token).digest('hex'),
      outcome: 'ACCEPTED',
      recordResults: recordsOf(message).map((r) => ({ aeoId: r.aeoId, outcome: 'APPLIED' })),
    };
    const sent = await this.send('RECEIPT', body, { environment: message.envelope.environment, correlationId: message.envelope.messageId });
    this.answered.set(message.envelope.messageId, sent);
    if (mode.kind === 'duplicate') await this.republish(sent);
    this.stats.receiptsSent += 1;
  }

  /** Build, encode, sign (and encrypt if agreed), publish with a confirm. Returns the message id. */
  async send<T extends MessageType>(
    messageType: T,
    body: MessageBodies[T],
    options: { environment?: Environment; correlationId?: string; defect?: Defect; messageId?: string } = {},
  ): Promise<string> {
    const envelope = {
      messageId: options.messageId ?? randomUUID(),
      ...(options.correlationId ? { correlationId: options.correlationId } : {}),
      sender: this.options.adapter.profile.programme,
      recipient: HOME_PROGRAMME,
      createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      messageType,
      schemaVersion: '1.0',
      environment: options.environment ?? 'production',
    } as CanonicalMessage['envelope'];
    const canonical = { envelope, body } as unknown as CanonicalMessage;
    let payload = this.options.adapter.encode(canonical).bytes;
    if (options.defect) payload = await corrupt.payload(options.defect, payload, this.options.adapter);
    const token = await this.seal(payload, envelope.messageId, messageType, options.defect);
    this.sentTokens.set(envelope.messageId, { token, envelope });
    this.stats.sent[envelope.messageId] = { type: messageType, sentAt: Date.now() };
    await this.publish(token, envelope);
    return envelope.messageId;
  }

  /**
   * Sign, then (where the profile agrees encryption) encrypt to the gateway's key. Token
   * defects hit the layer they name: a bad signature is made inside the JWE, so it reaches
   * the signature check instead of failing decryption.
   */
  private async seal(payload: Uint8Array, messageId: string, messageType: MessageType, defect?: Defect): Promise<string> {
    const signed = await this.sealer.seal({ payload, partner: this.gatewayContext, messageId, messageType, signOnly: true });
    const jws = defect === 'bad-signature' ? corrupt.token('bad-signature', signed.token) : signed.token;
    let token = jws;
    if (this.gatewayContext.security.encryption.required) {
      const recipient = this.gatewayKeys.encryptionKeyFor(GATEWAY, new Date());
      if (!recipient) throw new Error('the gateway publishes no encryption key');
      token = await encryptJws(jws, recipient);
    }
    return defect && defect !== 'bad-signature' ? corrupt.token(defect, token) : token;
  }

  /** The same bytes again: a duplicate delivery (or a captured message replayed). */
  async republish(messageId: string): Promise<void> {
    const sent = this.sentTokens.get(messageId);
    if (!sent) throw new Error(`no message ${messageId} was sent`);
    await this.publish(sent.token, sent.envelope);
  }

  private async publish(token: string, envelope: CanonicalMessage['envelope']): Promise<void> {
    const names = topologyNames(this.topology.prefix);
    const [outcome] = await this.publisher!.publishAll([
      {
        exchange: names.inboundExchange,
        routingKey: names.routingKey(this.partner, envelope.messageType),
        body: Buffer.from(token, 'ascii'),
        messageId: envelope.messageId,
        ...(envelope.correlationId ? { correlationId: envelope.correlationId } : {}),
        type: envelope.messageType,
        contentType: 'application/jose',
      },
    ]);
    if (!outcome?.ok) throw new Error(`publish failed: ${outcome && !outcome.ok ? outcome.error.message : 'no outcome'}`);
  }

  /** Change records in the simulated register (new version each) and send them as one delta. */
  async sendDelta(changes: { status: AeoStatus; count?: number; aeoIds?: string[]; defect?: Defect; environment?: Environment }): Promise<{ messageId: string; records: AeoRecord[] }> {
    const targets = changes.aeoIds
      ? changes.aeoIds.map((id) => this.require(id))
      : this.records().slice(0, changes.count ?? 1);
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const updated = targets.map((record) => ({
      ...record,
      status: changes.status,
      statusEffectiveFrom: now.slice(0, 10) < record.validFrom ? record.validFrom : now.slice(0, 10),
      recordVersion: record.recordVersion + 1,
      lastChangedAt: now,
    }));
    for (const record of updated) this.register.set(record.aeoIdNormalized, record);
    const messageId = await this.send(
      'AEO_STATUS_DELTA',
      { programme: this.options.adapter.profile.programme, records: updated },
      { ...(changes.defect ? { defect: changes.defect } : {}), ...(changes.environment ? { environment: changes.environment } : {}) },
    );
    return { messageId, records: updated };
  }

  /** Versions v+1..v+n of one record, sent newest first: the gateway must end on the newest. */
  async sendOutOfOrder(aeoId: string, steps: readonly AeoStatus[], environment: Environment = 'production'): Promise<string[]> {
    const base = this.require(aeoId);
    const versions = steps.map((status, i) => ({ ...base, status, recordVersion: base.recordVersion + i + 1 }));
    this.register.set(aeoId, versions[versions.length - 1]);
    const ids: string[] = [];
    for (const record of [...versions].reverse()) {
      ids.push(await this.send('AEO_STATUS_DELTA', { programme: this.options.adapter.profile.programme, records: [record] }, { environment }));
    }
    return ids;
  }

  async sendSnapshot(chunkSize = 500, environment: Environment = 'production'): Promise<string[]> {
    const records = this.records();
    const chunkCount = Math.max(1, Math.ceil(records.length / chunkSize));
    const snapshotId = randomUUID();
    const asOf = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const ids: string[] = [];
    for (let i = 0; i < chunkCount; i++) {
      ids.push(
        await this.send('AEO_SNAPSHOT', {
          snapshotId,
          programme: this.options.adapter.profile.programme,
          asOf,
          chunkIndex: i + 1,
          chunkCount,
          records: records.slice(i * chunkSize, (i + 1) * chunkSize),
        }, { environment }),
      );
    }
    return ids;
  }

  async sendLookup(aeoId: string, environment: Environment = 'production'): Promise<string> {
    return this.send('AEO_LOOKUP_REQUEST', { aeoId }, { environment });
  }

  private require(aeoId: string): AeoRecord {
    const record = this.register.get(aeoId);
    if (!record) throw new Error(`no record ${aeoId} in the simulated register`);
    return record;
  }
}
