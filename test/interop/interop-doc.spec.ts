/**
 * docs/interop.md, the technical annex for partner administrations, cannot drift from the code:
 *
 *  1. regenerating its generated sections (scripts/generate-interop-examples.ts) changes nothing;
 *  2. every example block passes the real code: canonical JSON through CanonicalJsonCodec, partner
 *     forms through the partner's adapter, JWS and JWE through the real MessageVerifier with the
 *     TEST-ONLY keys of test/keys, receipts bind the bytes they name, and the worked exchange runs
 *     through the real inbound pipeline and outbox (SQLite) with exactly the receipts shown;
 *  3. the annex's Python sketch, run with python3-jwcrypto, opens our vectors, and what it seals is
 *     accepted by our verifier;
 *  4. every reason code the annex names exists, and every reason code is documented.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { compactDecrypt, decodeProtectedHeader } from 'jose';
import type { DataSource } from 'typeorm';
import { AuditLog, auditSinkFor } from '@aeo/audit';
import { CanonicalJsonCodec } from '@aeo/codecs';
import { repoPath } from '@aeo/config';
import {
  AEO_STATUSES,
  AUTHORISATION_TYPES,
  HOME_PROGRAMME,
  MESSAGE_TYPES,
  OUTBOUND_STATES,
  REASON_CODES,
  RECEIPT_OUTCOMES,
  RECORD_OUTCOMES,
  SUPPLY_CHAIN_ROLE_NAMES,
  isKnownReasonCode,
  type CanonicalMessage,
  type ReceiptBody,
} from '@aeo/domain';
import {
  InboundProcessor,
  OutboundComposer,
  OutboundMessageEntity,
  OutboxStore,
  type MessageOpener,
  type MessageSealer as SealerPort,
  type OutboundMessageRow,
} from '@aeo/exchange';
import { topologyNames, type Delivery } from '@aeo/messaging';
import { adapterFor, idRuleOptions, listPartnerCodes, loadPartnerProfile } from '@aeo/partners';
import { openDataSource } from '@aeo/persistence';
import { GATEWAY_ENTITIES, GATEWAY_MIGRATIONS } from '@aeo/schema';
import {
  InMemoryReplayStore,
  KeyRing,
  MessageSealer,
  MessageVerifier,
  PartnerKeyRegistry,
  encryptJws,
  fixedClock,
  jwksDocument,
  loadPartnerKeyRegistry,
  parsePartnerJwks,
  trustContextOf,
  type Clock,
  type PartnerTrustContext,
  type ReplayStore,
} from '@aeo/trust';
import {
  INTEROP_DOC,
  WALKTHROUGH,
  docBlocks,
  generateInteropDoc,
  generatedSectionNames,
  wireTypeTable,
  type DocBlock,
} from '../../scripts/generate-interop-examples.js';

jest.setTimeout(60_000);

const DOC = readFileSync(INTEROP_DOC, 'utf8');
const BLOCKS = docBlocks(DOC);
const EXAMPLES = BLOCKS.filter((b) => b.marker?.tag === 'example');
const GATEWAY = 'kz-src';
const PYTHON = '/usr/bin/python3';

function block(id: string): DocBlock {
  const found = EXAMPLES.find((b) => b.marker!.id === id);
  if (!found) throw new Error(`docs/interop.md has no example ${id}`);
  return found;
}
const ofKind = (kind: string) => EXAMPLES.filter((b) => b.marker!.kind === kind);
const bytesOf = (b: DocBlock) => Buffer.from(`${b.content}\n`, 'utf8');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
const readJson = <T>(...segments: string[]): T =>
  JSON.parse(readFileSync(repoPath(...segments), 'utf8')) as T;
const canonicalOf = (id: string) => JSON.parse(block(id).content) as CanonicalMessage;

function section(doc: string, name: string): string {
  const start = doc.indexOf(`<!-- generated:${name}:start -->`);
  const end = doc.indexOf(`<!-- generated:${name}:end -->`);
  return doc.slice(start, end);
}

// ───────────────────────────────────────────────────────────────────── keys and verifiers

interface Keys {
  home: KeyRing;
  partner: Map<string, KeyRing>;
  ourJwks: { keys: Record<string, unknown>[] };
}
let keys: Keys;

async function partnerRing(partner: string): Promise<KeyRing> {
  const cached = keys.partner.get(partner);
  if (cached) return cached;
  const ring = await KeyRing.fromPrivateJwks(
    readJson('test', 'keys', 'partners', partner, 'private.jwks.json'),
  );
  keys.partner.set(partner, ring);
  return ring;
}

/** The gateway as a partner's verifier sees it (apps/partner-sim does the same). */
function gatewaySeenBy(partner: string): PartnerTrustContext {
  const profile = loadPartnerProfile(partner);
  return {
    partner: GATEWAY,
    programme: HOME_PROGRAMME,
    security: { ...profile.security, signatureAlgorithms: [profile.security.outboundSignatureAlgorithm] },
    contentType: profile.wire.mediaType,
    maxPayloadBytes: profile.limits.maxBytes,
  };
}

/** The verifier of whoever receives a token: the partner for our messages, the gateway for theirs. */
async function receiverOf(partner: string, direction: string, clock: Clock) {
  if (direction === 'out') {
    const registry = await PartnerKeyRegistry.fromJwks({ [GATEWAY]: keys.ourJwks });
    const verifier = new MessageVerifier({
      ourProgramme: loadPartnerProfile(partner).programme,
      partnerKeys: registry,
      replayStore: new InMemoryReplayStore(),
      clock,
      decryptionKeys: await partnerRing(partner),
    });
    // Our view of the partner's keys: the one the gateway encrypts to.
    const theirs = await loadPartnerKeyRegistry({ partners: [partner] });
    return {
      verifier,
      context: gatewaySeenBy(partner),
      recipientRegistry: theirs,
      recipient: partner,
      recipientRing: await partnerRing(partner),
    };
  }
  const registry = await loadPartnerKeyRegistry({ partners: [partner] });
  const verifier = new MessageVerifier({
    ourProgramme: HOME_PROGRAMME,
    partnerKeys: registry,
    replayStore: new InMemoryReplayStore(),
    clock,
    decryptionKeys: keys.home,
  });
  const ours = await PartnerKeyRegistry.fromJwks({ [GATEWAY]: keys.ourJwks });
  return {
    verifier,
    context: trustContextOf(loadPartnerProfile(partner)),
    recipientRegistry: ours,
    recipient: GATEWAY,
    recipientRing: keys.home,
  };
}

const iatOf = (token: string) => (decodeProtectedHeader(token).iat as number | undefined) ?? 0;
const shortlyAfter = (iat: number) => fixedClock(new Date((iat + 30) * 1000));

beforeAll(async () => {
  const home = await KeyRing.fromPrivateJwks(readJson('test', 'keys', 'home', 'private.jwks.json'));
  keys = {
    home,
    partner: new Map(),
    ourJwks: JSON.parse(block('walkthrough.jwks').content) as Keys['ourJwks'],
  };
});

// ───────────────────────────────────────────────────────────────────── 1. no drift

describe('docs/interop.md generated sections', () => {
  it('are exactly what the generator makes from the current code, configuration and fixtures', async () => {
    const regenerated = await generateInteropDoc(DOC);
    for (const name of generatedSectionNames(DOC)) {
      // Section by section first, so a failure names the stale section.
      expect({ section: name, content: section(regenerated, name) }).toEqual({
        section: name,
        content: section(DOC, name),
      });
    }
    expect(regenerated === DOC).toBe(true);
  });

  it('has no internal link to a heading that does not exist', () => {
    const prose = DOC.replace(/```[a-z0-9-]*\n[\s\S]*?\n```/g, '');
    // GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
    const slug = (heading: string) =>
      heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s-]/gu, '')
        .replace(/\s/g, '-');
    const anchors = new Set([...prose.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));
    const links = [...prose.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((link) => !anchors.has(link))).toEqual([]);
  });

  it('marks every code block: examples carry an id and a kind, sketches and figures say what they are', () => {
    const unmarked = BLOCKS.filter((b) => b.lang !== 'sh' && b.marker === undefined).map(
      (b) => `line ${b.line}`,
    );
    expect(unmarked).toEqual([]);
    const ids = EXAMPLES.map((b) => b.marker!.id);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const kinds = new Set(EXAMPLES.map((b) => b.marker!.kind));
    expect([...kinds].sort()).toEqual([
      'canonical',
      'jwe',
      'jwe-header',
      'jwks',
      'jws',
      'jws-header',
      'test-key',
      'wire',
    ]);
  });
});

// ───────────────────────────────────────────────────────────────────── 2. examples against the code

describe('docs/interop.md example messages', () => {
  it('cover every message type in canonical JSON and in a partner wire form, and every partner format', () => {
    for (const type of MESSAGE_TYPES) {
      expect({ type, canonical: ofKind('canonical').some((b) => b.marker!.type === type) }).toEqual({
        type,
        canonical: true,
      });
      expect({ type, wire: ofKind('wire').some((b) => b.marker!.type === type) }).toEqual({
        type,
        wire: true,
      });
    }
    expect([...new Set(ofKind('wire').map((b) => b.marker!.partner))].sort()).toEqual(listPartnerCodes());
  });

  it('canonical JSON blocks decode with CanonicalJsonCodec and are written exactly as the codec writes them', () => {
    const blocks = ofKind('canonical');
    expect(blocks.length).toBeGreaterThanOrEqual(MESSAGE_TYPES.length);
    for (const b of blocks) {
      const profile = loadPartnerProfile(b.marker!.partner);
      const message = CanonicalJsonCodec.decode(bytesOf(b), profile.limits, idRuleOptions(profile));
      expect({ id: b.marker!.id, type: message.envelope.messageType }).toEqual({
        id: b.marker!.id,
        type: b.marker!.type,
      });
      expect(Buffer.from(CanonicalJsonCodec.encode(message, idRuleOptions(profile))).toString('utf8')).toBe(
        bytesOf(b).toString('utf8'),
      );
    }
  });

  it('partner wire blocks decode with adapterFor(partner) to exactly their canonical block', async () => {
    const blocks = ofKind('wire');
    expect(blocks.length).toBeGreaterThanOrEqual(MESSAGE_TYPES.length);
    for (const b of blocks) {
      const message = await adapterFor(b.marker!.partner).decode(bytesOf(b));
      expect({ id: b.marker!.id, type: message.envelope.messageType }).toEqual({
        id: b.marker!.id,
        type: b.marker!.type,
      });
      expect({ id: b.marker!.id, message }).toEqual({
        id: b.marker!.id,
        message: canonicalOf(b.marker!.canonical),
      });
    }
  });

  it('receipts name known reason codes', () => {
    for (const b of ofKind('canonical').filter((x) => x.marker!.type === 'RECEIPT')) {
      const receipt = (JSON.parse(b.content) as CanonicalMessage).body as ReceiptBody;
      for (const code of [receipt.reasonCode, ...receipt.recordResults.map((r) => r.reasonCode)].filter(
        (c): c is string => c !== undefined,
      )) {
        expect(REASON_CODES).toContain(code);
      }
    }
  });

  it('the JWKS is our public JWKS document of the TEST-ONLY home keys, and public only', async () => {
    const b = block('walkthrough.jwks');
    const document = JSON.parse(b.content) as { keys: Record<string, unknown>[] };
    expect(
      parsePartnerJwks(document, GATEWAY)
        .map((k) => k.kid)
        .sort(),
    ).toEqual(
      keys.home
        .records()
        .map((r) => r.kid)
        .sort(),
    );
    expect(document).toEqual(
      JSON.parse(JSON.stringify(jwksDocument(keys.home.records(), new Date(b.marker!.at)))),
    );
    for (const key of document.keys)
      expect(Object.keys(key).filter((m) => ['d', 'p', 'q', 'dp', 'dq', 'qi'].includes(m))).toEqual([]);
  });

  it('the TEST-ONLY partner key is the committed test key', () => {
    const b = block('walkthrough.partner-test-key');
    const key = JSON.parse(b.content) as { kid: string };
    const committed = readJson<{ keys: { kid: string }[] }>(
      'test',
      'keys',
      'partners',
      b.marker!.partner,
      'private.jwks.json',
    );
    expect(committed.keys.find((k) => k.kid === key.kid)).toEqual(key);
  });

  it('every JWS passes the real MessageVerifier of its receiver, carries its wire block, and matches its decoded header', async () => {
    const blocks = ofKind('jws');
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const b of blocks) {
      const partner = b.marker!.partner;
      const direction = b.marker!.direction;
      const token = b.content;
      const receiver = await receiverOf(partner, direction, shortlyAfter(iatOf(token)));
      // Every channel requires sign-then-encrypt: the JWS reaches the verifier inside a JWE, as on the wire.
      const recipient = receiver.recipientRegistry.encryptionKeyFor(
        receiver.recipient,
        new Date(iatOf(token) * 1000),
      )!;
      const { payload, report } = await receiver.verifier.verify(
        await encryptJws(token, recipient),
        receiver.context,
      );
      expect(Buffer.from(payload).toString('utf8')).toBe(bytesOf(block(b.marker!.payload)).toString('utf8'));
      const header = JSON.parse(
        EXAMPLES.find((x) => x.marker!.kind === 'jws-header' && x.marker!.of === b.marker!.id)!.content,
      ) as Record<string, unknown>;
      expect(decodeProtectedHeader(token)).toEqual(header);
      const profile = loadPartnerProfile(partner);
      const canonical = canonicalOf(block(b.marker!.payload).marker!.canonical);
      expect(report).toMatchObject({
        alg: direction === 'out' ? profile.security.outboundSignatureAlgorithm : header.alg,
        jti: canonical.envelope.messageId,
        messageType: canonical.envelope.messageType,
        iss: canonical.envelope.sender,
        aud: canonical.envelope.recipient,
        contentType: profile.wire.mediaType,
        encrypted: true,
        payloadSha256: sha256(bytesOf(block(b.marker!.payload))),
      });
    }
  });

  it('every JWE passes the real MessageVerifier of its receiver and decrypts to its JWS block', async () => {
    const blocks = ofKind('jwe');
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const b of blocks) {
      const partner = b.marker!.partner;
      const direction = b.marker!.direction;
      const jws = block(b.marker!.jws).content;
      const receiver = await receiverOf(partner, direction, shortlyAfter(iatOf(jws)));
      const { payload, report } = await receiver.verifier.verify(
        Buffer.from(b.content, 'ascii'),
        receiver.context,
      );
      expect(Buffer.from(payload).toString('utf8')).toBe(
        bytesOf(block(block(b.marker!.jws).marker!.payload)).toString('utf8'),
      );
      const header = decodeProtectedHeader(b.content);
      expect(header).toEqual(
        JSON.parse(
          EXAMPLES.find((x) => x.marker!.kind === 'jwe-header' && x.marker!.of === b.marker!.id)!.content,
        ),
      );
      expect(header).toMatchObject({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', typ: 'mra+jwe', cty: 'mra+jws' });
      expect(report.encryptionKid).toBe(header.kid);
      const key = receiver.recipientRing.decryptionKey(header.kid!, new Date())!;
      const { plaintext } = await compactDecrypt(b.content, key.privateKey);
      expect(Buffer.from(plaintext).toString('ascii')).toBe(jws);
    }
  });

  it('a receipt binds the message id and the SHA-256 of the exact token bytes it answers', () => {
    const pairs: [string, string][] = [
      ['walkthrough.partner-receipt.canonical', 'walkthrough.our-delta'],
      ['walkthrough.our-receipt.canonical', 'walkthrough.partner-delta'],
    ];
    for (const [receiptId, answered] of pairs) {
      const receipt = canonicalOf(receiptId);
      const body = receipt.body as ReceiptBody;
      const received = canonicalOf(`${answered}.canonical`);
      expect(body.receivedMessageId).toBe(received.envelope.messageId);
      expect(receipt.envelope.correlationId).toBe(received.envelope.messageId);
      expect(body.receivedSha256).toBe(sha256(Buffer.from(block(`${answered}.jwe`).content, 'ascii')));
      expect(DOC).toContain(
        `(${block(`${answered}.jwe`).content.length} bytes, SHA-256 \`${body.receivedSha256}\`)`,
      );
    }
  });

  it('the wire types of each partner section are what the adapters read', async () => {
    for (const partner of listPartnerCodes()) {
      const types = await wireTypeTable(partner);
      expect([...types.keys()].sort()).toEqual([...MESSAGE_TYPES].sort());
    }
  });
});

// ───────────────────────────────────────────────────────────────────── the worked exchange, for real

/** The inbox is the pipeline's replay store (as in the gateway runtime): the verifier's own is a no-op. */
const replayCheckedByInbox: ReplayStore = { remember: async () => 'first', purgeExpired: async () => 0 };

describe('docs/interop.md worked exchange through the real inbound pipeline and outbox (SQLite)', () => {
  const w = WALKTHROUGH;
  const partner = w.partner;
  let dir: string;
  let dataSource: DataSource;
  let now = Date.parse(w.ourDelta.at);
  const trustClock: Clock = { now: () => new Date(now) };
  let outbox: OutboxStore;
  let processor: InboundProcessor;

  const delivery = (token: string | Buffer, messageId: string, type: string): Delivery => ({
    body: Buffer.isBuffer(token) ? token : Buffer.from(token, 'ascii'),
    routingKey: topologyNames('mra').routingKey(partner, type),
    messageId,
    type,
    contentType: 'application/jose',
    headers: {},
    attempts: 0,
    redelivered: false,
  });
  const outboundRows = () =>
    dataSource.getRepository(OutboundMessageEntity).find({ order: { createdAt: 'ASC' } });
  const publishAllQueued = async () => {
    const rows = await outbox.claimDue(dataSource, 100, 60_000);
    await outbox.recordPublishOutcomes(
      dataSource,
      rows.map((row) => ({ row, ok: true })),
    );
  };
  /** Open one of our outbound tokens as the partner would, and decode it. */
  const openAsPartner = async (row: OutboundMessageRow) => {
    const receiver = await receiverOf(partner, 'out', trustClock);
    const { payload } = await receiver.verifier.verify(Buffer.from(row.body, 'ascii'), receiver.context);
    return adapterFor(partner).decode(payload);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mra-interop-'));
    dataSource = await openDataSource({
      url: `sqlite:${join(dir, 'interop.db')}`,
      entities: GATEWAY_ENTITIES,
      migrations: GATEWAY_MIGRATIONS,
    });
    const exchangeClock = { now: () => now };
    const audit = auditSinkFor(new AuditLog(dataSource));
    outbox = new OutboxStore(audit, exchangeClock);
    const partnerKeys = await loadPartnerKeyRegistry({ partners: [partner] });
    const joseSealer = new MessageSealer({
      ourProgramme: HOME_PROGRAMME,
      signingKeys: keys.home,
      partnerKeys,
      clock: trustClock,
    });
    const sealer: SealerPort = {
      seal: async ({ profile, payload, envelope }) =>
        (
          await joseSealer.seal({
            payload,
            partner: trustContextOf(profile),
            messageId: envelope.messageId,
            messageType: envelope.messageType,
          })
        ).token,
    };
    const verifier = new MessageVerifier({
      ourProgramme: HOME_PROGRAMME,
      partnerKeys,
      replayStore: replayCheckedByInbox,
      clock: trustClock,
      decryptionKeys: keys.home,
    });
    const opener: MessageOpener = {
      async open({ profile, token }) {
        const { payload, report } = await verifier.verify(token, trustContextOf(profile));
        return {
          payload,
          keyId: report.kid,
          algorithm: report.alg,
          messageId: report.jti,
          messageType: report.messageType,
          encrypted: report.encrypted,
        };
      },
    };
    processor = new InboundProcessor({
      dataSource,
      adapters: new Map([[partner, adapterFor(partner)]]),
      opener,
      composer: new OutboundComposer(sealer, exchangeClock, HOME_PROGRAMME, topologyNames('mra').routingKey),
      outbox,
      audit,
      clock: exchangeClock,
      home: HOME_PROGRAMME,
    });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('step 3: the partner receipt of the annex acknowledges the delta of the annex', async () => {
    const delta = canonicalOf('walkthrough.our-delta.canonical');
    await dataSource.transaction((manager) =>
      outbox.enqueue(
        manager,
        [
          {
            messageId: delta.envelope.messageId,
            environment: delta.envelope.environment,
            partner,
            messageType: delta.envelope.messageType,
            routingKey: topologyNames('mra').routingKey(partner, delta.envelope.messageType),
            body: block('walkthrough.our-delta.jwe').content,
            expectsReceipt: true,
          },
        ],
        'interop-test',
      ),
    );
    await publishAllQueued();
    expect((await outboundRows())[0]).toMatchObject({ messageId: delta.envelope.messageId, state: 'SENT' });

    now = Date.parse(w.partnerReceipt.at) + 2_000;
    const receiptJws = block('walkthrough.partner-receipt.jws').content;
    const ourEncryptionKey = (
      await PartnerKeyRegistry.fromJwks({ [GATEWAY]: keys.ourJwks })
    ).encryptionKeyFor(GATEWAY, new Date(now))!;
    const decisions = await processor.handle(partner, [
      delivery(await encryptJws(receiptJws, ourEncryptionKey), w.partnerReceipt.id, 'RECEIPT'),
    ]);
    expect(decisions).toEqual([{ action: 'ack' }]);
    const [row, ...others] = await outboundRows();
    expect(row).toMatchObject({
      messageId: delta.envelope.messageId,
      state: 'ACKNOWLEDGED',
      receiptMessageId: w.partnerReceipt.id,
    });
    expect(others).toEqual([]);
  });

  it('steps 4 and 5: the partner delta of the annex is applied and answered with exactly the receipt of the annex', async () => {
    now = Date.parse(w.ourReceipt.at);
    const decisions = await processor.handle(partner, [
      delivery(block('walkthrough.partner-delta.jwe').content, w.partnerDelta.id, 'AEO_STATUS_DELTA'),
    ]);
    expect(decisions).toEqual([{ action: 'ack' }]);
    const receiptRow = (await outboundRows()).find((r) => r.messageType === 'RECEIPT')!;
    expect(receiptRow).toMatchObject({
      partner,
      correlationId: w.partnerDelta.id,
      routingKey: `${partner}.receipt`,
      state: 'QUEUED',
      expectsReceipt: false,
    });
    const produced = await openAsPartner(receiptRow);
    const documented = canonicalOf('walkthrough.our-receipt.canonical');
    expect(produced.body).toEqual(documented.body);
    const { messageId: _id, createdAt: _at, ...envelope } = produced.envelope;
    const { messageId: _id2, createdAt: _at2, ...documentedEnvelope } = documented.envelope;
    expect(envelope).toEqual(documentedEnvelope);
  });

  it('7.6: the same bytes again are a duplicate answered with the original receipt, byte for byte', async () => {
    await publishAllQueued();
    const before = (await outboundRows()).find((r) => r.messageType === 'RECEIPT')!;
    expect(before.state).toBe('SENT');
    const decisions = await processor.handle(partner, [
      delivery(block('walkthrough.partner-delta.jwe').content, w.partnerDelta.id, 'AEO_STATUS_DELTA'),
    ]);
    expect(decisions).toEqual([{ action: 'ack' }]);
    const receipts = (await outboundRows()).filter((r) => r.messageType === 'RECEIPT');
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ messageId: before.messageId, state: 'QUEUED', body: before.body });
  });

  it('7.6: the same id in other bytes (encrypted again) is refused with REPLAYED_MESSAGE and a negative receipt', async () => {
    const ourEncryptionKey = (
      await PartnerKeyRegistry.fromJwks({ [GATEWAY]: keys.ourJwks })
    ).encryptionKeyFor(GATEWAY, new Date(now))!;
    const again = await encryptJws(block('walkthrough.partner-delta.jws').content, ourEncryptionKey);
    const decisions = await processor.handle(partner, [
      delivery(again, w.partnerDelta.id, 'AEO_STATUS_DELTA'),
    ]);
    expect(decisions).toEqual([
      { action: 'dead-letter', reason: 'REPLAYED_MESSAGE', detail: expect.any(String) },
    ]);
    const negative = (await outboundRows()).filter((r) => r.messageType === 'RECEIPT').at(-1)!;
    const message = await openAsPartner(negative);
    expect(message.envelope).toMatchObject({ environment: 'production', correlationId: w.partnerDelta.id });
    expect(message.body).toMatchObject({
      receivedMessageId: w.partnerDelta.id,
      receivedSha256: sha256(again),
      outcome: 'REJECTED',
      reasonCode: 'REPLAYED_MESSAGE',
      recordResults: [],
    });
  });

  it('7.6: a resend older than the maximum message age is refused with MESSAGE_TOO_OLD', async () => {
    const security = loadPartnerProfile(partner).security;
    now =
      Date.parse(w.partnerDelta.at) +
      (security.maxMessageAgeSeconds + security.maxClockSkewSeconds + 60) * 1000;
    const decisions = await processor.handle(partner, [
      delivery(block('walkthrough.partner-delta.jwe').content, w.partnerDelta.id, 'AEO_STATUS_DELTA'),
    ]);
    expect(decisions).toEqual([
      { action: 'dead-letter', reason: 'MESSAGE_TOO_OLD', detail: expect.any(String) },
    ]);
  });
});

// ───────────────────────────────────────────────────────────────────── 3. the Python sketch


function sketch(id: string): string {
  const found = BLOCKS.find((b) => b.marker?.tag === 'sketch' && b.marker.id === id);
  if (!found) throw new Error(`docs/interop.md has no sketch ${id}`);
  return `${found.content}\n`;
}

const DRIVER = `
import json, sys
sys.path.insert(0, sys.argv[1])
from mra_jose import Refused, open_token, receipt_hash, seal
from jwcrypto import jwk

vec = json.load(open(sys.argv[2]))
mine = jwk.JWKSet.from_json(open(vec["partnerKeys"]).read())
body = vec["ourDeltaJwe"].encode("ascii")
now = vec["iat"] + 30
args = (mine, vec["jwks"], vec["me"], vec["alg"], vec["mediaType"])
header, payload = open_token(body, *args, now)
out = {"header": header, "payload": payload.decode("utf-8"), "sha256": receipt_hash(body), "refusals": {}}

def refusal(name, token, *rest, **options):
    try:
        open_token(token, *rest, **options)
        out["refusals"][name] = "ACCEPTED"
    except Refused as error:
        out["refusals"][name] = error.code

jws_token = vec["ourDeltaJws"]
last = jws_token.rindex(".") + 1
tampered = jws_token[:last] + ("A" if jws_token[last] != "A" else "B") + jws_token[last + 1:]
refusal("tampered", tampered.encode("ascii"), *args, now, encrypted=False)
refusal("bare", jws_token.encode("ascii"), *args, now)
refusal("audience", body, mine, vec["jwks"], "KR-KCS", vec["alg"], vec["mediaType"], now)
refusal("old", body, *args, now + 2 * 86400)
refusal("future", body, *args, vec["iat"] - 3600)

signing = mine.get_key(vec["signingKid"])
out["sealed"] = seal(vec["receiptWire"].encode("utf-8"), vec["receiptId"], "RECEIPT", vec["me"],
                     vec["mediaType"], signing, vec["jwks"], vec["receiptIat"]).decode("ascii")
print(json.dumps(out))
`;

// python3-jwcrypto is installed by .ci/run (Debian package); without it this suite fails, it is never skipped.
describe('docs/interop.md Python sketch (python3-jwcrypto)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mra-interop-py-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens our delta vector, refuses what the profile refuses, and seals a receipt our verifier accepts', async () => {
    writeFileSync(join(dir, 'mra_jose.py'), sketch('python-jose'));
    writeFileSync(join(dir, 'driver.py'), DRIVER);
    const w = WALKTHROUGH;
    const profile = loadPartnerProfile(w.partner);
    const deltaJws = block('walkthrough.our-delta.jws').content;
    const receiptHeader = decodeProtectedHeader(block('walkthrough.partner-receipt.jws').content);
    const receiptWire = block('walkthrough.partner-receipt.wire');
    writeFileSync(
      join(dir, 'vectors.json'),
      JSON.stringify({
        partnerKeys: repoPath('test', 'keys', 'partners', w.partner, 'private.jwks.json'),
        jwks: keys.ourJwks,
        ourDeltaJwe: block('walkthrough.our-delta.jwe').content,
        ourDeltaJws: deltaJws,
        iat: iatOf(deltaJws),
        me: profile.programme,
        alg: profile.security.outboundSignatureAlgorithm,
        mediaType: profile.wire.mediaType,
        signingKid: receiptHeader.kid,
        receiptWire: `${receiptWire.content}\n`,
        receiptId: w.partnerReceipt.id,
        receiptIat: receiptHeader.iat,
      }),
    );
    const run = spawnSync(PYTHON, [join(dir, 'driver.py'), dir, join(dir, 'vectors.json')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const out = JSON.parse(run.stdout) as {
      header: unknown;
      payload: string;
      sha256: string;
      refusals: Record<string, string>;
      sealed: string;
    };

    expect(out.header).toEqual(JSON.parse(block('walkthrough.our-delta.jws-header').content));
    expect(out.payload).toBe(bytesOf(block('walkthrough.our-delta.wire')).toString('utf8'));
    expect(out.sha256).toBe(
      (canonicalOf('walkthrough.partner-receipt.canonical').body as ReceiptBody).receivedSha256,
    );
    expect(out.refusals).toEqual({
      tampered: 'SIGNATURE_INVALID',
      bare: 'ENCRYPTION_REQUIRED',
      audience: 'AUDIENCE_MISMATCH',
      old: 'MESSAGE_TOO_OLD',
      future: 'ISSUED_AT_IN_FUTURE',
    });

    // What the sketch seals goes through the gateway's own verifier, with the partner's real profile.
    const receiver = await receiverOf(w.partner, 'in', shortlyAfter(receiptHeader.iat as number));
    const { payload, report } = await receiver.verifier.verify(
      Buffer.from(out.sealed, 'ascii'),
      receiver.context,
    );
    expect(Buffer.from(payload).toString('utf8')).toBe(`${receiptWire.content}\n`);
    expect(report).toMatchObject({
      iss: profile.programme,
      aud: HOME_PROGRAMME,
      jti: w.partnerReceipt.id,
      messageType: 'RECEIPT',
      encrypted: true,
    });
    expect(await adapterFor(w.partner).decode(payload)).toEqual(
      canonicalOf('walkthrough.partner-receipt.canonical'),
    );
  });

  it('the AMQP sketch is valid Python', () => {
    writeFileSync(join(dir, 'amqp_sketch.py'), sketch('python-amqp'));
    const run = spawnSync(
      PYTHON,
      ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read())', join(dir, 'amqp_sketch.py')],
      { encoding: 'utf8' },
    );
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });
});

// ───────────────────────────────────────────────────────────────────── 4. reason codes

/** Upper-case, underscore-joined names in the annex that are not reason codes, each with its source. */
function otherVocabulary(): Set<string> {
  const words = new Set<string>([
    ...MESSAGE_TYPES,
    ...AEO_STATUSES,
    ...AUTHORISATION_TYPES,
    ...SUPPLY_CHAIN_ROLE_NAMES,
    ...OUTBOUND_STATES,
    ...RECEIPT_OUTCOMES,
    ...RECORD_OUTCOMES,
    // Mapping-loss kinds of libs/partners/src/partner-adapter.ts, printed in the field maps.
    'FIELD_NOT_CARRIED',
    'CODE_READ_BACK_DIFFERENTLY',
    // Gateway settings named in section 2.1.
    'MRA_AMQP_PREFIX',
    'MRA_QUEUE_TYPE',
    // The AMQP 0-9-1 reply name of a refused re-declaration (section 2.6).
    'PRECONDITION_FAILED',
  ]);
  for (const partner of listPartnerCodes()) {
    const profile = loadPartnerProfile(partner);
    for (const list of Object.values(profile.codeLists))
      for (const entry of list) if (entry.partner) words.add(entry.partner);
    for (const table of Object.values(profile.mappingTables ?? {}))
      for (const [k, v] of Object.entries(table)) words.add(k).add(v);
    // Enumerated wire values of the partner's schema files (message-type and result codes).
    const schemaDir = dirname(repoPath(profile.wire.schemaFile));
    for (const file of readdirSync(schemaDir)) {
      const schema = readFileSync(join(schemaDir, file), 'utf8');
      for (const m of schema.matchAll(/<xs:enumeration value="([^"]+)"/g)) words.add(m[1]);
      if (file.endsWith('.json')) {
        const walk = (value: unknown): void => {
          if (Array.isArray(value)) value.forEach(walk);
          else if (value !== null && typeof value === 'object') {
            for (const [key, inner] of Object.entries(value)) {
              if ((key === 'enum' && Array.isArray(inner)) || key === 'const')
                [inner].flat().forEach((v) => words.add(String(v)));
              walk(inner);
            }
          }
        };
        walk(JSON.parse(schema));
      }
    }
  }
  return words;
}

describe('docs/interop.md reason codes', () => {
  const prose = DOC.replace(/```[a-z0-9-]*\n[\s\S]*?\n```/g, '').replace(/<!--[\s\S]*?-->/g, '');
  const named = [...new Set([...prose.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`/g)].map((m) => m[1]))];

  it('names no reason code that does not exist', () => {
    const vocabulary = otherVocabulary();
    const unknown = named.filter((word) => !vocabulary.has(word) && !isKnownReasonCode(word));
    expect(unknown).toEqual([]);
    expect(named.filter((word) => isKnownReasonCode(word)).length).toBeGreaterThan(40);
  });

  it('the Python sketch refuses only with existing reason codes', () => {
    const codes = [...sketch('python-jose').matchAll(/Refused\("([A-Z_]+)"/g)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(15);
    expect(codes.filter((code) => !isKnownReasonCode(code))).toEqual([]);
  });

  it('documents every reason code with a meaning in section 8', () => {
    const table = section(DOC, 'reason-codes');
    const rows = new Map(
      [...table.matchAll(/^\| `([A-Z0-9_]+)` \| ([^|]+) \| (.+) \|$/gm)].map((m) => [m[1], m[3].trim()]),
    );
    expect([...rows.keys()]).toEqual([...REASON_CODES]);
    for (const code of REASON_CODES)
      expect({ code, meaning: (rows.get(code) ?? '').length > 10 }).toEqual({ code, meaning: true });
  });
});
