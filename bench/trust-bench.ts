/**
 * Throughput of the trust layer beside the raw node:crypto floor for the same bytes.
 *
 *   npx tsx bench/trust-bench.ts [--duration-ms 600] [--repetitions 3]
 *
 * Payload: a 2,048-byte message. For each algorithm: sign and verify with raw node:crypto
 * (synchronous, same signing input), with jose one at a time, with jose 32 in flight, and the
 * full MessageVerifier (every profile check; the replay store is stubbed, its cost is a
 * database insert). For sign-then-encrypt: ECDH-ES+A256KW/A256GCM encrypt and decrypt beside
 * the ECDH floor (ephemeral key generation + ECDH to encrypt, ECDH to decrypt).
 * Each cell is the median of the repetitions; "per CPU-s" divides by process CPU time, so it
 * stays comparable when several operations run in parallel on the thread pool.
 * Prints a table and writes JSON to bench/results/. Not a test: nothing here asserts.
 */
import {
  diffieHellman,
  generateKeyPairSync,
  randomUUID,
  sign as rawSign,
  verify as rawVerify,
  constants,
  type KeyObject,
} from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { compactDecrypt, compactVerify } from 'jose';
import { repoPath } from '@aeo/config';
import {
  encryptJws,
  importKey,
  JOSE_CRIT_OPTION,
  MessageVerifier,
  PartnerKeyRegistry,
  signMessage,
  systemClock,
  type PartnerTrustContext,
  type ReplayStore,
  type SignatureAlgorithm,
} from '@aeo/trust';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1] ?? '');
const DURATION_MS = Number(args.get('duration-ms') ?? 600);
const REPETITIONS = Number(args.get('repetitions') ?? 3);
const IN_FLIGHT = 32;

const PAYLOAD = Buffer.from(
  JSON.stringify({ note: 'fictional benchmark payload', data: 'x'.repeat(2048) }).slice(0, 2048),
);

interface Measured {
  opsPerSecond: number;
  opsPerCpuSecond: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Run `op` for DURATION_MS with `inFlight` workers, REPETITIONS times; median ops/s and ops/CPU-s. */
async function measure(op: () => unknown, inFlight = 1): Promise<Measured> {
  const deadline = Date.now() + 150;
  while (Date.now() < deadline) await op();
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let r = 0; r < REPETITIONS; r++) {
    let count = 0;
    const cpu = process.cpuUsage();
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
    rates.push(count / seconds);
    cpuRates.push(count / ((used.user + used.system) / 1e6));
  }
  return { opsPerSecond: median(rates), opsPerCpuSecond: median(cpuRates) };
}

const nullReplayStore: ReplayStore = { remember: async () => 'first', purgeExpired: async () => 0 };

function keyPairFor(alg: SignatureAlgorithm): { privateKey: KeyObject; publicKey: KeyObject } {
  if (alg === 'EdDSA') return generateKeyPairSync('ed25519');
  if (alg === 'ES256') return generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
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

interface Row {
  readonly operation: string;
  readonly raw: Measured;
  readonly joseSequential: Measured;
  readonly jose32: Measured;
  readonly fullVerifier?: { sequential: Measured; inFlight32: Measured };
}

async function signatureRows(alg: SignatureAlgorithm): Promise<Row[]> {
  const pair = keyPairFor(alg);
  const jwk = pair.privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const privateKey = await importKey(jwk, alg, 'private');
  const publicKey = await importKey(jwk, alg, 'public');
  const signingKey = { kid: `bench-${alg}`, alg, privateKey };
  const params = {
    contentType: 'application/json',
    messageId: randomUUID(),
    messageType: 'AEO_STATUS_DELTA' as const,
    issuer: 'CN-GACC' as const,
    audience: 'KZ-SRC' as const,
    issuedAt: new Date(),
  };
  const token = await signMessage(PAYLOAD, params, signingKey);
  const [h, p, s] = token.split('.') as [string, string, string];
  const signingInput = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s, 'base64url');
  const rawSignOnce = rawSigner(alg, pair.privateKey);
  const rawVerifyOnce = rawVerifier(alg, pair.publicKey);
  if (!rawVerifyOnce(signingInput, signature)) throw new Error(`raw ${alg} does not verify jose's signature`);

  const registry = await PartnerKeyRegistry.fromJwks({
    cn: {
      keys: [
        { ...(pair.publicKey.export({ format: 'jwk' }) as object), kid: `bench-${alg}`, alg, use: 'sig' },
      ],
    },
  });
  const partner: PartnerTrustContext = {
    partner: 'cn',
    programme: 'CN-GACC',
    contentType: 'application/json',
    security: {
      signatureAlgorithms: [alg],
      outboundSignatureAlgorithm: alg,
      encryption: { required: false, keyManagementAlgorithm: 'ECDH-ES+A256KW', contentEncryption: 'A256GCM' },
      jwksFile: '-',
      maxClockSkewSeconds: 300,
      maxMessageAgeSeconds: 86_400,
    },
  };
  const verifier = new MessageVerifier({
    ourProgramme: 'KZ-SRC',
    partnerKeys: registry,
    replayStore: nullReplayStore,
    clock: systemClock,
  });

  const joseSign = () => signMessage(PAYLOAD, params, signingKey);
  const joseVerify = () =>
    compactVerify(token, publicKey, { algorithms: [alg], crit: { ...JOSE_CRIT_OPTION } });
  const fullVerify = () => verifier.verify(token, partner);
  return [
    {
      operation: `${alg} sign`,
      raw: await measure(() => rawSignOnce(signingInput)),
      joseSequential: await measure(joseSign),
      jose32: await measure(joseSign, IN_FLIGHT),
    },
    {
      operation: `${alg} verify`,
      raw: await measure(() => rawVerifyOnce(signingInput, signature)),
      joseSequential: await measure(joseVerify),
      jose32: await measure(joseVerify, IN_FLIGHT),
      fullVerifier: {
        sequential: await measure(fullVerify),
        inFlight32: await measure(fullVerify, IN_FLIGHT),
      },
    },
  ];
}

async function encryptionRows(curve: 'P-256' | 'X25519'): Promise<Row[]> {
  const pair =
    curve === 'X25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = pair.privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const recipient = { kid: 'bench-enc', key: await importKey(jwk, 'ECDH-ES+A256KW', 'public') };
  const privateKey = await importKey(jwk, 'ECDH-ES+A256KW', 'private');
  const jws = `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${PAYLOAD.toString('base64url')}.${'A'.repeat(86)}`;
  const jwe = await encryptJws(jws, recipient);
  const ephemeral = () =>
    curve === 'X25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const staticEphemeral = ephemeral();
  const encrypt = () => encryptJws(jws, recipient);
  const decrypt = () => compactDecrypt(jwe, privateKey);
  return [
    {
      operation: `JWE ${curve} encrypt`,
      raw: await measure(() =>
        diffieHellman({ privateKey: ephemeral().privateKey, publicKey: pair.publicKey }),
      ),
      joseSequential: await measure(encrypt),
      jose32: await measure(encrypt, IN_FLIGHT),
    },
    {
      operation: `JWE ${curve} decrypt`,
      raw: await measure(() =>
        diffieHellman({ privateKey: pair.privateKey, publicKey: staticEphemeral.publicKey }),
      ),
      joseSequential: await measure(decrypt),
      jose32: await measure(decrypt, IN_FLIGHT),
    },
  ];
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}x`;

function printTable(rows: Row[]): void {
  const header = [
    'operation',
    'raw node:crypto',
    'jose seq',
    'raw/jose',
    `jose x${IN_FLIGHT} (per CPU-s)`,
    `x${IN_FLIGHT}/seq`,
    `MessageVerifier seq / x${IN_FLIGHT}`,
  ];
  const lines = rows.map((r) => [
    r.operation,
    fmt(r.raw.opsPerSecond),
    fmt(r.joseSequential.opsPerSecond),
    ratio(r.raw.opsPerSecond, r.joseSequential.opsPerSecond),
    `${fmt(r.jose32.opsPerSecond)} (${fmt(r.jose32.opsPerCpuSecond)})`,
    ratio(r.jose32.opsPerSecond, r.joseSequential.opsPerSecond),
    r.fullVerifier
      ? `${fmt(r.fullVerifier.sequential.opsPerSecond)} / ${fmt(r.fullVerifier.inFlight32.opsPerSecond)}`
      : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const out = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(out(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const line of lines) console.log(out(line));
}

const rows: Row[] = [];
for (const alg of ['EdDSA', 'ES256', 'PS256'] as const) rows.push(...(await signatureRows(alg)));
for (const curve of ['P-256', 'X25519'] as const) rows.push(...(await encryptionRows(curve)));

console.log(
  `\ntrust-bench: ${PAYLOAD.length}-byte payload, ${DURATION_MS} ms x ${REPETITIONS} repetitions per cell (median), ops/s; node ${process.version}, ${cpus().length} CPUs\n`,
);
printTable(rows);
console.log(
  '\nraw = synchronous node:crypto on the same signing input (JWE: the ECDH floor); raw/jose = how many times faster the floor is than jose one at a time.',
);

const resultsDir = repoPath('bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `trust-bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ node: process.version, cpus: cpus().length, payloadBytes: PAYLOAD.length, durationMs: DURATION_MS, repetitions: REPETITIONS, inFlight: IN_FLIGHT, rows }, null, 2)}\n`,
);
console.log(`\nwritten ${file}`);
