import { GatewayError } from '@aeo/domain';
import type { DataSource, EntityManager } from 'typeorm';
import {
  GENESIS_HASH,
  entryHash,
  normaliseInput,
  toAuditEntry,
  type AuditEntry,
  type AuditEntryInput,
  type AuditEntryRecord,
} from './audit-entry.js';
import { ENTRY_INSERT_COLUMNS, sqlOf, type Sql } from './audit-sql.js';
import { runWithChainLock } from './chain-lock.js';
import { checkpointPayload, decodeCheckpointJws, type CheckpointSigner } from './checkpoint-jws.js';
import { GroupCommit } from './group-commit.js';
import type { PayloadCipher } from './payload-cipher.js';
import { storePayloads } from './payload-store.js';

export interface AuditLogOptions {
  /** Seal stored payload bytes with this cipher (encryption at rest); plaintext when absent. */
  readonly payloadCipher?: PayloadCipher;
  /** Names this log in signed checkpoints, so a partner holding our head knows whose it is. */
  readonly logId?: string;
  /** UTC milliseconds; injectable for tests. */
  readonly clock?: () => number;
  /** The most entries `appendGroupCommitted` puts in one transaction (default 500). */
  readonly groupCommitMaxEntries?: number;
}

export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
  readonly recordedAt: number;
  readonly type: string;
  readonly direction: string;
}

export interface AuditCheckpoint {
  readonly seq: number;
  readonly headHash: string;
  readonly createdAt: number;
  readonly kid: string;
  readonly jws: string;
}

/** `every N entries or T milliseconds`, whichever comes first. */
export interface CheckpointPolicy {
  readonly everyEntries: number;
  readonly everyMs: number;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { everyEntries: 10_000, everyMs: 5 * 60_000 };

export const DEFAULT_LOG_ID = 'mra-gateway';

const ENTRY_INSERT_CHUNK = 500;

/** One multi-row INSERT's worth: a group-commit transaction stays as short as an ordinary batch. */
export const DEFAULT_GROUP_COMMIT_MAX_ENTRIES = ENTRY_INSERT_CHUNK;

/** An input checked and brought to stored form, with the bytes to store (if any). */
interface PreparedEntry {
  readonly fields: Omit<AuditEntryRecord, 'seq' | 'recordedAt' | 'prevHash'>;
  readonly payload: Uint8Array | null;
}

/**
 * The append side of the hash-chained audit log.
 *
 * `append` takes many entries at once and, when given the EntityManager of a transaction
 * the caller opened, writes them in that transaction: the entries commit or roll back with
 * the business change they record. There is no update or delete here or anywhere else.
 */
export class AuditLog {
  private readonly clock: () => number;
  private readonly groupCommit: GroupCommit<PreparedEntry, AuditEntry>;
  readonly logId: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: AuditLogOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.logId = options.logId ?? DEFAULT_LOG_ID;
    this.groupCommit = new GroupCommit(
      (batch) => this.appendPrepared(batch),
      options.groupCommitMaxEntries ?? DEFAULT_GROUP_COMMIT_MAX_ENTRIES,
    );
  }

  /**
   * Append entries in order, returning them with seq, recordedAt and hashes. Inputs are
   * checked before anything is written; one bad input fails the whole call.
   */
  async append(inputs: readonly AuditEntryInput[], manager?: EntityManager): Promise<AuditEntry[]> {
    if (inputs.length === 0) return [];
    return this.appendPrepared(
      inputs.map((input, index) => prepare(input, index)),
      manager,
    );
  }

  async appendOne(input: AuditEntryInput, manager?: EntityManager): Promise<AuditEntry> {
    const [entry] = await this.append([input], manager);
    return entry;
  }

  /**
   * Append one entry in a transaction shared with other callers (group commit), for callers
   * that have no transaction of their own — a recognition decision, a refused request. The
   * promise resolves after the transaction holding the entry has committed, so "audited
   * before answered" holds exactly as with `appendOne`; if that transaction fails, every
   * entry in it is rejected with the error (nothing of it was written).
   *
   * The input is checked here, before it joins a batch: a bad input fails its own caller,
   * never the others.
   */
  async appendGroupCommitted(input: AuditEntryInput): Promise<AuditEntry> {
    return this.groupCommit.submit(prepare(input, 0));
  }

  /** The last entry, or null for an empty log. */
  async head(manager?: EntityManager): Promise<AuditHead | null> {
    return readHead(sqlOf(manager ?? this.dataSource.manager));
  }

  /**
   * Sign the current head and record it: a row in audit_checkpoint plus a CHECKPOINT entry
   * (carrying the JWS) in the chain itself. Returns null when nothing was appended since the
   * last checkpoint. The chain lock is held while signing, so the signed head is the head.
   */
  async checkpoint(signer: CheckpointSigner, manager?: EntityManager): Promise<AuditCheckpoint | null> {
    return runWithChainLock(this.dataSource, manager, async (transactional) => {
      const sql = sqlOf(transactional);
      const head = await readHead(sql);
      if (!head) return null;
      const last = await readLastCheckpoint(sql);
      if (last && (head.seq === last.seq || (head.seq === last.seq + 1 && isOwnCheckpointEntry(head))))
        return null;
      const createdAt = Math.max(this.clock(), head.recordedAt);
      const payload = checkpointPayload({
        v: 1,
        log: this.logId,
        seq: head.seq,
        headHash: head.hash,
        createdAt,
      });
      const jws = await signer.sign(payload);
      checkSignerOutput(jws, payload, signer.kid);
      await sql.query(
        `INSERT INTO "audit_checkpoint" ("seq", "head_hash", "created_at", "kid", "jws") VALUES (?, ?, ?, ?, ?)`,
        [head.seq, head.hash, createdAt, signer.kid, jws],
      );
      const prepared = normaliseInput(
        {
          direction: 'INTERNAL',
          type: 'CHECKPOINT',
          outcome: 'SIGNED',
          actor: 'gateway',
          keyId: signer.kid,
          details: { checkpointSeq: head.seq, headHash: head.hash, jws },
        },
        0,
      );
      await this.appendLocked(sql, [prepared], new Map());
      return { seq: head.seq, headHash: head.hash, createdAt, kid: signer.kid, jws };
    });
  }

  /**
   * Checkpoint when `policy` says so: at least `everyEntries` entries since the last
   * checkpoint, or an entry waiting longer than `everyMs` for one. The gateway calls this
   * after appends and on a timer; concurrent callers produce one checkpoint.
   */
  async checkpointIfDue(
    signer: CheckpointSigner,
    policy: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY,
  ): Promise<AuditCheckpoint | null> {
    validateCheckpointPolicy(policy);
    const sql = sqlOf(this.dataSource.manager);
    const head = await readHead(sql);
    if (!head) return null;
    const last = await readLastCheckpoint(sql);
    // The entry right after a checkpoint is that checkpoint's own CHECKPOINT entry.
    const firstUncovered = last ? last.seq + 2 : 1;
    const pending = head.seq - firstUncovered + 1;
    if (pending <= 0) return null;
    let due = pending >= policy.everyEntries;
    if (!due) {
      const [oldest] = await sql.query<{ recordedAt: number | string }>(
        `SELECT "recorded_at" AS "recordedAt" FROM "audit_entry" WHERE "seq" = ?`,
        [firstUncovered],
      );
      due = oldest !== undefined && this.clock() - Number(oldest.recordedAt) >= policy.everyMs;
    }
    return due ? this.checkpoint(signer) : null;
  }

  private async appendPrepared(
    batch: readonly PreparedEntry[],
    manager?: EntityManager,
  ): Promise<AuditEntry[]> {
    const payloads = new Map<string, Uint8Array>();
    for (const { fields, payload } of batch)
      if (payload !== null) payloads.set(fields.payloadSha256!, payload);
    return runWithChainLock(this.dataSource, manager, (transactional) =>
      this.appendLocked(
        sqlOf(transactional),
        batch.map((entry) => entry.fields),
        payloads,
      ),
    );
  }

  private async appendLocked(
    sql: Sql,
    prepared: ReadonlyArray<Omit<AuditEntryRecord, 'seq' | 'recordedAt' | 'prevHash'>>,
    payloads: ReadonlyMap<string, Uint8Array>,
  ): Promise<AuditEntry[]> {
    const head = await readHead(sql);
    // Time never goes backwards along the chain, even across instances with skewed clocks,
    // so a time range is also a seq range.
    const recordedAt = Math.max(this.clock(), head?.recordedAt ?? 0);
    let seq = head?.seq ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const entries: AuditEntry[] = [];
    const rows: unknown[][] = [];
    for (const fields of prepared) {
      const record: AuditEntryRecord = { ...fields, seq: ++seq, recordedAt, prevHash };
      const hash = entryHash(record);
      rows.push([
        record.seq,
        record.recordedAt,
        record.direction,
        record.partner,
        record.messageId,
        record.correlationId,
        record.aeoId,
        record.type,
        record.outcome,
        record.actor,
        record.keyId,
        record.payloadSha256,
        record.details,
        record.prevHash,
        hash,
      ]);
      entries.push(toAuditEntry(record, hash));
      prevHash = hash;
    }
    if (payloads.size > 0) await storePayloads(sql, payloads, this.options.payloadCipher, recordedAt);
    const placeholders = `(${new Array(15).fill('?').join(', ')})`;
    for (let start = 0; start < rows.length; start += ENTRY_INSERT_CHUNK) {
      const chunk = rows.slice(start, start + ENTRY_INSERT_CHUNK);
      await sql.query(
        `INSERT INTO "audit_entry" (${ENTRY_INSERT_COLUMNS}) VALUES ${chunk.map(() => placeholders).join(', ')}`,
        chunk.flat(),
      );
    }
    return entries;
  }
}

function prepare(input: AuditEntryInput, index: number): PreparedEntry {
  return { fields: normaliseInput(input, index), payload: input.payload ?? null };
}

/**
 * The log as the exchange's `AuditSink` port (`append(manager, events)`): entries are
 * appended in the caller's transaction and commit with the change they record.
 */
export function auditSinkFor(log: AuditLog): {
  append(manager: EntityManager, events: readonly AuditEntryInput[]): Promise<void>;
} {
  return {
    async append(manager, events) {
      await log.append(events, manager);
    },
  };
}

export function validateCheckpointPolicy(policy: CheckpointPolicy): void {
  if (!Number.isSafeInteger(policy.everyEntries) || policy.everyEntries < 1) {
    throw new GatewayError(
      'INVALID_VALUE',
      'checkpoint policy: everyEntries must be an integer >= 1',
      '/everyEntries',
    );
  }
  if (!Number.isFinite(policy.everyMs) || policy.everyMs < 1) {
    throw new GatewayError(
      'INVALID_VALUE',
      'checkpoint policy: everyMs must be a number of milliseconds >= 1',
      '/everyMs',
    );
  }
}

export async function readHead(sql: Sql): Promise<AuditHead | null> {
  const [row] = await sql.query<Record<string, unknown>>(
    `SELECT "seq", "hash", "recorded_at" AS "recordedAt", "type", "direction" FROM "audit_entry" ORDER BY "seq" DESC LIMIT 1`,
  );
  if (!row) return null;
  return {
    seq: Number(row.seq),
    hash: row.hash as string,
    recordedAt: Number(row.recordedAt),
    type: row.type as string,
    direction: row.direction as string,
  };
}

export async function readLastCheckpoint(sql: Sql): Promise<AuditCheckpoint | null> {
  const [row] = await sql.query<Record<string, unknown>>(
    `SELECT "seq", "head_hash" AS "headHash", "created_at" AS "createdAt", "kid", "jws" FROM "audit_checkpoint" ORDER BY "seq" DESC LIMIT 1`,
  );
  return row ? toCheckpoint(row) : null;
}

export function toCheckpoint(row: Record<string, unknown>): AuditCheckpoint {
  return {
    seq: Number(row.seq),
    headHash: row.headHash as string,
    createdAt: Number(row.createdAt),
    kid: row.kid as string,
    jws: row.jws as string,
  };
}

function isOwnCheckpointEntry(head: AuditHead): boolean {
  return head.type === 'CHECKPOINT' && head.direction === 'INTERNAL';
}

/** A signer that signs something else, or under another kid, must not produce a checkpoint. */
function checkSignerOutput(jws: string, payload: Uint8Array, kid: string): void {
  const decoded = decodeCheckpointJws(jws);
  const signed = Buffer.from(jws.split('.')[1], 'base64url');
  if (!signed.equals(Buffer.from(payload))) {
    throw new GatewayError(
      'CHECKPOINT_MALFORMED',
      'the checkpoint signer returned a JWS over a different payload',
    );
  }
  if (decoded.kid !== kid) {
    throw new GatewayError(
      'CHECKPOINT_MALFORMED',
      `the checkpoint signer's JWS names kid '${decoded.kid}', expected '${kid}'`,
    );
  }
}
