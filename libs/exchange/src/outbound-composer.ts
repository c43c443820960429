import { randomUUID } from 'node:crypto';
import type { CanonicalMessage, Envelope, MessageBodies, MessageType, Programme, Environment } from '@aeo/domain';
import type { EncodeOptions, MappingLoss, PartnerAdapter } from '@aeo/partners';
import type { NewOutboundMessage } from './outbox-store.js';
import type { Clock, MessageSealer } from './ports.js';

export interface ComposedMessage {
  readonly outbound: NewOutboundMessage;
  readonly canonical: CanonicalMessage;
  readonly losses: readonly MappingLoss[];
  /** Size of the partner-format payload before sealing (what the partner's byte limit applies to). */
  readonly payloadBytes: number;
}

/**
 * Turns a canonical message for one partner into what goes into the outbox: encoded in the
 * partner's format, sealed (signed, and encrypted where the profile asks), with its routing key.
 */
export class OutboundComposer {
  constructor(
    private readonly sealer: MessageSealer,
    private readonly clock: Clock,
    private readonly home: Programme,
    private readonly routingKey: (partner: string, messageType: string) => string,
  ) {}

  envelope<T extends MessageType>(adapter: PartnerAdapter, messageType: T, environment: Environment, correlationId?: string): Envelope<T> {
    return {
      messageId: randomUUID(),
      ...(correlationId ? { correlationId } : {}),
      sender: this.home,
      recipient: adapter.profile.programme,
      createdAt: new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      messageType,
      schemaVersion: '1.0',
      environment,
    };
  }

  async compose<T extends MessageType>(
    adapter: PartnerAdapter,
    messageType: T,
    body: MessageBodies[T],
    options: { environment: Environment; correlationId?: string; aeoIds?: readonly string[]; checks?: EncodeOptions['checks'] },
  ): Promise<ComposedMessage> {
    const envelope = this.envelope(adapter, messageType, options.environment, options.correlationId);
    const canonical = { envelope, body } as unknown as CanonicalMessage;
    const { bytes, losses } = adapter.encode(canonical, options.checks ? { checks: options.checks } : {});
    const token = await this.sealer.seal({ profile: adapter.profile, payload: bytes, envelope });
    return {
      canonical,
      losses,
      payloadBytes: bytes.byteLength,
      outbound: {
        messageId: envelope.messageId,
        environment: options.environment,
        partner: adapter.profile.partner,
        messageType,
        routingKey: this.routingKey(adapter.profile.partner, messageType),
        ...(options.correlationId ? { correlationId: options.correlationId } : {}),
        body: token,
        ...(options.aeoIds ? { aeoIds: options.aeoIds } : {}),
        expectsReceipt: messageType !== 'RECEIPT',
      },
    };
  }
}
