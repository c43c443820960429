/**
 * Partner codecs: encode (canonical → partner bytes) and decode (partner bytes → validated
 * canonical) in records per second, per partner, beside the floor of plain parsing and
 * serialising the very same bytes with the library underneath:
 *   - JSON partners (kr, tr): JSON.parse of the bytes (as a string) and JSON.stringify of
 *     the parsed tree;
 *   - XML partners (cn, eaeu): xml2js `Parser({ explicitArray: false })` of the bytes and
 *     `Builder({ renderOpts: { pretty: false } })` of the parsed tree (the settings of
 *     tech-notes §2b). The gateway's own parser runs xml2js in its namespace-aware,
 *     order-preserving mode, so part of the gap is that mode.
 *
 *   npx tsx bench/codec-bench.ts [--quick] [--duration-ms 300] [--repetitions 3] [--snapshot-records 2000]
 *
 * Two message shapes: a one-record status delta (the everyday message) and a snapshot chunk
 * of the MRA chunk size (2,000 records). Records are the partner's own fictional AEOs (what
 * the simulator sends), so encode and decode work on the same bytes. Each cell runs the
 * operation in a loop for --duration-ms after a warm-up, --repetitions times; the value is
 * the median. Single-threaded and synchronous apart from the adapters' async decode.
 */
import { randomUUID } from 'node:crypto';
import { HOME_PROGRAMME, type AeoRecord, type CanonicalMessage, type MessageType } from '@aeo/domain';
import { adapterFor, type PartnerAdapter } from '@aeo/partners';
import { Builder, Parser } from 'xml2js';
import { PARTNERS, partnerRecords } from './support/fixtures.js';
import {
  QUICK,
  atLeast,
  fmt,
  formatTable,
  median,
  numberArgument,
  progress,
  round,
  summaryMetric,
  writeResult,
  type SummaryMetric,
} from './support/kit.js';

const DURATION_MS = numberArgument('duration-ms', QUICK ? 150 : 300);
const REPETITIONS = numberArgument('repetitions', QUICK ? 1 : 3);
const SNAPSHOT_RECORDS = numberArgument('snapshot-records', 2_000);

/** Run `op` repeatedly for DURATION_MS (after a short warm-up), REPETITIONS times; median calls/s. */
async function callsPerSecond(op: () => unknown): Promise<number> {
  const warm = Date.now() + Math.min(200, DURATION_MS);
  do await op();
  while (Date.now() < warm);
  const rates: number[] = [];
  for (let r = 0; r < REPETITIONS; r++) {
    let calls = 0;
    const start = performance.now();
    const end = start + DURATION_MS;
    do {
      await op();
      calls++;
    } while (performance.now() < end);
    rates.push((calls * 1000) / (performance.now() - start));
  }
  return median(rates);
}

function canonical(
  adapter: PartnerAdapter,
  messageType: MessageType,
  records: AeoRecord[],
): CanonicalMessage {
  const programme = adapter.profile.programme;
  const body =
    messageType === 'AEO_SNAPSHOT'
      ? {
          snapshotId: randomUUID(),
          programme,
          asOf: '2026-11-28T00:00:00Z',
          chunkIndex: 1,
          chunkCount: 1,
          records,
        }
      : { programme, records };
  return {
    envelope: {
      messageId: randomUUID(),
      sender: programme,
      recipient: HOME_PROGRAMME,
      createdAt: '2026-11-28T00:00:00Z',
      messageType,
      schemaVersion: '1.0',
      environment: 'production',
    },
    body,
  } as unknown as CanonicalMessage;
}

/**
 * The largest chunk up to `wanted` records whose encoding stays under the partner profile's
 * byte limit (with 5 % to spare): a bigger one would be refused by the receiving decoder.
 */
function fittingChunk(adapter: PartnerAdapter, wanted: number): { records: number; bytesPerRecord: number } {
  const probe = adapter.encode(
    canonical(adapter, 'AEO_SNAPSHOT', partnerRecords(adapter.profile.recordProgrammes, 100)),
  ).bytes.byteLength;
  const bytesPerRecord = Math.ceil(probe / 100);
  const fits = Math.floor((adapter.profile.limits.maxBytes * 0.95) / bytesPerRecord);
  return { records: Math.min(wanted, Math.floor(fits / 100) * 100), bytesPerRecord };
}

interface Row {
  partner: string;
  wireFormat: string;
  shape: string;
  records: number;
  bytes: number;
  encodeRecordsPerSec: number;
  encodeFloorRecordsPerSec: number;
  decodeRecordsPerSec: number;
  decodeFloorRecordsPerSec: number;
}

const rows: Row[] = [];
const chunkFindings: {
  partner: string;
  configured: number;
  used: number;
  bytesPerRecord: number;
  maxBytes: number;
}[] = [];
for (const partner of PARTNERS) {
  const adapter = adapterFor(partner);
  const xml = adapter.profile.wire.format === 'xml';
  const chunk = fittingChunk(adapter, SNAPSHOT_RECORDS);
  if (chunk.records < SNAPSHOT_RECORDS) {
    chunkFindings.push({
      partner,
      configured: SNAPSHOT_RECORDS,
      used: chunk.records,
      bytesPerRecord: chunk.bytesPerRecord,
      maxBytes: adapter.profile.limits.maxBytes,
    });
    progress(
      `codec ${partner}: ${SNAPSHOT_RECORDS} records would be ${fmt(SNAPSHOT_RECORDS * chunk.bytesPerRecord)} bytes, over the profile limit of ${fmt(adapter.profile.limits.maxBytes)}; using ${chunk.records}`,
    );
  }
  for (const [shape, type, count] of [
    ['delta, 1 record', 'AEO_STATUS_DELTA', 1],
    [`snapshot chunk, ${chunk.records} records`, 'AEO_SNAPSHOT', chunk.records],
  ] as const) {
    progress(`codec ${partner}: ${shape}`);
    const message = canonical(adapter, type, partnerRecords(adapter.profile.recordProgrammes, count));
    const bytes = adapter.encode(message).bytes;
    const text = Buffer.from(bytes).toString('utf8');
    const decoded = await adapter.decode(bytes);
    if (decoded.envelope.messageId !== message.envelope.messageId)
      throw new Error(`${partner}: round trip lost the message id`);

    let parseFloor: () => unknown;
    let buildFloor: () => unknown;
    if (xml) {
      const parsed = (await new Parser({ explicitArray: false }).parseStringPromise(text)) as object;
      const builder = new Builder({ renderOpts: { pretty: false } });
      parseFloor = () =>
        new Parser({ explicitArray: false }).parseStringPromise(Buffer.from(bytes).toString('utf8'));
      buildFloor = () => Buffer.from(builder.buildObject(parsed), 'utf8');
    } else {
      const parsed = JSON.parse(text) as unknown;
      parseFloor = () => JSON.parse(Buffer.from(bytes).toString('utf8'));
      buildFloor = () => Buffer.from(JSON.stringify(parsed), 'utf8');
    }
    const encode = await callsPerSecond(() => adapter.encode(message));
    const encodeFloor = await callsPerSecond(buildFloor);
    const decode = await callsPerSecond(() => adapter.decode(bytes));
    const decodeFloor = await callsPerSecond(parseFloor);
    rows.push({
      partner,
      wireFormat: adapter.profile.wire.format,
      shape,
      records: count,
      bytes: bytes.byteLength,
      encodeRecordsPerSec: Math.round(encode * count),
      encodeFloorRecordsPerSec: Math.round(encodeFloor * count),
      decodeRecordsPerSec: Math.round(decode * count),
      decodeFloorRecordsPerSec: Math.round(decodeFloor * count),
    });
  }
}

const ratio = (a: number, b: number) => `${round(a / b, 2).toFixed(2)}`;
console.log(
  `\ncodec-bench: records/s, median of ${REPETITIONS} x ${DURATION_MS} ms per cell; floor = ${'JSON.parse/stringify (json) or xml2js parse/build (xml)'} of the same bytes\n`,
);
console.log(
  formatTable(
    ['partner', 'message', 'bytes', 'encode rec/s', 'floor', 'ratio', 'decode rec/s', 'floor', 'ratio'],
    rows.map((r) => [
      `${r.partner} (${r.wireFormat})`,
      r.shape,
      fmt(r.bytes),
      fmt(r.encodeRecordsPerSec),
      fmt(r.encodeFloorRecordsPerSec),
      ratio(r.encodeRecordsPerSec, r.encodeFloorRecordsPerSec),
      fmt(r.decodeRecordsPerSec),
      fmt(r.decodeFloorRecordsPerSec),
      ratio(r.decodeRecordsPerSec, r.decodeFloorRecordsPerSec),
    ]),
  ),
);

// No target in the issue for codecs alone; the snapshot target (100,000 records in 10 s
// each way) needs at least 10,000 records/s through the codec, so that is shown as a bound.
const summary: SummaryMetric[] = rows.flatMap((r) => {
  const floorName = r.wireFormat === 'xml' ? 'xml2js' : 'JSON';
  const bound = r.records > 1 ? atLeast(10_000, 'rec/s (snapshot budget)') : null;
  return [
    summaryMetric(
      'codec',
      `${r.partner} encode, ${r.shape}`,
      'rec/s',
      r.encodeRecordsPerSec,
      { value: r.encodeFloorRecordsPerSec, label: `${floorName} build/stringify` },
      bound,
    ),
    summaryMetric(
      'codec',
      `${r.partner} decode, ${r.shape}`,
      'rec/s',
      r.decodeRecordsPerSec,
      { value: r.decodeFloorRecordsPerSec, label: `${floorName} parse` },
      bound,
    ),
  ];
});
if (chunkFindings.length > 0) {
  console.log(
    '\nchunk size over the partner byte limit (the snapshot row uses the largest chunk that fits):',
  );
  for (const f of chunkFindings)
    console.log(
      `  ${f.partner}: ${f.configured} records x ~${fmt(f.bytesPerRecord)} B = ~${fmt(f.configured * f.bytesPerRecord)} B > maxBytes ${fmt(f.maxBytes)}; measured with ${f.used}`,
    );
}
const file = writeResult('codec', {
  durationMs: DURATION_MS,
  repetitions: REPETITIONS,
  snapshotRecords: SNAPSHOT_RECORDS,
  chunkFindings,
  rows,
  summary,
});
console.log(`\nwritten ${file}`);
