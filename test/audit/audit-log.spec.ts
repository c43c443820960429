import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { compactVerify } from 'jose';
import type { DataSource } from 'typeorm';
import { GatewayError } from '@aeo/domain';
import {
  AuditLog,
  GENESIS_HASH,
  aes256GcmPayloadCipher,
  cipherLookup,
  entryHash,
  getAuditPayload,
  recordPartnerCheckpoint,
  sha256Hex,
  verifyAuditLog,
  type AuditEntry,
} from '@aeo/audit';
import { DATABASES, type TestDatabase } from '../support/databases.js';
import { ed25519Signer, es256Signer, openAuditDatabase, rawQuery, sampleEntries } from './audit-support.js';

// Real databases on a shared machine: give them time.
jest.setTimeout(30_000);

async function rejection(
  action: () => Promise<unknown>,
): Promise<{ code: string; path?: string; message: string }> {
  try {
    await action();
  } catch (error) {
    if (error instanceof GatewayError)
      return { code: error.code, message: error.message, ...(error.path ? { path: error.path } : {}) };
    throw error;
  }
  throw new Error('expected a rejection');
}

async function databaseError(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected the database to refuse');
}

async function count(dataSource: DataSource, table: string): Promise<number> {
  const [row] = await rawQuery<{ n: number | string }>(dataSource, `SELECT COUNT(*) AS "n" FROM "${table}"`);
  return Number(row.n);
}

describe.each(DATABASES)('audit log on %s', (kind, createDatabase) => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeEach(async () => {
    db = await createDatabase();
    dataSource = await openAuditDatabase(db);
  });

  afterEach(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('appends a batch in one call as consecutive seqs on one chain, and the untouched log verifies', async () => {
    let now = Date.parse('2026-11-28T10:00:00Z');
    const log = new AuditLog(dataSource, { clock: () => now });
    const first = await log.append(sampleEntries(500));
    now += 1_000;
    const second = await log.append(sampleEntries(250, 500));
    const all = [...first, ...second];
    expect(all.map((entry) => entry.seq)).toEqual(Array.from({ length: 750 }, (_, i) => i + 1));
    expect(all[0].prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < all.length; i++) expect(all[i].prevHash).toBe(all[i - 1].hash);
    expect(all[0].hash).toBe(entryHash({ ...all[0], details: JSON.stringify(all[0].details) }));
    expect(first[0].recordedAt).toBe(Date.parse('2026-11-28T10:00:00Z'));
    expect(second[0].recordedAt).toBe(Date.parse('2026-11-28T10:00:01Z'));

    const report = await verifyAuditLog(dataSource);
    expect(report).toMatchObject({
      ok: true,
      entries: 750,
      firstSeq: 1,
      lastSeq: 750,
      headHash: all[749].hash,
      problem: null,
    });
    expect(await log.head()).toMatchObject({ seq: 750, hash: all[749].hash });
  });

  it('keeps recordedAt from going backwards when a clock does', async () => {
    let now = Date.parse('2026-11-28T10:00:00Z');
    const log = new AuditLog(dataSource, { clock: () => now });
    await log.append(sampleEntries(2));
    now -= 60_000; // another instance, clock behind
    const [late] = await log.append(sampleEntries(1));
    expect(late.recordedAt).toBe(Date.parse('2026-11-28T10:00:00Z'));
    expect((await verifyAuditLog(dataSource)).ok).toBe(true);
  });

  it("writes in the caller's transaction: the entries roll back with the business change", async () => {
    const log = new AuditLog(dataSource);
    await log.append(sampleEntries(3));
    await expect(
      dataSource.transaction(async (manager) => {
        await log.append(sampleEntries(5, 3), manager);
        throw new Error('register update failed');
      }),
    ).rejects.toThrow('register update failed');
    expect(await count(dataSource, 'audit_entry')).toBe(3);
    const committed = await dataSource.transaction((manager) => log.append(sampleEntries(2, 3), manager));
    expect(committed.map((entry) => entry.seq)).toEqual([4, 5]);
    expect((await verifyAuditLog(dataSource)).ok).toBe(true);
  });

  it('stores payload bytes once under their SHA-256, sealed with AES-256-GCM when configured', async () => {
    const key = randomBytes(32);
    const cipher = aes256GcmPayloadCipher('payload-key-1', key);
    const log = new AuditLog(dataSource, { payloadCipher: cipher });
    const bytes = Buffer.from('<AEOStatusDelta><Operator>KZ/0001/ТИП 3</Operator></AEOStatusDelta>', 'utf8');
    const [received, resent] = await log.append([
      {
        direction: 'IN',
        type: 'MESSAGE_RECEIVED',
        outcome: 'ACCEPTED',
        partner: 'eaeu',
        messageId: 'm-1',
        payload: bytes,
      },
      {
        direction: 'OUT',
        type: 'MESSAGE_SENT',
        outcome: 'SENT',
        partner: 'cn',
        messageId: 'm-1-fwd',
        payload: bytes,
      },
    ]);
    expect(received.payloadSha256).toBe(sha256Hex(bytes));
    expect(resent.payloadSha256).toBe(received.payloadSha256);
    expect(await count(dataSource, 'audit_payload')).toBe(1);

    const [stored] = await rawQuery<{ bytes: Uint8Array; cipher: string }>(
      dataSource,
      `SELECT "bytes", "cipher" FROM "audit_payload"`,
    );
    expect(stored.cipher).toBe('payload-key-1');
    expect(Buffer.from(stored.bytes).includes(Buffer.from('AEOStatusDelta'))).toBe(false);
    expect(await getAuditPayload(dataSource, received.payloadSha256!, cipherLookup([cipher]))).toEqual(bytes);
    expect(
      (await rejection(() => getAuditPayload(dataSource, received.payloadSha256!, cipherLookup()))).code,
    ).toBe('PAYLOAD_UNREADABLE');
    expect(await getAuditPayload(dataSource, sha256Hex('never stored'), cipherLookup())).toBeNull();

    // Metadata-only: the hash is chained, the bytes are not kept.
    const [metadataOnly] = await log.append([
      {
        direction: 'IN',
        type: 'MESSAGE_RECEIVED',
        outcome: 'ACCEPTED',
        payloadSha256: sha256Hex('kept elsewhere'),
      },
    ]);
    expect(metadataOnly.payloadSha256).toBe(sha256Hex('kept elsewhere'));
    const report = await verifyAuditLog(dataSource, { checkPayloads: true, ciphers: cipherLookup([cipher]) });
    expect(report).toMatchObject({ ok: true, payloads: { checked: 3, notStored: 1, sealed: 0 } });
  });

  it('rejects a bad input with a reason naming the field, and writes nothing', async () => {
    const log = new AuditLog(dataSource);
    const good = sampleEntries(1)[0];
    expect(
      await rejection(() => log.append([good, { ...good, direction: 'SIDEWAYS' as 'IN' }])),
    ).toMatchObject({
      code: 'INVALID_VALUE',
      path: '/1/direction',
    });
    expect(await rejection(() => log.append([{ ...good, type: 'message received' }]))).toMatchObject({
      path: '/0/type',
    });
    expect(await rejection(() => log.append([{ ...good, partner: '' }]))).toMatchObject({
      path: '/0/partner',
    });
    expect(await rejection(() => log.append([{ ...good, messageId: 'x'.repeat(201) }]))).toMatchObject({
      path: '/0/messageId',
    });
    expect(await rejection(() => log.append([{ ...good, payloadSha256: 'ABC' }]))).toMatchObject({
      path: '/0/payloadSha256',
    });
    expect(
      await rejection(() => log.append([{ ...good, details: { when: new Date() as unknown as string } }])),
    ).toMatchObject({ path: '/0/details/when' });
    expect(await rejection(() => log.append([{ ...good, details: { ratio: Number.NaN } }]))).toMatchObject({
      path: '/0/details/ratio',
    });
    expect(await count(dataSource, 'audit_entry')).toBe(0);
  });

  it('database triggers refuse UPDATE and DELETE on entries, payloads and checkpoints', async () => {
    const { signer } = await es256Signer();
    const log = new AuditLog(dataSource);
    await log.append(sampleEntries(4));
    await log.checkpoint(signer);
    const refusals = [
      await databaseError(() =>
        rawQuery(dataSource, `UPDATE "audit_entry" SET "outcome" = 'ACCEPTED' WHERE "seq" = 2`),
      ),
      await databaseError(() => rawQuery(dataSource, `DELETE FROM "audit_entry" WHERE "seq" = 4`)),
      await databaseError(() => rawQuery(dataSource, `DELETE FROM "audit_entry"`)),
      await databaseError(() => rawQuery(dataSource, `UPDATE "audit_payload" SET "size" = 0`)),
      await databaseError(() => rawQuery(dataSource, `DELETE FROM "audit_payload"`)),
      await databaseError(() => rawQuery(dataSource, `UPDATE "audit_checkpoint" SET "seq" = 3`)),
      await databaseError(() => rawQuery(dataSource, `DELETE FROM "audit_checkpoint"`)),
    ];
    expect(refusals).toEqual([
      expect.stringContaining('audit_entry is append-only: UPDATE refused'),
      expect.stringContaining('audit_entry is append-only: DELETE refused'),
      expect.stringContaining('audit_entry is append-only: DELETE refused'),
      expect.stringContaining('audit_payload is append-only: UPDATE refused'),
      expect.stringContaining('audit_payload is append-only: DELETE refused'),
      expect.stringContaining('audit_checkpoint is append-only: UPDATE refused'),
      expect.stringContaining('audit_checkpoint is append-only: DELETE refused'),
    ]);
    if (kind === 'postgres') {
      expect(await databaseError(() => rawQuery(dataSource, `TRUNCATE "audit_entry"`))).toContain(
        'audit_entry is append-only: TRUNCATE refused',
      );
    }
    expect(await count(dataSource, 'audit_entry')).toBe(5);
    expect((await verifyAuditLog(dataSource)).ok).toBe(true);
  });

  it('signs checkpoints over seq and head hash, records them in the chain, and skips when nothing is new', async () => {
    const { signer, publicJwk, resolveKey } = await es256Signer();
    let now = Date.parse('2026-11-28T12:00:00Z');
    const log = new AuditLog(dataSource, { clock: () => now, logId: 'kz-src' });
    const appended = await log.append(sampleEntries(10));
    const checkpoint = await log.checkpoint(signer);
    expect(checkpoint).toMatchObject({
      seq: 10,
      headHash: appended[9].hash,
      kid: signer.kid,
      createdAt: now,
    });
    const { payload, protectedHeader } = await compactVerify(checkpoint!.jws, publicJwk);
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: signer.kid });
    expect(new TextDecoder().decode(payload)).toBe(
      `{"createdAt":${now},"headHash":"${appended[9].hash}","log":"kz-src","seq":10,"v":1}`,
    );
    const head = await log.head();
    expect(head).toMatchObject({ seq: 11, type: 'CHECKPOINT', direction: 'INTERNAL' });
    expect(await log.checkpoint(signer)).toBeNull();

    now += 1_000;
    await log.append(sampleEntries(2));
    expect((await log.checkpoint(signer))!.seq).toBe(13);
    const report = await verifyAuditLog(dataSource, { resolveKey });
    expect(report).toMatchObject({
      ok: true,
      checkpoints: { checked: 2, signatures: 'verified', lastCoveredSeq: 13 },
    });
  });

  it('checkpoints when due: every N entries or when an entry has waited T', async () => {
    const { signer, resolveKey } = await ed25519Signer();
    let now = Date.parse('2026-11-28T12:00:00Z');
    const log = new AuditLog(dataSource, { clock: () => now });
    const policy = { everyEntries: 100, everyMs: 5 * 60_000 };
    expect(await log.checkpointIfDue(signer, policy)).toBeNull();
    await log.append(sampleEntries(99));
    expect(await log.checkpointIfDue(signer, policy)).toBeNull();
    await log.append(sampleEntries(1));
    expect((await log.checkpointIfDue(signer, policy))!.seq).toBe(100);
    // Only the checkpoint's own entry since: not due, however long we wait.
    now += 60 * 60_000;
    expect(await log.checkpointIfDue(signer, policy)).toBeNull();
    await log.append(sampleEntries(3));
    now += 4 * 60_000;
    expect(await log.checkpointIfDue(signer, policy)).toBeNull();
    now += 60_000;
    expect((await log.checkpointIfDue(signer, policy))!.seq).toBe(104);
    const concurrent = await Promise.all(
      [1, 2, 3].map(async () => {
        await log.append(sampleEntries(100));
        return log.checkpointIfDue(signer, policy);
      }),
    );
    expect(concurrent.some((checkpoint) => checkpoint !== null)).toBe(true);
    expect(await rejection(() => log.checkpointIfDue(signer, { everyEntries: 0, everyMs: 1 }))).toMatchObject(
      {
        path: '/everyEntries',
      },
    );
    expect((await verifyAuditLog(dataSource, { resolveKey })).ok).toBe(true);
  });

  it('refuses a signer that signs something else or under another kid', async () => {
    const { signer } = await es256Signer('key-a');
    const log = new AuditLog(dataSource);
    await log.append(sampleEntries(2));
    const liar = { kid: 'key-b', sign: signer.sign };
    expect((await rejection(() => log.checkpoint(liar))).code).toBe('CHECKPOINT_MALFORMED');
    const other = { kid: 'key-a', sign: () => signer.sign(new TextEncoder().encode('{"seq":1}')) };
    expect((await rejection(() => log.checkpoint(other))).code).toBe('CHECKPOINT_MALFORMED');
    expect(await count(dataSource, 'audit_checkpoint')).toBe(0);
  });

  it("holds a partner's signed heads and notices when the partner's log forks or regresses", async () => {
    const partner = await es256Signer('cn-audit-1');
    const ours = new AuditLog(dataSource);
    const statement = (seq: number, headHash: string) =>
      new TextEncoder().encode(
        `{"createdAt":1795824000000,"headHash":"${headHash}","log":"cn-gacc","seq":${seq},"v":1}`,
      );
    const record = (jws: string) =>
      dataSource.transaction((manager) =>
        recordPartnerCheckpoint(ours, 'cn', jws, partner.resolveKey, manager),
      );

    expect((await record(await partner.signer.sign(statement(5, 'aa'.repeat(32))))).outcome).toBe(
      'CONSISTENT',
    );
    expect((await record(await partner.signer.sign(statement(9, 'bb'.repeat(32))))).outcome).toBe(
      'CONSISTENT',
    );
    expect((await record(await partner.signer.sign(statement(9, 'cc'.repeat(32))))).outcome).toBe(
      'LOG_FORKED',
    );
    const regressed = await record(await partner.signer.sign(statement(7, 'dd'.repeat(32))));
    expect(regressed.outcome).toBe('LOG_REGRESSED');
    expect(regressed.entry).toMatchObject({
      direction: 'IN',
      type: 'CHECKPOINT',
      partner: 'cn',
      keyId: 'cn-audit-1',
    });
    expect(regressed.entry.details).toMatchObject({
      checkpointSeq: 7,
      previousSeq: 9,
      previousHeadHash: 'bb'.repeat(32),
    });

    const impostor = await es256Signer('cn-audit-1');
    expect(
      (await rejection(async () => record(await impostor.signer.sign(statement(10, 'ee'.repeat(32)))))).code,
    ).toBe('SIGNATURE_INVALID');
    expect(
      (await rejection(async () => record(await partner.signer.sign(new TextEncoder().encode('{}'))))).code,
    ).toBe('CHECKPOINT_MALFORMED');
    expect((await verifyAuditLog(dataSource)).ok).toBe(true);
  });

  it('keeps one chain when many appenders run at once', async () => {
    const log = new AuditLog(dataSource);
    const batches = await Promise.all(
      Array.from({ length: 12 }, (_, i) => log.append(sampleEntries(40, i * 40))),
    );
    const seqs = batches
      .flat()
      .map((entry: AuditEntry) => entry.seq)
      .sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 480 }, (_, i) => i + 1));
    // Each batch is contiguous: a batch is appended as a whole.
    for (const batch of batches) expect(batch[batch.length - 1].seq - batch[0].seq).toBe(39);
    expect(await verifyAuditLog(dataSource)).toMatchObject({ ok: true, entries: 480 });
  });
});

describe('several gateway instances appending to one PostgreSQL database', () => {
  let db: TestDatabase;
  const instances: DataSource[] = [];

  afterEach(async () => {
    await Promise.all(instances.splice(0).map((instance) => instance.destroy()));
    await db?.drop();
  });

  it('produce a single valid chain (advisory lock around head read and insert)', async () => {
    const create = DATABASES.find(([kind]) => kind === 'postgres')![1];
    db = await create();
    for (let i = 0; i < 4; i++) instances.push(await openAuditDatabase(db, 4));
    const { signer, resolveKey } = await es256Signer();
    const writers = instances.flatMap((instance, i) => {
      const log = new AuditLog(instance);
      return Array.from({ length: 3 }, async (_, j) => {
        const appended: AuditEntry[] = [];
        for (let round = 0; round < 5; round++) {
          const offset = ((i * 3 + j) * 5 + round) * 50;
          // Half the writers use their own transaction, half the caller's.
          appended.push(
            ...(j % 2 === 0
              ? await log.append(sampleEntries(50, offset))
              : await instance.transaction((manager) => log.append(sampleEntries(50, offset), manager))),
          );
          if (round === 2) await log.checkpointIfDue(signer, { everyEntries: 200, everyMs: 60_000 });
        }
        return appended;
      });
    });
    const results = (await Promise.all(writers)).flat();
    expect(results).toHaveLength(4 * 3 * 5 * 50);
    const report = await verifyAuditLog(instances[0], { resolveKey });
    expect(report.ok).toBe(true);
    expect(report.entries).toBe(3_000 + report.checkpoints.checked);
    expect(report.checkpoints.checked).toBeGreaterThan(0);
  });
});
