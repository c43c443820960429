import { GatewayError, type AeoRecord } from '@aeo/domain';
import { keyOf } from '@aeo/registry';
import type { RegisterKey } from './home-register-pages.js';

/** What the snapshot result says about each record sent: enough to check the partner holds it, not the whole record. */
export interface SnapshotRecordSummary {
  readonly programme: string;
  readonly aeoId: string;
  readonly aeoIdNormalized: string;
  readonly status: AeoRecord['status'];
  readonly recordVersion: number;
}

/** One chunk to be: the register range it comes from and exactly which records of that range it carries. */
export interface PlannedChunk {
  readonly first: RegisterKey;
  readonly last: RegisterKey;
  /** keyOf(programme, aeoIdNormalized) of every record it carries, in register order. */
  readonly keys: readonly string[];
  /** Upper bound of its encoded size, envelope included. */
  readonly bytes: number;
}

export interface ChunkPlan {
  readonly chunks: readonly PlannedChunk[];
  readonly records: readonly SnapshotRecordSummary[];
  readonly notSent: readonly { partner: string; reasonCode: string; detail: string }[];
}

export interface ChunkLimits {
  /** The MRA's chunkSize. */
  readonly maxRecords: number;
  /** The partner profile's limits.maxBytes: a larger chunk would be refused by a partner applying its own limit. */
  readonly maxBytes: number;
  /** Encoded size of a chunk with no records (envelope and chunk header, widest numbers). */
  readonly overheadBytes: number;
}

/**
 * Cuts the records a partner shares into chunks that respect both the MRA's count and the
 * partner's byte limit, from one pass over the register. `sizeOf` encodes one record in the
 * partner's format (record mapping only: no signing, schema pass or read-back) and throws a
 * GatewayError when the format cannot carry it; such records are left out and reported, so
 * chunk numbering is final before anything is encoded for real. Memory: the keys and the
 * summaries, never the records themselves.
 */
export async function planSnapshotChunks(
  pages: AsyncIterable<readonly AeoRecord[]>,
  partner: string,
  shares: (record: AeoRecord) => boolean,
  sizeOf: (record: AeoRecord) => number,
  limits: ChunkLimits,
): Promise<ChunkPlan> {
  const chunks: PlannedChunk[] = [];
  const records: SnapshotRecordSummary[] = [];
  const notSent: { partner: string; reasonCode: string; detail: string }[] = [];
  let current: { first: RegisterKey; last: RegisterKey; keys: string[]; bytes: number } | undefined;
  const close = () => {
    if (current) chunks.push(current);
    current = undefined;
  };
  for await (const page of pages) {
    for (const record of page) {
      if (!shares(record)) continue;
      let size: number;
      try {
        size = sizeOf(record);
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        notSent.push({ partner, reasonCode: error.code, detail: `${record.aeoIdNormalized}: ${error.message}` });
        continue;
      }
      if (limits.overheadBytes + size > limits.maxBytes) {
        notSent.push({ partner, reasonCode: 'PAYLOAD_TOO_LARGE', detail: `${record.aeoIdNormalized}: ${size} bytes alone exceed the partner's limit of ${limits.maxBytes}` });
        continue;
      }
      if (current && (current.keys.length >= limits.maxRecords || current.bytes + size > limits.maxBytes)) close();
      const key = { programme: record.programme, aeoIdNormalized: record.aeoIdNormalized };
      current ??= { first: key, last: key, keys: [], bytes: limits.overheadBytes };
      current.last = key;
      current.keys.push(keyOf(record.programme, record.aeoIdNormalized));
      current.bytes += size;
      records.push({ programme: record.programme, aeoId: record.aeoId, aeoIdNormalized: record.aeoIdNormalized, status: record.status, recordVersion: record.recordVersion });
    }
  }
  close();
  return { chunks, records, notSent };
}
