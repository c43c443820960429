import { GatewayError } from '@aeo/domain';
import type { DataSource } from 'typeorm';
import { GENESIS_HASH, chainHash, entryHash, type AuditEntryRecord } from './audit-entry.js';
import { readEntryPage, readLastSeq, sqlOf, type Sql, type StoredEntryRow } from './audit-sql.js';
import { openVerifyPageReader, type VerifyRow } from './verify-page-reader.js';
import { toCheckpoint } from './audit-log.js';
import { decodeCheckpointJws, verifyCheckpointJws, type AuditKeyResolver } from './checkpoint-jws.js';
import { cipherLookup, type PayloadCipherLookup } from './payload-cipher.js';
import { readPayloads, type PayloadReadResult } from './payload-store.js';

export type AuditProblemKind =
  /** The entry's content does not hash to its stored hash, or it was re-hashed after an edit. */
  | 'ENTRY_ALTERED'
  /** Entries are gone: a gap in seq, or later entries renumbered over the gap. */
  | 'ENTRY_MISSING'
  /** Entries that were never appended sit in the chain. */
  | 'ENTRY_INSERTED'
  /** Original entries sit at each other's positions. */
  | 'ENTRIES_REORDERED'
  /** A link is wrong in a way none of the above explains (e.g. entry 1 not chained to genesis). */
  | 'CHAIN_BROKEN'
  /** recordedAt decreases along the chain, which the appender never writes. */
  | 'TIME_REVERSED'
  /** A signed checkpoint names a seq beyond the end of the log. */
  | 'LOG_TRUNCATED'
  /** The chain's hash at a checkpoint's seq differs from the signed head hash. */
  | 'CHECKPOINT_MISMATCH'
  /** A checkpoint is malformed, its row disagrees with its JWS, or its signature fails. */
  | 'CHECKPOINT_INVALID'
  /** The chain records a checkpoint whose row is gone from audit_checkpoint. */
  | 'CHECKPOINT_MISSING'
  /** A stored payload does not hash to the SHA-256 its entry records, or does not decrypt. */
  | 'PAYLOAD_ALTERED';

export interface AuditProblem {
  readonly kind: AuditProblemKind;
  /** The first bad sequence number. */
  readonly seq: number;
  /** Where the damage can only be bounded, the last seq of the affected range. */
  readonly lastSeq?: number;
  readonly message: string;
}

export interface VerifyAuditOptions {
  readonly from?: number;
  readonly to?: number;
  /** Public keys of checkpoint signers; without it signatures are reported as not checked. */
  readonly resolveKey?: AuditKeyResolver;
  /** Checkpoint JWSs held outside this database (a partner's copy of our head, an earlier export). */
  readonly anchors?: readonly string[];
  /** Also read every referenced stored payload and check it against its SHA-256. */
  readonly checkPayloads?: boolean;
  readonly ciphers?: PayloadCipherLookup;
  readonly pageSize?: number;
  readonly progressEvery?: number;
  readonly onProgress?: (progress: { readonly entries: number; readonly seq: number }) => void;
}

export interface AuditVerifyReport {
  readonly ok: boolean;
  readonly from: number;
  readonly to: number | null;
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  readonly entries: number;
  readonly headHash: string | null;
  /**
   * What the first entry was chained to: `genesis` (seq 1), `entry` (the stored entry
   * before --from), or `unanchored` (that entry is not in the database, e.g. archived: the
   * first entry's prevHash is taken as given and must be checked against the archive).
   */
  readonly start: 'genesis' | 'entry' | 'unanchored';
  readonly checkpoints: {
    readonly checked: number;
    readonly signatures: 'verified' | 'not-checked';
    readonly lastCoveredSeq: number | null;
  };
  readonly payloads: { readonly checked: number; readonly notStored: number; readonly sealed: number } | null;
  readonly problem: AuditProblem | null;
  readonly durationMs: number;
  readonly entriesPerSecond: number;
}

const WINDOW = 64;

interface KnownCheckpoint {
  readonly headHash: string;
  readonly label: string;
  readonly jws: string | null;
}

/**
 * Recompute the chain from the database and check it against the signed checkpoints.
 * Stops at the first problem in seq order and names the first bad sequence number.
 * Reads pages of raw rows (no ORM entities) and hashes with node:crypto.
 */
export async function verifyAuditLog(
  dataSource: DataSource,
  options: VerifyAuditOptions = {},
): Promise<AuditVerifyReport> {
  const started = performance.now();
  const from = options.from ?? 1;
  const to = options.to;
  if (!Number.isSafeInteger(from) || from < 1)
    throw new GatewayError('INVALID_VALUE', '--from must be a seq >= 1', '/from');
  if (to !== undefined && (!Number.isSafeInteger(to) || to < from)) {
    throw new GatewayError('INVALID_VALUE', '--to must be a seq >= --from', '/to');
  }
  const sql = sqlOf(dataSource.manager);
  // Measured: SQLite is fastest with small pages (less garbage promoted between pages),
  // PostgreSQL with larger ones (fewer round trips).
  const pageSize = options.pageSize ?? (dataSource.options.type === 'postgres' ? 5_000 : 1_000);
  const progressEvery = options.progressEvery ?? 10_000;
  const ciphers = options.ciphers ?? cipherLookup();

  const { known, invalid, checked } = await loadCheckpoints(sql, from, to, options);

  let prev: string;
  let start: AuditVerifyReport['start'];
  if (from === 1) {
    prev = GENESIS_HASH;
    start = 'genesis';
  } else {
    const [before] = await readEntryPage(sql, from - 1, from - 1, 1);
    if (before) {
      prev = before.hash;
      start = 'entry';
    } else {
      prev = '';
      start = 'unanchored';
    }
  }

  const recent = new RecentHashes();
  if (start === 'entry') recent.add(from - 1, prev);
  let expected = from;
  let prevTime = -Infinity;
  let entries = 0;
  let firstSeq: number | null = null;
  let lastMatchedCheckpoint = start === 'genesis' ? 0 : from - 1;
  let lastCoveredSeq: number | null = null;
  const payloadStats = { checked: 0, notStored: 0, sealed: 0 };
  let problem: AuditProblem | null = null;

  const finish = (): AuditVerifyReport => {
    const durationMs = performance.now() - started;
    return {
      ok: problem === null,
      from,
      to: to ?? null,
      firstSeq,
      lastSeq: entries > 0 ? expected - 1 : null,
      entries,
      headHash: entries > 0 ? prev : null,
      start,
      checkpoints: { checked, signatures: options.resolveKey ? 'verified' : 'not-checked', lastCoveredSeq },
      payloads: options.checkPayloads ? payloadStats : null,
      problem,
      durationMs,
      entriesPerSecond: durationMs > 0 ? Math.round((entries * 1000) / durationMs) : 0,
    };
  };

  // Read up to the head as it is now (entries appended meanwhile are the next run's), in
  // fixed seq ranges of pageSize: a range is known before the one before it has arrived, so
  // the reader can have several in flight (PostgreSQL: one per connection, rendered by two
  // backends while this thread hashes). A range emptied by deletions is just an empty page;
  // the gap shows at the next row, whose seq is not the one expected.
  const head = (await readLastSeq(sql)) ?? 0;
  const upper = to === undefined ? head : Math.min(to, head);
  const reader = await openVerifyPageReader(dataSource, { withPayloads: options.checkPayloads === true });
  const inFlight: Array<Promise<VerifyRow[]>> = [];
  let nextRange = expected;
  const readAhead = () => {
    while (inFlight.length < reader.pagesInFlight && nextRange <= upper) {
      const last = Math.min(upper, nextRange + pageSize - 1);
      const page = reader.read(nextRange, last);
      page.catch(() => undefined); // awaited below unless an earlier page already stops the run
      inFlight.push(page);
      nextRange = last + 1;
    }
  };
  readAhead();
  try {
    pages: while (inFlight.length > 0) {
      const page: VerifyRow[] = await inFlight.shift()!;
      readAhead();
      const payloads = options.checkPayloads ? await pagePayloads(sql, page, ciphers) : null;
      for (const [
        seqValue,
        recordedAtValue,
        prevHash,
        canonical,
        hash,
        checkpointDetails,
        payloadSha256,
      ] of page) {
        const seq = Number(seqValue);
        const recordedAt = Number(recordedAtValue);
        if (start === 'unanchored' && entries === 0 && seq === from) prev = prevHash;
        if (seq !== expected || prevHash !== prev || chainHash(prevHash, canonical) !== hash) {
          problem = diagnose(expected, prev, recent, await readEntryPage(sql, expected, to, WINDOW), from);
          break pages;
        }
        if (recordedAt < prevTime) {
          problem = {
            kind: 'TIME_REVERSED',
            seq,
            message: `entry ${seq} is recorded at ${iso(recordedAt)}, before entry ${seq - 1} (${iso(prevTime)}): the chain was rebuilt`,
          };
          break pages;
        }
        const invalidCheckpoint = invalid.get(seq);
        if (invalidCheckpoint) {
          problem = invalidCheckpoint;
          break pages;
        }
        const signed = known.get(seq);
        if (signed) {
          const differing = signed.find((checkpoint) => checkpoint.headHash !== hash);
          if (differing) {
            problem = {
              kind: 'CHECKPOINT_MISMATCH',
              seq: lastMatchedCheckpoint + 1,
              lastSeq: seq,
              message:
                `entry ${seq} hashes to ${hash}, but ${differing.label} signed ${differing.headHash}: ` +
                `entries ${lastMatchedCheckpoint + 1}..${seq} were rewritten (re-hashed) after they were checkpointed`,
            };
            break pages;
          }
          lastMatchedCheckpoint = seq;
          lastCoveredSeq = seq;
        }
        if (checkpointDetails !== null) {
          const recorded = checkpointRecordedIn(seq, checkpointDetails, known, from, to);
          if (recorded) {
            problem = recorded;
            break pages;
          }
        }
        if (payloads && payloadSha256) {
          const result = payloads.get(payloadSha256)!;
          if (result.status === 'altered') {
            problem = {
              kind: 'PAYLOAD_ALTERED',
              seq,
              message: `the stored payload ${payloadSha256} of entry ${seq} is altered: ${result.reason}`,
            };
            break pages;
          }
          payloadStats.checked++;
          if (result.status === 'missing') payloadStats.notStored++;
          if (result.status === 'sealed') payloadStats.sealed++;
        }
        recent.add(seq, hash);
        firstSeq ??= seq;
        prev = hash;
        prevTime = recordedAt;
        expected = seq + 1;
        entries++;
        if (options.onProgress && entries % progressEvery === 0) options.onProgress({ entries, seq: seq });
      }
    }
  } finally {
    await Promise.allSettled(inFlight);
    await reader.close();
  }

  if (problem === null) {
    const lastSeq = expected - 1;
    const beyond = [...known.keys()].filter((seq) => seq > lastSeq).sort((a, b) => a - b);
    const invalidBeyond = [...invalid.keys()].filter((seq) => seq > lastSeq).sort((a, b) => a - b);
    if (beyond.length > 0 && (invalidBeyond.length === 0 || beyond[0] <= invalidBeyond[0])) {
      const furthest = beyond[beyond.length - 1];
      problem = {
        kind: 'LOG_TRUNCATED',
        seq: lastSeq + 1,
        lastSeq: furthest,
        message:
          `the log ends at seq ${lastSeq}, but ${known.get(furthest)![0].label} signed a head at seq ${furthest}: ` +
          `entries ${lastSeq + 1}..${furthest} are missing (truncated)`,
      };
    } else if (invalidBeyond.length > 0) {
      problem = invalid.get(invalidBeyond[0])!;
    }
  }
  return finish();
}

/** Checkpoints from the table and from outside (anchors); problems are kept by seq. */
async function loadCheckpoints(
  sql: Sql,
  from: number,
  to: number | undefined,
  options: VerifyAuditOptions,
): Promise<{ known: Map<number, KnownCheckpoint[]>; invalid: Map<number, AuditProblem>; checked: number }> {
  const rows = (
    await sql.query<Record<string, unknown>>(
      `SELECT "seq", "head_hash" AS "headHash", "created_at" AS "createdAt", "kid", "jws" FROM "audit_checkpoint" ` +
        `WHERE "seq" >= ?${to === undefined ? '' : ' AND "seq" <= ?'} ORDER BY "seq"`,
      to === undefined ? [from] : [from, to],
    )
  ).map(toCheckpoint);
  const candidates = [
    ...rows.map((row) => ({
      seq: row.seq,
      headHash: row.headHash,
      kid: row.kid,
      jws: row.jws,
      label: `checkpoint ${row.seq}`,
    })),
    ...(options.anchors ?? []).map((jws, index) => ({
      seq: null as number | null,
      headHash: null,
      kid: null,
      jws,
      label: `anchor #${index + 1}`,
    })),
  ];
  const known = new Map<number, KnownCheckpoint[]>();
  const invalid = new Map<number, AuditProblem>();
  const record = (seq: number, problem: Omit<AuditProblem, 'seq'>) => {
    if (!invalid.has(seq)) invalid.set(seq, { ...problem, seq });
  };
  const results = await Promise.all(
    candidates.map(async (candidate) => {
      try {
        const decoded = options.resolveKey
          ? await verifyCheckpointJws(candidate.jws, options.resolveKey)
          : decodeCheckpointJws(candidate.jws);
        return { candidate, decoded, error: null };
      } catch (error) {
        return { candidate, decoded: null, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  let checked = 0;
  for (const { candidate, decoded, error } of results) {
    if (!decoded) {
      if (candidate.seq !== null)
        record(candidate.seq, { kind: 'CHECKPOINT_INVALID', message: `${candidate.label}: ${error}` });
      else throw new GatewayError('CHECKPOINT_INVALID', `${candidate.label}: ${error}`, '/anchors');
      continue;
    }
    const { seq, headHash } = decoded.statement;
    if (
      candidate.seq !== null &&
      (seq !== candidate.seq || headHash !== candidate.headHash || decoded.kid !== candidate.kid)
    ) {
      record(candidate.seq, {
        kind: 'CHECKPOINT_INVALID',
        message:
          `${candidate.label}: the row (seq ${candidate.seq}, head ${candidate.headHash}, kid ${candidate.kid}) ` +
          `differs from what its JWS signs (seq ${seq}, head ${headHash}, kid ${decoded.kid}): the row was altered`,
      });
      continue;
    }
    if (seq < from || (to !== undefined && seq > to)) continue;
    checked++;
    const list = known.get(seq) ?? [];
    list.push({ headHash, label: candidate.label, jws: candidate.seq !== null ? candidate.jws : null });
    known.set(seq, list);
  }
  return { known, invalid, checked };
}

/** A CHECKPOINT entry names a checkpoint; its row must still be there, with the same JWS. */
function checkpointRecordedIn(
  entrySeq: number,
  recordedDetails: string,
  known: Map<number, KnownCheckpoint[]>,
  from: number,
  to: number | undefined,
): AuditProblem | null {
  let details: { checkpointSeq?: unknown; headHash?: unknown; jws?: unknown };
  try {
    details = JSON.parse(recordedDetails) as typeof details;
  } catch {
    return {
      kind: 'CHECKPOINT_INVALID',
      seq: entrySeq,
      message: `entry ${entrySeq} (a CHECKPOINT entry) has details that are not JSON`,
    };
  }
  const seq = details.checkpointSeq;
  if (typeof seq !== 'number' || seq < from || (to !== undefined && seq > to)) return null;
  const rows = (known.get(seq) ?? []).filter((checkpoint) => checkpoint.jws !== null);
  if (rows.length === 0) {
    return {
      kind: 'CHECKPOINT_MISSING',
      seq: entrySeq,
      message: `entry ${entrySeq} records checkpoint ${seq}, but audit_checkpoint has no valid row for seq ${seq} (deleted?)`,
    };
  }
  if (
    !rows.some((checkpoint) => checkpoint.jws === details.jws && checkpoint.headHash === details.headHash)
  ) {
    return {
      kind: 'CHECKPOINT_INVALID',
      seq: entrySeq,
      message: `entry ${entrySeq} records a different JWS for checkpoint ${seq} than audit_checkpoint holds`,
    };
  }
  return null;
}

async function pagePayloads(
  sql: Sql,
  page: readonly VerifyRow[],
  ciphers: PayloadCipherLookup,
): Promise<Map<string, PayloadReadResult>> {
  const wanted = page.flatMap(([, , , , , , payloadSha256]) => (payloadSha256 ? [payloadSha256] : []));
  return readPayloads(sql, wanted, ciphers);
}

/** The last WINDOW verified hashes, by seq. */
class RecentHashes {
  private readonly seqs = new Array<number>(WINDOW).fill(-1);
  private readonly hashes = new Array<string>(WINDOW).fill('');

  add(seq: number, hash: string): void {
    this.seqs[seq % WINDOW] = seq;
    this.hashes[seq % WINDOW] = hash;
  }

  get(seq: number): string | undefined {
    return seq >= 0 && this.seqs[seq % WINDOW] === seq ? this.hashes[seq % WINDOW] : undefined;
  }

  findSeq(hash: string, below: number): number | undefined {
    for (let seq = below - 1; seq >= below - WINDOW && seq >= 0; seq--)
      if (this.get(seq) === hash) return seq;
    return undefined;
  }
}

/** The seq (near the stored one) under which this row's content hashes to its stored hash. */
function originalSeq(row: AuditEntryRecord & { hash: string }): number | undefined {
  for (let distance = 1; distance <= WINDOW; distance++) {
    for (const seq of [row.seq - distance, row.seq + distance]) {
      if (seq >= 1 && entryHash({ ...row, seq }) === row.hash) return seq;
    }
  }
  return undefined;
}

/**
 * Name what went wrong at the first bad position `expected`, from the rows at and after it.
 * Entries hash their own seq, so an entry moved to another seq can be recognised: its
 * content hashes to its stored hash under its original seq.
 */
function diagnose(
  expected: number,
  prev: string,
  recent: RecentHashes,
  ahead: readonly StoredEntryRow[],
  from: number,
): AuditProblem {
  const first = ahead[0];
  const range = (a: number, b: number) => (a === b ? `entry ${a}` : `entries ${a}..${b}`);
  if (first.seq > expected) {
    return {
      kind: 'ENTRY_MISSING',
      seq: expected,
      lastSeq: first.seq - 1,
      message:
        expected === 1
          ? `${range(1, first.seq - 1)} missing: the log starts at seq ${first.seq}`
          : `${range(expected, first.seq - 1)} missing: the chain jumps from seq ${expected - 1} to ${first.seq} (deleted)`,
    };
  }
  const recomputed = entryHash(first);
  if (recomputed === first.hash) {
    // The entry is self-consistent but does not link to its predecessor.
    const next = ahead[1];
    if (next && next.seq === expected + 1 && next.prevHash !== first.hash) {
      return {
        kind: 'ENTRY_ALTERED',
        seq: expected,
        message:
          `entry ${expected} was replaced by a re-hashed forgery: it does not link to entry ${expected - 1}, ` +
          `and entry ${expected + 1} does not link to it`,
      };
    }
    if (expected === 1) {
      return {
        kind: 'CHAIN_BROKEN',
        seq: 1,
        message: `entry 1's prevHash is ${first.prevHash}, not the genesis value (64 zeros)`,
      };
    }
    if (expected === from) {
      return {
        kind: 'CHAIN_BROKEN',
        seq: expected,
        message: `entry ${expected} does not link to entry ${expected - 1} (before --from): verify from an earlier seq to locate the damage`,
      };
    }
    const linked = recent.findSeq(first.prevHash, expected - 1);
    if (linked !== undefined) {
      return {
        kind: 'ENTRY_INSERTED',
        seq: linked + 1,
        lastSeq: expected - 1,
        message: `${range(linked + 1, expected - 1)} not part of the original chain: entry ${expected} links directly to entry ${linked}`,
      };
    }
    return {
      kind: 'ENTRY_ALTERED',
      seq: expected - 1,
      message:
        `entry ${expected - 1} was altered and its hash recomputed: entry ${expected} records ${first.prevHash} ` +
        `as its predecessor's hash, but entry ${expected - 1} now hashes to ${prev}`,
    };
  }
  const original = originalSeq(first);
  if (original === undefined) {
    const next = ahead[1];
    if (next && next.seq === expected + 1 && next.prevHash === prev && originalSeq(next) === expected) {
      return {
        kind: 'ENTRY_INSERTED',
        seq: expected,
        message: `entry ${expected} is not part of the original chain: entry ${expected + 1} is the original entry ${expected}, renumbered`,
      };
    }
    return {
      kind: 'ENTRY_ALTERED',
      seq: expected,
      message: `entry ${expected} was altered: its content hashes to ${recomputed}, but its stored hash is ${first.hash}`,
    };
  }
  if (original < expected) {
    return {
      kind: 'ENTRY_INSERTED',
      seq: original,
      lastSeq: expected - 1,
      message: `${range(original, expected - 1)} not part of the original chain: entry ${expected} is the original entry ${original}, renumbered`,
    };
  }
  const displaced = ahead.find(
    (row) => row !== first && entryHash(row) !== row.hash && originalSeq(row) === expected,
  );
  if (displaced) {
    return {
      kind: 'ENTRIES_REORDERED',
      seq: expected,
      message: `entries were reordered: seq ${expected} holds the original entry ${original}, and the original entry ${expected} is at seq ${displaced.seq}`,
    };
  }
  return {
    kind: 'ENTRY_MISSING',
    seq: expected,
    lastSeq: original - 1,
    message: `${range(expected, original - 1)} deleted and the later entries renumbered: seq ${expected} holds the original entry ${original}`,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
