#!/usr/bin/env node
/**
 * Standalone verifier of an MRA gateway audit export (`mra audit export`).
 *
 *   node verify-audit-export.mjs EXPORT_DIR [--jwks TRUSTED_JWKS.json] [--json]
 *
 * Needs only Node.js (18 or later) and nothing from the gateway: it uses node:crypto for
 * SHA-256 and for the checkpoint signatures (ES256, ES384, EdDSA, RS256, PS256), and
 * node:fs to read the files. It checks, in order:
 *
 *   1. every file against manifest.json (and SHA256SUMS), and that no file was added;
 *   2. the hash chain over the exported entries: consecutive seq, each prevHash equal to
 *      the previous entry's hash (the first one to manifest.entries.prevHash), and each
 *      hash = SHA-256(prevHash || canonical JSON of the entry without "hash");
 *   3. every exported payload against the SHA-256 its entry records;
 *   4. every checkpoint's JWS signature, and that the entry at the checkpoint's seq has the
 *      head hash the checkpoint signs.
 *
 * Keys: with --jwks, the checkpoints must verify with those keys (obtain them from the
 * gateway operator's published JWKS, not from the export). Without it, the JWKS inside
 * checkpoints.json is used and its key thumbprints are printed for comparison.
 *
 * Exit status: 0 verified, 1 verification failed, 2 usage error or unreadable export.
 * The canonical encoding is documented in docs/audit.md ("Entry encoding").
 */
import { createHash, createPublicKey, constants, verify } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const FIELDS = [
  'seq',
  'recordedAt',
  'direction',
  'partner',
  'messageId',
  'correlationId',
  'aeoId',
  'type',
  'outcome',
  'actor',
  'keyId',
  'payloadSha256',
  'details',
  'prevHash',
  'hash',
];
const NULLABLE = new Set([
  'partner',
  'messageId',
  'correlationId',
  'aeoId',
  'actor',
  'keyId',
  'payloadSha256',
]);
const HEX64 = /^[0-9a-f]{64}$/;

class UsageError extends Error {}
class HelpRequested extends Error {}

function parseArgs(argv) {
  const args = { dir: undefined, jwks: undefined, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--jwks') args.jwks = argv[++i];
    else if (arg === '--json') args.json = true;
    else if (arg === '-h' || arg === '--help') throw new HelpRequested();
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (args.dir === undefined) args.dir = arg;
    else throw new UsageError(`unexpected argument ${arg}`);
  }
  if (!args.dir) throw new UsageError('missing EXPORT_DIR');
  if (args.jwks === undefined && argv.includes('--jwks')) throw new UsageError('--jwks needs a file');
  return args;
}

/** RFC 8785-style canonical JSON: sorted keys (UTF-16 code units), no whitespace, ECMAScript numbers and strings. */
function canonical(value) {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error('non-finite number');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
      return `{${Object.keys(value)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
        .join(',')}}`;
    default:
      throw new Error(`${typeof value} is not JSON`);
  }
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

async function sha256File(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

async function* lines(path) {
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
    rest += chunk;
    let at;
    while ((at = rest.indexOf('\n')) >= 0) {
      yield rest.slice(0, at);
      rest = rest.slice(at + 1);
    }
  }
  if (rest !== '') yield rest;
}

/** RFC 4180 records, streamed: quoted fields may hold commas, doubled quotes and line breaks. */
async function* csvRecords(path) {
  let field = '';
  let record = [];
  let quoted = false;
  let afterQuote = false;
  let any = false;
  for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      any = true;
      if (quoted) {
        if (c === '"') {
          quoted = false;
          afterQuote = true;
        } else field += c;
        continue;
      }
      if (c === '"') {
        if (afterQuote) field += '"';
        else if (field !== '') throw new Error('a quote inside an unquoted CSV field');
        quoted = true;
        afterQuote = false;
        continue;
      }
      afterQuote = false;
      if (c === ',') {
        record.push(field);
        field = '';
      } else if (c === '\n') {
        record.push(field.endsWith('\r') ? field.slice(0, -1) : field);
        yield record;
        record = [];
        field = '';
        any = false;
      } else field += c;
    }
  }
  if (quoted) throw new Error('unterminated quoted CSV field');
  if (any) {
    record.push(field);
    yield record;
  }
}

async function* entries(dir, manifest) {
  const path = join(dir, manifest.entries.file);
  if (manifest.entries.format === 'jsonl') {
    let line = 0;
    for await (const text of lines(path)) {
      line++;
      if (text === '') continue;
      let entry;
      try {
        entry = JSON.parse(text);
      } catch {
        yield { line, error: 'not JSON' };
        continue;
      }
      let again;
      try {
        again = canonical(entry);
      } catch (error) {
        yield { line, error: error.message };
        continue;
      }
      if (again !== text) yield { line, error: 'not in canonical form (edited by hand?)' };
      else yield { line, entry };
    }
    return;
  }
  if (manifest.entries.format === 'csv') {
    let line = 0;
    for await (const record of csvRecords(path)) {
      line++;
      if (line === 1) {
        if (record.join(',') !== FIELDS.join(','))
          throw new Error(`entries.csv: header is not ${FIELDS.join(',')}`);
        continue;
      }
      if (record.length !== FIELDS.length) {
        yield { line, error: `${record.length} fields, expected ${FIELDS.length}` };
        continue;
      }
      const entry = {};
      FIELDS.forEach((name, i) => {
        const value = record[i];
        if (name === 'seq' || name === 'recordedAt')
          entry[name] = /^\d{1,16}$/.test(value) ? Number(value) : value;
        else if (name === 'details') entry[name] = value;
        else entry[name] = NULLABLE.has(name) && value === '' ? null : value;
      });
      try {
        entry.details = JSON.parse(entry.details);
      } catch {
        yield { line, error: 'details is not JSON' };
        continue;
      }
      yield { line, entry };
    }
    return;
  }
  throw new Error(`unknown entries format ${manifest.entries.format}`);
}

function shapeError(entry) {
  const keys = Object.keys(entry).sort();
  const expected = [...FIELDS].sort();
  if (keys.join(',') !== expected.join(',')) return `fields are ${keys.join(',')}`;
  if (!Number.isSafeInteger(entry.seq) || entry.seq < 1) return 'seq is not a positive integer';
  if (!Number.isSafeInteger(entry.recordedAt)) return 'recordedAt is not an integer';
  if (!HEX64.test(entry.hash) || !HEX64.test(entry.prevHash)) return 'hash or prevHash is not 64 hex digits';
  if (entry.payloadSha256 !== null && !HEX64.test(entry.payloadSha256))
    return 'payloadSha256 is not 64 hex digits';
  if (typeof entry.details !== 'object' || entry.details === null || Array.isArray(entry.details))
    return 'details is not an object';
  for (const name of FIELDS) {
    if (['seq', 'recordedAt', 'details'].includes(name)) continue;
    if (!(typeof entry[name] === 'string' || (NULLABLE.has(name) && entry[name] === null)))
      return `${name} is not a string`;
  }
  return null;
}

const b64u = (text) => Buffer.from(text, 'base64url');

function verifyJws(jws, keys) {
  const parts = jws.split('.');
  if (parts.length !== 3) return { error: 'not a compact JWS' };
  let header;
  let statement;
  try {
    header = JSON.parse(b64u(parts[0]).toString('utf8'));
    statement = JSON.parse(b64u(parts[1]).toString('utf8'));
  } catch {
    return { error: 'header or payload is not base64url JSON' };
  }
  const jwk = keys.get(header.kid);
  if (!jwk) return { error: `no key for kid '${header.kid}'` };
  const data = Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii');
  const signature = b64u(parts[2]);
  let key;
  try {
    key = createPublicKey({ key: jwk, format: 'jwk' });
  } catch (error) {
    return { error: `key '${header.kid}' is not a usable public JWK: ${error.message}` };
  }
  const kty = `${jwk.kty}/${jwk.crv ?? ''}`;
  let ok;
  switch (header.alg) {
    case 'ES256':
      ok = kty === 'EC/P-256' && verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      break;
    case 'ES384':
      ok = kty === 'EC/P-384' && verify('sha384', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      break;
    case 'EdDSA':
    case 'Ed25519':
      ok = kty === 'OKP/Ed25519' && verify(null, data, key, signature);
      break;
    case 'RS256':
      ok = jwk.kty === 'RSA' && verify('sha256', data, key, signature);
      break;
    case 'PS256':
      ok =
        jwk.kty === 'RSA' &&
        verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
      break;
    default:
      return { error: `algorithm '${header.alg}' is not accepted` };
  }
  if (!ok) return { error: `signature does not verify with key '${header.kid}'` };
  return { header, statement };
}

/** RFC 7638 thumbprint, for comparing keys with the operator's published JWKS. */
function thumbprint(jwk) {
  const members =
    { EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'], RSA: ['e', 'kty', 'n'] }[jwk.kty] ?? [];
  const required = Object.fromEntries(members.map((name) => [name, jwk[name]]));
  return createHash('sha256').update(canonical(required)).digest('base64url');
}

function listFiles(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      for (const inner of readdirSync(path)) files.push(`${name}/${inner}`);
    } else files.push(name);
  }
  return files;
}

async function verifyExport(dir, trustedJwksPath) {
  const errors = [];
  const warnings = [];
  const notes = [];
  const fail = (message) => {
    if (errors.length < 50) errors.push(message);
  };
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new UsageError(`${manifestPath} not found`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.format !== 'mra-audit-export' || manifest.version !== 1) {
    throw new UsageError('manifest.json is not an mra-audit-export version 1 manifest');
  }

  // 1. Files
  const listed = new Set(Object.keys(manifest.files));
  for (const [path, expected] of Object.entries(manifest.files)) {
    const full = join(dir, path);
    if (!existsSync(full)) fail(`file ${path} is missing`);
    else if ((await sha256File(full)) !== expected) fail(`file ${path}: SHA-256 differs from manifest.json`);
  }
  for (const path of listFiles(dir)) {
    if (!listed.has(path) && path !== 'manifest.json' && path !== 'SHA256SUMS')
      fail(`file ${path} is not listed in manifest.json`);
  }
  const sumsPath = join(dir, 'SHA256SUMS');
  if (existsSync(sumsPath)) {
    for (const line of readFileSync(sumsPath, 'utf8').split('\n').filter(Boolean)) {
      const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
      if (!match) fail(`SHA256SUMS: malformed line '${line}'`);
      else if (!existsSync(join(dir, match[2])) || (await sha256File(join(dir, match[2]))) !== match[1]) {
        fail(`SHA256SUMS: ${match[2]} does not match`);
      }
    }
  } else warnings.push('SHA256SUMS is missing');

  // 2. Chain (and 3. payloads of in-scope entries)
  const { firstSeq, lastSeq, prevHash: firstPrev, count } = manifest.entries;
  const partner = manifest.request.partner;
  const notStored = new Set(manifest.payloads.notStored);
  const referenced = new Set();
  const hashes = new Map();
  let expectedSeq = firstSeq;
  let prev = firstPrev;
  let prevTime = -Infinity;
  let seen = 0;
  let chainBroken = false;
  let payloadsChecked = 0;
  for await (const item of entries(dir, manifest)) {
    if (chainBroken) break;
    const where = `${manifest.entries.file} line ${item.line}`;
    if (item.error) {
      fail(`${where}: ${item.error}`);
      chainBroken = true;
      break;
    }
    const entry = item.entry;
    const shape = shapeError(entry);
    if (shape) {
      fail(`${where}: ${shape}`);
      chainBroken = true;
      break;
    }
    const { hash, ...content } = entry;
    const recomputed = sha256(entry.prevHash + canonical(content));
    let problem = null;
    if (entry.seq !== expectedSeq)
      problem = `expected seq ${expectedSeq}, found ${entry.seq} (entries missing, inserted or reordered)`;
    else if (entry.prevHash !== prev)
      problem = `prevHash does not equal the hash of entry ${entry.seq - 1} (${prev})`;
    else if (recomputed !== hash)
      problem = `content hashes to ${recomputed}, but the entry says ${hash} (entry altered)`;
    else if (entry.recordedAt < prevTime) problem = 'recordedAt goes backwards';
    if (problem) {
      fail(`chain broken at seq ${expectedSeq} (${where}): ${problem}`);
      chainBroken = true;
      break;
    }
    hashes.set(entry.seq, hash);
    if ((partner === null || entry.partner === partner) && entry.payloadSha256 !== null) {
      referenced.add(entry.payloadSha256);
      const file = join(dir, 'payloads', entry.payloadSha256);
      if (existsSync(file)) {
        payloadsChecked++;
        if ((await sha256File(file)) !== entry.payloadSha256) {
          fail(
            `payload of entry ${entry.seq} (payloads/${entry.payloadSha256}) does not hash to the SHA-256 the entry records`,
          );
        }
      } else if (!notStored.has(entry.payloadSha256)) {
        fail(`payload of entry ${entry.seq} (payloads/${entry.payloadSha256}) is missing`);
      }
    }
    prev = hash;
    prevTime = entry.recordedAt;
    expectedSeq++;
    seen++;
  }
  if (!chainBroken) {
    if (seen !== count) fail(`manifest says ${count} entries, the file holds ${seen}`);
    if (count > 0 && expectedSeq - 1 !== lastSeq)
      fail(`manifest says the last seq is ${lastSeq}, the file ends at ${expectedSeq - 1}`);
  }
  for (const path of listFiles(dir).filter((name) => name.startsWith('payloads/'))) {
    if (!referenced.has(path.slice('payloads/'.length)))
      fail(`${path} is not referenced by any in-scope entry`);
  }

  // 4. Checkpoints
  const checkpointsDoc = JSON.parse(readFileSync(join(dir, 'checkpoints.json'), 'utf8'));
  const trusted = trustedJwksPath ? JSON.parse(readFileSync(trustedJwksPath, 'utf8')) : checkpointsDoc.jwks;
  const keys = new Map((trusted.keys ?? []).map((jwk) => [jwk.kid, jwk]));
  if (!trustedJwksPath) {
    for (const jwk of trusted.keys ?? []) {
      warnings.push(
        `keys taken from the export itself: compare kid '${jwk.kid}' thumbprint ${thumbprint(jwk)} with the gateway's published JWKS (or pass --jwks)`,
      );
    }
  }
  let covered = null;
  for (const checkpoint of checkpointsDoc.checkpoints) {
    const result = verifyJws(checkpoint.jws, keys);
    if (result.error) {
      fail(`checkpoint ${checkpoint.seq}: ${result.error}`);
      continue;
    }
    const { statement } = result;
    if (statement.seq !== checkpoint.seq || statement.headHash !== checkpoint.headHash) {
      fail(
        `checkpoint ${checkpoint.seq}: checkpoints.json says seq ${checkpoint.seq} / ${checkpoint.headHash}, the JWS signs seq ${statement.seq} / ${statement.headHash}`,
      );
      continue;
    }
    if (count > 0 && statement.seq >= firstSeq && statement.seq <= lastSeq) {
      const hash = hashes.get(statement.seq);
      if (hash === undefined) {
        if (!chainBroken) fail(`checkpoint ${statement.seq}: no exported entry has that seq`);
      } else if (hash !== statement.headHash) {
        fail(
          `checkpoint ${statement.seq}: signed head hash ${statement.headHash}, but entry ${statement.seq} hashes to ${hash}`,
        );
      } else covered = Math.max(covered ?? 0, statement.seq);
    } else {
      warnings.push(
        `checkpoint ${statement.seq} lies outside the exported entries and was not compared with them`,
      );
    }
  }
  if (count > 0 && !chainBroken) {
    if (covered === null) warnings.push(`no signed checkpoint covers entries ${firstSeq}..${lastSeq}`);
    else if (covered < lastSeq)
      warnings.push(`entries ${covered + 1}..${lastSeq} come after the last signed checkpoint (${covered})`);
  }
  notes.push(
    `entries ${count > 0 ? `${firstSeq}..${lastSeq}` : '(none)'}: ${seen} checked, chained to ${firstPrev ?? 'nothing'}`,
    `payloads: ${payloadsChecked} checked${notStored.size > 0 ? `, ${notStored.size} not stored by the gateway (metadata-only)` : ''}`,
    `checkpoints: ${checkpointsDoc.checkpoints.length} signature(s) checked, entries covered through seq ${covered ?? '-'}`,
  );
  return {
    ok: errors.length === 0,
    errors,
    warnings,
    notes,
    range: { firstSeq, lastSeq },
    coveredThroughSeq: covered,
  };
}

const USAGE = 'usage: node verify-audit-export.mjs EXPORT_DIR [--jwks TRUSTED_JWKS.json] [--json]';

try {
  const args = parseArgs(process.argv.slice(2));
  const result = await verifyExport(args.dir, args.jwks);
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    for (const note of result.notes) process.stdout.write(`  ${note}\n`);
    for (const warning of result.warnings) process.stdout.write(`warning: ${warning}\n`);
    for (const error of result.errors) process.stdout.write(`FAILED: ${error}\n`);
    process.stdout.write(result.ok ? 'VERIFIED: the export is intact\n' : 'NOT VERIFIED\n');
  }
  process.exitCode = result.ok ? 0 : 1;
} catch (error) {
  if (error instanceof HelpRequested) {
    process.stdout.write(`${USAGE}\n`);
  } else {
    process.stderr.write(
      error instanceof UsageError ? `${error.message}\n${USAGE}\n` : `error: ${error.message}\n`,
    );
    process.exitCode = 2;
  }
}
