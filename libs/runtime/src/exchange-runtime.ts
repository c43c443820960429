import { AuditLog, auditSinkFor, DEFAULT_CHECKPOINT_POLICY, type CheckpointPolicy } from '@aeo/audit';
import { HOME_PROGRAMME, dateOf } from '@aeo/domain';
import {
  DEFAULT_OUTBOX_POLICY,
  DEFAULT_RELAY_OPTIONS,
  HomeRegisterService,
  InboundProcessor,
  OutboundComposer,
  OutboxRelay,
  OutboxStore,
  parseCron,
  tryTakeLease,
  type CanonicalLookupListener,
  type CronSchedule,
} from '@aeo/exchange';
import { randomUUID } from 'node:crypto';
import {
  BatchConsumer,
  ConfirmedPublisher,
  DEFAULT_TOPOLOGY,
  connectAmqp,
  declareTopology,
  topologyNames,
  type AmqpConnectionManager,
  type TopologyOptions,
} from '@aeo/messaging';
import { adapterFor, type PartnerAdapter } from '@aeo/partners';
import { mraRecipients, mraShares, type MraConfig } from '@aeo/registry';
import { CryptoWorkerPool, MessageSealer, MessageVerifier, inlineCrypto, type DecryptionKeyProvider, type PartnerKeyLookup, type SigningKeyProvider, type Clock } from '@aeo/trust';
import type { DataSource } from 'typeorm';
import { createLogger, type Logger } from '@aeo/observability';
import { combineObservers, logInboundBatch, logInboundBatchFailure, publishLogObserver } from './exchange-log.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { checkpointSigner, exchangeClock, replayCheckedByInbox, trustOpener, trustSealer } from './trust-ports.js';

export interface ExchangeRuntimeOptions {
  readonly dataSource: DataSource;
  readonly amqpUrl: string;
  readonly topology: Omit<TopologyOptions, 'partners'>;
  readonly mra: ReadonlyMap<string, MraConfig>;
  /** Our private keys: a KeyRing, or LiveKeys in the gateway so that keys can be reloaded while it runs. */
  readonly keyRing: SigningKeyProvider & DecryptionKeyProvider;
  /** Partners' public keys: a PartnerKeyRegistry, or the same LiveKeys. */
  readonly partnerKeys: PartnerKeyLookup;
  readonly clock: Clock;
  readonly batchSize?: number;
  readonly checkpointPolicy?: CheckpointPolicy;
  readonly onError?: (where: string, error: unknown) => void;
  readonly onLookupResponse?: CanonicalLookupListener;
  /** Exchange log lines (errors, rejected or unpublished messages by id); silent when absent. Errors also go to onError when given. */
  readonly logger?: Logger;
  /**
   * Worker threads for the per-message crypto (sign, encrypt, decrypt, verify), so it runs on
   * another core than the event loop; 0 keeps it on the event loop. Default 0.
   */
  readonly cryptoWorkers?: number;
}

/**
 * Everything that moves messages, composed once: trust (sign/verify), audit, outbox and
 * relay, one consumer per partner, the receipt-expiry and audit-checkpoint timers. The same
 * runtime serves every gateway instance; all state is in the database and the broker.
 */
export class ExchangeRuntime {
  readonly audit: AuditLog;
  readonly outbox: OutboxStore;
  readonly composer: OutboundComposer;
  readonly homeRegister: HomeRegisterService;
  readonly adapters: ReadonlyMap<string, PartnerAdapter>;
  readonly topology: TopologyOptions;
  readonly metrics = new GatewayMetrics();
  private connection: AmqpConnectionManager | undefined;
  private publisher: ConfirmedPublisher | undefined;
  private relay: OutboxRelay | undefined;
  private consumers: BatchConsumer[] = [];
  private timers: NodeJS.Timeout[] = [];
  private readonly processor: InboundProcessor;
  private readonly schedules: ReadonlyMap<string, CronSchedule>;
  private readonly instanceId = randomUUID();
  private readonly log: Logger;
  private readonly cryptoPool: CryptoWorkerPool | undefined;

  constructor(private readonly options: ExchangeRuntimeOptions) {
    const partners = [...options.mra.keys()];
    // A wrong schedule stops start-up, naming the partner, rather than never firing.
    this.schedules = new Map(
      [...options.mra].map(([partner, config]) => {
        try {
          return [partner, parseCron(config.snapshot.cron)] as const;
        } catch (error) {
          throw new Error(`config/mra/${partner}.yaml snapshot.cron: ${(error as Error).message}`);
        }
      }),
    );
    this.adapters = new Map(partners.map((p) => [p, adapterFor(p)]));
    this.topology = { ...options.topology, partners };
    const clock = exchangeClock(options.clock);
    this.log = options.logger ?? createLogger({ level: 'silent' });
    const observer = combineObservers(this.metrics.observer(), publishLogObserver(this.log));
    this.audit = new AuditLog(options.dataSource);
    const sink = auditSinkFor(this.audit);
    this.outbox = new OutboxStore(sink, clock, {
      ...DEFAULT_OUTBOX_POLICY,
      receiptSlaMs: (partner) => (options.mra.get(partner)?.receiptSlaMinutes ?? 15) * 60_000,
    }, observer);
    const today = () => dateOf(options.clock.now().toISOString());
    this.cryptoPool = (options.cryptoWorkers ?? 0) > 0 ? new CryptoWorkerPool(options.cryptoWorkers!) : undefined;
    const crypto = this.cryptoPool ?? inlineCrypto;
    const sealer = trustSealer(new MessageSealer({ ourProgramme: HOME_PROGRAMME, signingKeys: options.keyRing, partnerKeys: options.partnerKeys, clock: options.clock, crypto }));
    const names = topologyNames(this.topology.prefix);
    this.composer = new OutboundComposer(sealer, clock, HOME_PROGRAMME, (partner, type) => names.routingKey(partner, type));
    const verifier = new MessageVerifier({
      ourProgramme: HOME_PROGRAMME,
      partnerKeys: options.partnerKeys,
      replayStore: replayCheckedByInbox,
      clock: options.clock,
      decryptionKeys: options.keyRing,
      crypto,
    });
    this.processor = new InboundProcessor({
      dataSource: options.dataSource,
      adapters: this.adapters,
      opener: trustOpener(verifier),
      composer: this.composer,
      outbox: this.outbox,
      audit: sink,
      clock,
      home: HOME_PROGRAMME,
      observer,
      missingRecordRule: (partner) => options.mra.get(partner)?.snapshot.missingRecordRule ?? 'keep-and-report',
      lookupPolicy: {
        answers: (partner) => options.mra.get(partner)?.lookups.supported ?? false,
        // What the MRA would send this partner, and never a holder who withdrew consent.
        discloses: (partner, record, environment) => {
          const config = options.mra.get(partner);
          return config !== undefined && record.consent.granted && mraShares(config, record, environment, today());
        },
      },
      ...(options.onLookupResponse ? { onLookupResponse: options.onLookupResponse } : {}),
    });
    this.homeRegister = new HomeRegisterService(
      options.dataSource,
      this.composer,
      this.outbox,
      sink,
      clock,
      {
        recipients: (environment) => mraRecipients(options.mra, environment, today()).flatMap((p) => this.adapters.get(p) ?? []),
        shares: (adapter, record, environment) => {
          const config = options.mra.get(adapter.profile.partner);
          return config !== undefined && mraShares(config, record, environment, today());
        },
      },
      () => this.relay?.notify(),
    );
  }

  async start(): Promise<void> {
    const onError = this.options.onError ?? ((where: string, error: unknown) => this.log.error({ where, err: error }, 'exchange error'));
    this.connection = connectAmqp(this.options.amqpUrl, 'mra-gateway');
    const setup = async (channel: Parameters<typeof declareTopology>[0]) => void (await declareTopology(channel, this.topology));
    this.publisher = new ConfirmedPublisher(this.connection, setup);
    const names = topologyNames(this.topology.prefix);
    this.relay = new OutboxRelay(this.options.dataSource, this.outbox, this.publisher, { ...DEFAULT_RELAY_OPTIONS, exchange: names.outboundExchange });
    this.relay.start((error) => onError('outbox-relay', error));
    const batchSize = this.options.batchSize ?? 200;
    for (const partner of this.topology.partners) {
      const consumer = new BatchConsumer(
        this.connection,
        setup,
        {
          queue: names.inboundQueue(partner),
          names,
          retryTiersMs: this.topology.retryTiersMs,
          jitterFactors: this.topology.jitterFactors,
          batchSize,
          batchWaitMs: 20,
          prefetch: batchSize * 2,
          // The handler below logs the failed batch with its message ids; onError, when given, hears of it too.
          onHandlerError: (error, size) => this.options.onError?.(`inbound-${partner} (batch of ${size} goes round the backoff)`, error),
          onResizeFailed: (error) => this.log.warn({ partner, err: error }, 'consumer prefetch change interrupted; the registered consumer is re-created on reconnect'),
        },
        async (batch) => {
          let decisions: Awaited<ReturnType<InboundProcessor['handle']>>;
          try {
            decisions = await this.processor.handle(partner, batch);
          } catch (error) {
            logInboundBatchFailure(this.log, partner, batch, error);
            throw error;
          }
          this.relay?.notify();
          this.metrics.inboundSettled(partner, batch, decisions);
          logInboundBatch(this.log, partner, batch, decisions);
          return decisions;
        },
      );
      await consumer.start();
      this.consumers.push(consumer);
    }
    const signer = checkpointSigner(this.options.keyRing, () => this.options.clock.now());
    const policy = this.options.checkpointPolicy ?? DEFAULT_CHECKPOINT_POLICY;
    this.timers.push(
      setInterval(() => void this.outbox.expireOverdue(this.options.dataSource).catch((e: unknown) => onError('receipt-expiry', e)), 10_000),
      setInterval(() => void this.audit.checkpointIfDue(signer, policy).catch((e: unknown) => onError('audit-checkpoint', e)), 30_000),
      setInterval(() => void this.runScheduledSnapshots().catch((e: unknown) => onError('scheduled-snapshot', e)), 20_000),
    );
  }

  /** A full snapshot of our register to one partner, chunked as its MRA says; undefined for an unknown partner. */
  async sendSnapshot(
    partner: string,
    environment: 'production' | 'pilot',
    actor: string,
    onProgress?: (chunksHeld: number, chunkCount: number) => void,
  ) {
    const adapter = this.adapters.get(partner);
    const config = this.options.mra.get(partner);
    if (!adapter || !config) return undefined;
    return this.homeRegister.snapshot(adapter, environment, config.snapshot.chunkSize, actor, onProgress);
  }

  /**
   * Snapshots on each MRA's cron (UTC). Checked three times a minute; the lease named after the
   * partner and the minute makes exactly one gateway instance send each scheduled snapshot.
   */
  async runScheduledSnapshots(at: Date = this.options.clock.now()): Promise<string[]> {
    const minute = at.toISOString().slice(0, 16);
    const sent: string[] = [];
    for (const [partner, schedule] of this.schedules) {
      if (!schedule.matches(at)) continue;
      const won = await tryTakeLease(this.options.dataSource, `snapshot:${partner}:${minute}`, this.instanceId, at.getTime(), 24 * 3_600_000);
      if (!won) continue;
      await this.sendSnapshot(partner, 'production', 'scheduler');
      sent.push(partner);
    }
    return sent;
  }

  /** The MRA configuration the runtime works under (receipt SLAs for readiness). */
  get mraConfigs(): ReadonlyMap<string, MraConfig> {
    return this.options.mra;
  }

  /** Whether the AMQP connection is up right now (readiness); false before start and after stop. */
  get brokerConnected(): boolean {
    return this.connection?.isConnected() ?? false;
  }

  /** Wake the relay: something was just committed to the outbox. */
  notifyOutbox(): void {
    this.relay?.notify();
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    for (const consumer of this.consumers) await consumer.stop();
    this.consumers = [];
    await this.relay?.stop();
    await this.publisher?.close();
    await this.connection?.close();
  }

  /** Stop, and end the crypto workers: the runtime is not started again. */
  async close(): Promise<void> {
    await this.stop();
    await this.cryptoPool?.close();
  }
}

export const DEFAULT_EXCHANGE_TOPOLOGY = DEFAULT_TOPOLOGY;
