/**
 * A partner's AEO_LOOKUP_REQUEST is answered from our home register by one indexed read, and
 * never discloses more than the MRA shares with that partner: a record outside its scope (or a
 * holder without consent) is "not found", exactly like an id we never registered. Where the
 * MRA leaves lookups out (tr), the request is refused with UNSUPPORTED_MESSAGE_TYPE and
 * nothing is answered.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { AuditLog, auditSinkFor } from '@aeo/audit';
import type { AeoRecord, CanonicalMessage, LookupResponseBody } from '@aeo/domain';
import { InboundProcessor, OutboundComposer, OutboxStore, type LookupPolicy, type MessageOpener, type MessageSealer } from '@aeo/exchange';
import type { Delivery } from '@aeo/messaging';
import { adapterFor } from '@aeo/partners';
import { homeRegister } from '@aeo/registry';
import { openGatewayDatabase } from '@aeo/schema';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { homeRecord } from '../support/builders.js';
import { DATABASES, type TestDatabase } from '../support/databases.js';

jest.setTimeout(120_000);

const kr = adapterFor('kr');
const tr = adapterFor('tr');

/** The partner bytes stand in for the token (a verified test key "signed" them). */
const opener = (adapter: typeof kr): MessageOpener => ({
  async open({ token }) {
    const message = await adapter.decode(token);
    return { payload: token, keyId: 'test-key', algorithm: 'ES256', messageId: message.envelope.messageId, messageType: message.envelope.messageType, encrypted: true };
  },
});

/** Keeps the plain partner payload of every lookup response it "seals", by the request it answers. */
class CapturingSealer implements MessageSealer {
  readonly responses = new Map<string, Uint8Array>();
  async seal({ payload, envelope }: Parameters<MessageSealer['seal']>[0]): Promise<string> {
    if (envelope.messageType === 'AEO_LOOKUP_RESPONSE') this.responses.set(envelope.correlationId!, payload);
    return `sealed.${envelope.messageId}`;
  }
}

function lookup(adapter: typeof kr, aeoId: string): CanonicalMessage {
  return {
    envelope: {
      messageId: randomUUID(),
      sender: adapter.profile.programme,
      recipient: 'KZ-SRC',
      createdAt: '2026-12-07T10:00:00Z',
      messageType: 'AEO_LOOKUP_REQUEST',
      schemaVersion: '1.0',
      environment: 'production',
    },
    body: { aeoId },
  };
}

function deliveryOf(adapter: typeof kr, message: CanonicalMessage): Delivery {
  return { body: Buffer.from(adapter.encode(message).bytes), routingKey: `${adapter.profile.partner}.lookup`, messageId: message.envelope.messageId, headers: {}, attempts: 0, redelivered: false };
}

describe.each(DATABASES)('lookups under the MRA on %s', (_name, create) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const sealer = new CapturingSealer();
  const shared = homeRecord({}, 1);
  const outOfScope = homeRecord({ authorisationType: 'EAEU_TYPE1' }, 2);
  const withdrawn = homeRecord({ consent: { granted: false, recordedOn: '2026-01-10' } }, 3);
  // The test's MRA: kr may ask and sees type-3 holders with consent; tr may not ask.
  const policy: LookupPolicy = {
    answers: (partner) => partner === 'kr',
    discloses: (_partner, record: AeoRecord) => record.authorisationType === 'EAEU_TYPE3' && record.consent.granted,
  };
  let processorFor: (adapter: typeof kr) => InboundProcessor;

  beforeAll(async () => {
    db = await create();
    dataSource = await openGatewayDatabase(db.url);
    await dataSource.transaction((manager) =>
      homeRegister.apply(manager, { environment: 'production', records: [shared, outOfScope, withdrawn], source: 'test', sourceMessageId: null, storedAt: Date.now() }),
    );
    const clock = { now: () => Date.now() };
    const audit = auditSinkFor(new AuditLog(dataSource));
    processorFor = (adapter) =>
      new InboundProcessor({
        dataSource,
        adapters: new Map([[adapter.profile.partner, adapter]]),
        opener: opener(adapter),
        composer: new OutboundComposer(sealer, clock, 'KZ-SRC', (partner, type) => `${partner}.${type}`),
        outbox: new OutboxStore(audit, clock),
        audit,
        clock,
        home: 'KZ-SRC',
        lookupPolicy: policy,
      });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  async function ask(aeoId: string): Promise<LookupResponseBody> {
    const request = lookup(kr, aeoId);
    expect(await processorFor(kr).handle('kr', [deliveryOf(kr, request)])).toEqual([{ action: 'ack' }]);
    const payload = sealer.responses.get(request.envelope.messageId);
    expect(payload).toBeDefined();
    return (await kr.decode(payload!)).body as LookupResponseBody;
  }

  it('finds a record the MRA shares with the partner, by its id in any case', async () => {
    const answer = await ask(shared.aeoId.toLowerCase());
    expect(answer).toMatchObject({ found: true, record: { aeoIdNormalized: shared.aeoIdNormalized, status: 'ACTIVE' } });
  });

  it('answers "not found" for a record outside the scope, a holder without consent, an unknown and a malformed id', async () => {
    for (const aeoId of [outOfScope.aeoId, withdrawn.aeoId, 'KZ/9990/ТИП 3', 'not an id']) {
      const answer = await ask(aeoId);
      expect({ aeoId, found: answer.found, record: answer.record }).toEqual({ aeoId, found: false, record: undefined });
    }
  });

  it('refuses a lookup from a partner whose MRA leaves lookups out, answering nothing', async () => {
    const request = lookup(tr, shared.aeoId);
    const decisions = await processorFor(tr).handle('tr', [deliveryOf(tr, request)]);
    expect(decisions).toEqual([{ action: 'dead-letter', reason: 'UNSUPPORTED_MESSAGE_TYPE', detail: 'lookups are not part of the MRA with tr' }]);
    expect(sealer.responses.has(request.envelope.messageId)).toBe(false);
    const [row] = await dataSource.query<{ n: string | number }[]>(
      `SELECT COUNT(*) AS n FROM outbound_message WHERE correlation_id = '${request.envelope.messageId}' AND message_type = 'AEO_LOOKUP_RESPONSE'`,
    );
    expect(Number(row.n)).toBe(0);
  });
});
