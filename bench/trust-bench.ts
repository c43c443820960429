/**
 * Throughput of the product's trust layer (what every message costs) beside the raw
 * node:crypto floor for the same bytes, measured in the same process.
 *
 *   npx tsx bench/trust-bench.ts [--duration-ms 400] [--repetitions 3] [--quick]
 *
 * What is measured is the gateway's own code, as libs/exchange calls it:
 *   sign     MessageSealer.seal with signOnly (profile header, JWS, report)
 *   verify   MessageVerifier.verify of a bare JWS (every profile check; replay store stubbed,
 *            its real cost is a database insert)
 *   encrypt  encryptJws of a signed message to the partner's key (ECDH-ES+A256KW / A256GCM)
 *   decrypt  decryptJwe (header policy + JWE decryption) of such a token
 *   seal     MessageSealer.seal: sign then encrypt, what every outbound message costs
 *   open     MessageVerifier.verify of a sealed token: decrypt then verify, every inbound message
 * for EdDSA, ES256 and PS256 and both recipient curves (P-256, X25519), one at a time and 32 in
 * flight. The floor beside each is synchronous node:crypto doing only the unavoidable
 * cryptography on the same bytes: the signature (sign / verify), an ephemeral key pair and the
 * ECDH (encrypt), the ECDH (decrypt), and their sums for seal and open.
 *
 * Keys: the TEST-ONLY keys of test/keys/home (ours; PS256 is RSA 2048 there) and of the
 * simulated cn (the partner). Payload: a 2,048-byte JSON message.
 * Each cell is the median of the repetitions after a warm-up; a row's floor and product
 * passes are interleaved, so load from elsewhere moves both alike. Prints a table and writes
 * bench/results/trust-bench-<timestamp>.json (rows and the summary for run-all). Not a test:
 * nothing here asserts.
 */
import {
  constants,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  randomUUID,
  sign as rawSign,
  verify as rawVerify,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { repoPath } from '@aeo/config';
import type { PartnerSecurityProfile } from '@aeo/partners';
import {
  CryptoWorkerPool,
  decryptJwe,
  encryptJws,
  inlineCrypto,
  KeyRing,
  MessageSealer,
  type CryptoBackend,
  MessageVerifier,
  parseCompact,
  PartnerKeyRegistry,
  systemClock,
  tokenLimitsFor,
  type CompactJwe,
  type PartnerTrustContext,
  type ReplayStore,
  type SignatureAlgorithm,
} from '@aeo/trust';
import {
  fmt,
  formatTable,
  load,
  median,
  numberArgument,
  progress,
  QUICK,
  summaryMetric,
  writeResult,
  type SummaryMetric,
} from './support/kit.js';

const DURATION_MS = numberArgument('duration-ms', QUICK ? 100 : 400);
const REPETITIONS = numberArgument('repetitions', QUICK ? 1 : 3);
const WARM_UP_MS = 150;
const IN_FLIGHT = 32;
const ALGORITHMS: readonly SignatureAlgorithm[] = ['EdDSA', 'ES256', 'PS256'];
const CURVES = ['P-256', 'X25519'] as const;
type Curve = (typeof CURVES)[number];

const PAYLOAD = Buffer.from(
  JSON.stringify({ note: 'fictional benchmark payload', data: 'x'.repeat(2048) }).slice(0, 2048),
);

interface Measured {
  readonly opsPerSecond: number;
  readonly opsPerCpuSecond: number;
  /** The event loop's own busy time per op (event-loop utilisation × time ÷ ops), µs. */
  readonly eventLoopMicrosPerOp: number;
}

/** One timed pass: `op` for DURATION_MS with `inFlight` callers; ops/s, ops per CPU-second, event-loop µs per op. */
async function timedPass(op: () => unknown, inFlight: number): Promise<Measured> {
  let count = 0;
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  const start = process.hrtime.bigint();
  const end = Date.now() + DURATION_MS;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (Date.now() < end) {
        await op();
        count++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  const busy = performance.eventLoopUtilization(elu).utilization * seconds;
  return { opsPerSecond: count / seconds, opsPerCpuSecond: count / ((used.user + used.system) / 1e6), eventLoopMicrosPerOp: (busy * 1e6) / count };
}

/**
 * Each variant warmed up, then REPETITIONS rounds in which every variant runs one pass in
 * turn (interleaved, so a burst of load from elsewhere hits the floor and the product alike);
 * the median of each.
 */
async function measureInterleaved(
  variants: readonly (readonly [() => unknown, number])[],
): Promise<Measured[]> {
  for (const [op, inFlight] of variants) {
    const warmUpEnd = Date.now() + WARM_UP_MS;
    while (Date.now() < warmUpEnd) await Promise.all(Array.from({ length: inFlight }, () => op()));
  }
  const passes: Measured[][] = variants.map(() => []);
  for (let r = 0; r < REPETITIONS; r++)
    for (const [i, [op, inFlight]] of variants.entries()) passes[i].push(await timedPass(op, inFlight));
  return passes.map((measured) => ({
    opsPerSecond: median(measured.map((m) => m.opsPerSecond)),
    opsPerCpuSecond: median(measured.map((m) => m.opsPerCpuSecond)),
    eventLoopMicrosPerOp: median(measured.map((m) => m.eventLoopMicrosPerOp)),
  }));
}

type Jwks = { keys: Record<string, unknown>[] };
const readJwks = (...segments: string[]): Jwks =>
  JSON.parse(readFileSync(repoPath(...segments), 'utf8')) as Jwks;

const HOME_PRIVATE = readJwks('test', 'keys', 'home', 'private.jwks.json');
const CN_PRIVATE = readJwks('test', 'keys', 'partners', 'cn', 'private.jwks.json');
const CN_PUBLIC = readJwks('config', 'partners', 'keys', 'cn.jwks.json');
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'kid', 'alg', 'use', 'mra_activates_at'];

function publicJwks(privateJwks: Jwks): Jwks {
  return {
    keys: privateJwks.keys.map((k) =>
      Object.fromEntries(Object.entries(k).filter(([member]) => PUBLIC_MEMBERS.includes(member))),
    ),
  };
}

/** A JWKS whose only encryption key is the one on `curve`, so the sealer must encrypt to that curve. */
function withEncryptionCurve(jwks: Jwks, curve: Curve): Jwks {
  return { keys: jwks.keys.filter((k) => k.use !== 'enc' || k.crv === curve) };
}

function security(alg: SignatureAlgorithm, encrypt: boolean): PartnerSecurityProfile {
  return {
    signatureAlgorithms: [alg],
    outboundSignatureAlgorithm: alg,
    encryption: { required: encrypt, keyManagementAlgorithm: 'ECDH-ES+A256KW', contentEncryption: 'A256GCM' },
    jwksFile: '-',
    maxClockSkewSeconds: 300,
    maxMessageAgeSeconds: 86_400,
  };
}

/** cn as we see it (we send to it, we verify what it sends). */
const cnContext = (alg: SignatureAlgorithm, encrypt: boolean): PartnerTrustContext => ({
  partner: 'cn',
  programme: 'CN-GACC',
  contentType: 'application/json',
  maxPayloadBytes: 2 * 1024 * 1024,
  security: security(alg, encrypt),
});

/** Us as cn sees us (cn sends to us). */
const homeContext = (alg: SignatureAlgorithm, encrypt: boolean): PartnerTrustContext => ({
  partner: 'kz',
  programme: 'KZ-SRC',
  contentType: 'application/json',
  security: security(alg, encrypt),
});

const nullReplayStore: ReplayStore = { remember: async () => 'first', purgeExpired: async () => 0 };

function privateKeyObject(jwks: Jwks, predicate: (k: Record<string, unknown>) => boolean): KeyObject {
  return createPrivateKey({ key: jwks.keys.find(predicate) as never, format: 'jwk' });
}

function rawSigner(alg: SignatureAlgorithm, key: KeyObject): (input: Buffer) => Buffer {
  if (alg === 'EdDSA') return (input) => rawSign(null, input, key);
  if (alg === 'ES256') return (input) => rawSign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
  return (input) =>
    rawSign('sha256', input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
}

function rawVerifier(alg: SignatureAlgorithm, key: KeyObject): (input: Buffer, signature: Buffer) => boolean {
  if (alg === 'EdDSA') return (input, signature) => rawVerify(null, input, key, signature);
  if (alg === 'ES256')
    return (input, signature) => rawVerify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signature);
  return (input, signature) =>
    rawVerify('sha256', input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
}

const ephemeralPair = (curve: Curve) =>
  curve === 'X25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });

interface Row {
  readonly operation: string;
  /** What the floor is for this row. */
  readonly floorLabel: string;
  readonly floor: Measured;
  readonly sequential: Measured;
  readonly inFlight32: Measured;
}

async function row(
  operation: string,
  floorLabel: string,
  floor: () => unknown,
  product: () => unknown,
): Promise<Row> {
  progress(operation);
  const [floorMeasured, sequential, inFlight32] = await measureInterleaved([
    [floor, 1],
    [product, 1],
    [product, IN_FLIGHT],
  ]);
  return { operation, floorLabel, floor: floorMeasured, sequential, inFlight32 };
}

function signingInputAndSignature(jws: string): { input: Buffer; signature: Buffer } {
  const dot = jws.lastIndexOf('.');
  return {
    input: Buffer.from(jws.slice(0, dot), 'latin1'),
    signature: Buffer.from(jws.slice(dot + 1), 'base64url'),
  };
}

const homeRing = await KeyRing.fromPrivateJwks(HOME_PRIVATE);
const cnRing = await KeyRing.fromPrivateJwks(CN_PRIVATE);
const homePublic = publicJwks(HOME_PRIVATE);
const now = () => new Date();

/** Our sealer for cn with only cn's `curve` encryption key, and cn's sealer for us likewise. */
async function sealers(curve: Curve, crypto: CryptoBackend = inlineCrypto): Promise<{ ours: MessageSealer; cns: MessageSealer }> {
  return {
    ours: new MessageSealer({
      ourProgramme: 'KZ-SRC',
      signingKeys: homeRing,
      partnerKeys: await PartnerKeyRegistry.fromJwks({ cn: withEncryptionCurve(CN_PUBLIC, curve) }),
      clock: systemClock,
      crypto,
    }),
    cns: new MessageSealer({
      ourProgramme: 'CN-GACC',
      signingKeys: cnRing,
      partnerKeys: await PartnerKeyRegistry.fromJwks({ kz: withEncryptionCurve(homePublic, curve) }),
      clock: systemClock,
    }),
  };
}

const verifierOfOurs = async (crypto: CryptoBackend = inlineCrypto) =>
  new MessageVerifier({
    ourProgramme: 'KZ-SRC',
    partnerKeys: await PartnerKeyRegistry.fromJwks({ cn: CN_PUBLIC }),
    replayStore: nullReplayStore,
    clock: systemClock,
    decryptionKeys: homeRing,
    crypto,
  });
const ourVerifier = await verifierOfOurs();

const request = (alg: SignatureAlgorithm, encrypt: boolean, signOnly = false) => ({
  payload: PAYLOAD,
  partner: cnContext(alg, encrypt),
  messageId: randomUUID(),
  messageType: 'AEO_STATUS_DELTA' as const,
  signOnly,
});

const loadBefore = load();
const rows: Row[] = [];
const { ours: anySealer } = await sealers('P-256');

for (const alg of ALGORITHMS) {
  const ourSigningKey = privateKeyObject(HOME_PRIVATE, (k) => k.alg === alg);
  const cnVerifyKey = createPublicKey(privateKeyObject(CN_PRIVATE, (k) => k.alg === alg));
  const ours = (await anySealer.seal(request(alg, false, true))).token;
  const { input: ourInput } = signingInputAndSignature(ours);
  const rawSignOnce = rawSigner(alg, ourSigningKey);
  rows.push(
    await row(
      `${alg} sign`,
      'node:crypto sign',
      () => rawSignOnce(ourInput),
      () => anySealer.seal(request(alg, false, true)),
    ),
  );

  const { cns } = await sealers('P-256');
  const fromCn = (await cns.seal({ ...request(alg, false), partner: homeContext(alg, false) })).token;
  const { input, signature } = signingInputAndSignature(fromCn);
  const rawVerifyOnce = rawVerifier(alg, cnVerifyKey);
  if (!rawVerifyOnce(input, signature))
    throw new Error(`node:crypto does not verify the product's ${alg} signature`);
  rows.push(
    await row(
      `${alg} verify`,
      'node:crypto verify',
      () => rawVerifyOnce(input, signature),
      () => ourVerifier.verify(fromCn, cnContext(alg, false)),
    ),
  );
}

for (const curve of CURVES) {
  const { ours, cns } = await sealers(curve);
  const recipientPublic = createPublicKey(
    privateKeyObject(CN_PRIVATE, (k) => k.use === 'enc' && k.crv === curve),
  );
  const ourPrivate = privateKeyObject(HOME_PRIVATE, (k) => k.use === 'enc' && k.crv === curve);
  const recipient = (
    await PartnerKeyRegistry.fromJwks({ cn: withEncryptionCurve(CN_PUBLIC, curve) })
  ).encryptionKeyFor('cn', now())!;
  const jws = (await ours.seal(request('ES256', false, true))).token;
  const fixedEphemeral = ephemeralPair(curve);
  const ecdhEncrypt = () =>
    diffieHellman({ privateKey: ephemeralPair(curve).privateKey, publicKey: recipientPublic });
  const ecdhDecrypt = () => diffieHellman({ privateKey: ourPrivate, publicKey: fixedEphemeral.publicKey });

  rows.push(
    await row(`JWE ${curve} encrypt`, 'ephemeral key + ECDH', ecdhEncrypt, () => encryptJws(jws, recipient)),
  );

  const inbound = (await cns.seal({ ...request('ES256', true), partner: homeContext('ES256', true) })).token;
  const limits = tokenLimitsFor();
  const inboundSecurity = security('ES256', true);
  rows.push(
    await row(`JWE ${curve} decrypt`, 'ECDH', ecdhDecrypt, () =>
      decryptJwe(parseCompact(inbound, limits) as CompactJwe, inboundSecurity, homeRing, now()),
    ),
  );

  for (const alg of ALGORITHMS) {
    const rawSignOnce = rawSigner(
      alg,
      privateKeyObject(HOME_PRIVATE, (k) => k.alg === alg),
    );
    const { input: signingInput } = signingInputAndSignature(
      (await ours.seal(request(alg, false, true))).token,
    );
    rows.push(
      await row(
        `seal ${alg} + ${curve}`,
        'sign + ephemeral key + ECDH',
        () => {
          rawSignOnce(signingInput);
          ecdhEncrypt();
        },
        () => ours.seal(request(alg, true)),
      ),
    );

    const token = (await cns.seal({ ...request(alg, true), partner: homeContext(alg, true) })).token;
    const cnVerifyKey = createPublicKey(privateKeyObject(CN_PRIVATE, (k) => k.alg === alg));
    const fromCn = (await cns.seal({ ...request(alg, false), partner: homeContext(alg, false) })).token;
    const { input, signature } = signingInputAndSignature(fromCn);
    const rawVerifyOnce = rawVerifier(alg, cnVerifyKey);
    rows.push(
      await row(
        `open ${alg} + ${curve}`,
        'ECDH + verify',
        () => {
          ecdhDecrypt();
          rawVerifyOnce(input, signature);
        },
        () => ourVerifier.verify(token, cnContext(alg, true)),
      ),
    );
  }
}

/**
 * The same seal and open (ES256 + X25519, 32 in flight) with the crypto on the event loop and
 * on a CryptoWorkerPool of 1 and 2 workers: ops/s, and the event loop's own time per op
 * (event-loop utilisation × time ÷ ops), which is what the gateway's pipelines are short of.
 */
interface PoolRow {
  readonly operation: string;
  readonly workers: number;
  readonly opsPerSecond: number;
  readonly eventLoopMicrosPerOp: number;
}

const poolRows: PoolRow[] = [];
for (const workers of [0, 1, 2]) {
  const pool = workers > 0 ? new CryptoWorkerPool(workers) : undefined;
  const crypto = pool ?? inlineCrypto;
  progress(`seal and open ES256 + X25519 with ${workers} crypto workers`);
  const { ours: sealer, cns: cnSealer } = await sealers('X25519', crypto);
  const verifier = await verifierOfOurs(crypto);
  const token = (await cnSealer.seal({ ...request('ES256', true), partner: homeContext('ES256', true) })).token;
  const [sealed, opened] = await measureInterleaved([
    [() => sealer.seal(request('ES256', true)), IN_FLIGHT],
    [() => verifier.verify(token, cnContext('ES256', true)), IN_FLIGHT],
  ]);
  poolRows.push({ operation: 'seal ES256 + X25519', workers, opsPerSecond: sealed.opsPerSecond, eventLoopMicrosPerOp: sealed.eventLoopMicrosPerOp });
  poolRows.push({ operation: 'open ES256 + X25519', workers, opsPerSecond: opened.opsPerSecond, eventLoopMicrosPerOp: opened.eventLoopMicrosPerOp });
  await pool?.close();
}

const loadAfter = load();
console.log(
  `\ntrust-bench: ${PAYLOAD.length}-byte payload, ${DURATION_MS} ms x ${REPETITIONS} repetitions per cell (median), ops/s; node ${process.version}, ${loadAfter.cpus} CPUs, 1-minute load average ${loadBefore.loadavg1} at the start, ${loadAfter.loadavg1} at the end\n`,
);
console.log(
  formatTable(
    [
      'operation',
      'floor',
      'product 1 at a time',
      'ratio',
      `product ${IN_FLIGHT} in flight (per CPU-s)`,
      'ratio',
      'floor is',
    ],
    rows.map((r) => [
      r.operation,
      fmt(r.floor.opsPerSecond),
      fmt(r.sequential.opsPerSecond),
      (r.sequential.opsPerSecond / r.floor.opsPerSecond).toFixed(2),
      `${fmt(r.inFlight32.opsPerSecond)} (${fmt(r.inFlight32.opsPerCpuSecond)})`,
      (r.inFlight32.opsPerSecond / r.floor.opsPerSecond).toFixed(2),
      r.floorLabel,
    ]),
  ),
);
console.log(
  '\nfloor = synchronous node:crypto, one thread, only the unavoidable cryptography on the same bytes; ratio = product / floor (1.00 = the floor; above 1 means the thread pool used both cores).',
);
console.log(`\nCrypto on worker threads (CryptoWorkerPool), ${IN_FLIGHT} in flight; event-loop µs/op = the event loop's own busy time per operation\n`);
console.log(
  formatTable(
    ['operation', 'crypto workers', 'ops/s', 'event-loop µs/op'],
    poolRows.map((r) => [r.operation, String(r.workers), fmt(r.opsPerSecond), r.eventLoopMicrosPerOp.toFixed(1)]),
  ),
);

const summary: SummaryMetric[] = rows.flatMap((r) => {
  const floor = { value: Math.round(r.floor.opsPerSecond), label: `${r.floorLabel} (node:crypto)` };
  return [
    summaryMetric(
      'trust',
      `${r.operation}, 1 at a time`,
      'ops/s',
      Math.round(r.sequential.opsPerSecond),
      floor,
    ),
    summaryMetric(
      'trust',
      `${r.operation}, ${IN_FLIGHT} in flight`,
      'ops/s',
      Math.round(r.inFlight32.opsPerSecond),
      floor,
    ),
  ];
});
const file = writeResult('trust-bench', {
  payloadBytes: PAYLOAD.length,
  durationMs: DURATION_MS,
  repetitions: REPETITIONS,
  inFlight: IN_FLIGHT,
  loadBefore,
  loadAfter,
  rows,
  poolRows,
  summary,
});
console.log(`\nwritten ${file}`);
