/**
 * The console's tests: the built gateway as a process (the way it is deployed; in-process
 * under jest is not possible while CommonJS Nest packages such as @nestjs/throttler are in the
 * module graph) with one API key per role and a reports directory; direct access to the same
 * database and key store for what only the runtime would do (append an audit entry, sign a
 * checkpoint); and a way to park a message on the dead-letter queue whose cause has since
 * been fixed, so that a replay is accepted.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqplib from 'amqplib';
import { AuditLog, type CheckpointSigner } from '@aeo/audit';
import { repoPath } from '@aeo/config';
import { HOME_PROGRAMME, type CanonicalMessage } from '@aeo/domain';
import { topologyNames } from '@aeo/messaging';
import { adapterFor } from '@aeo/partners';
import { openDataSource } from '@aeo/persistence';
import { checkpointSigner } from '@aeo/runtime';
import { GATEWAY_ENTITIES, GATEWAY_MIGRATIONS } from '@aeo/schema';
import { KeyRing, MessageSealer, PartnerKeyRegistry, systemClock } from '@aeo/trust';
import type { DataSource } from 'typeorm';
import { openGatewayKeys } from '../../apps/gateway/src/keys/gateway-keys.js';
import { fictionalRegister } from '../../apps/partner-sim/src/fictional-register.js';
import { startGatewayProcess, type Started } from '../support/processes.js';
import { AMQP_URL } from '../support/rabbit.js';

export const TOKENS = {
  operator: `op-${randomBytes(12).toString('hex')}`,
  auditor: `au-${randomBytes(12).toString('hex')}`,
  'risk-system': `rs-${randomBytes(12).toString('hex')}`,
  'security-officer': `so-${randomBytes(12).toString('hex')}`,
} as const;

export interface ConsoleGateway {
  readonly process: Started;
  readonly url: string;
  /** The gateway's own database, opened a second time by the test. */
  readonly dataSource: DataSource;
  readonly audit: AuditLog;
  /** Signs audit checkpoints with the gateway's key, as its 30 s timer would. */
  checkpointSigner(): Promise<CheckpointSigner>;
  readonly reportsDir: string;
  /** A directory beside the reports directory: nothing in it may ever be served. */
  readonly outsideDir: string;
  stop(): Promise<void>;
}

export async function startConsoleGateway(databaseUrl: string, prefix: string): Promise<ConsoleGateway> {
  const root = mkdtempSync(join(tmpdir(), 'mra-console-'));
  const reportsDir = join(root, 'reports');
  const outsideDir = join(root, 'outside');
  mkdirSync(reportsDir);
  mkdirSync(outsideDir);
  const env = {
    DATABASE_URL: databaseUrl,
    MRA_AMQP_PREFIX: prefix,
    MRA_KEYS_DIR: join(root, 'keys'),
    MRA_KEY_PASSPHRASE: 'console-test-passphrase-not-secret',
    MRA_API_KEYS: Object.entries(TOKENS)
      .map(([role, token]) => `${role.split('-')[0]}-user:${role}:${token}`)
      .join(','),
    MRA_TESTRUN_REPORTS_DIR: reportsDir,
    PORT: '0',
    LOG_LEVEL: 'warn',
  };
  const started = await startGatewayProcess(env);
  const dataSource = await openDataSource({
    url: databaseUrl,
    entities: GATEWAY_ENTITIES,
    migrations: GATEWAY_MIGRATIONS,
  });
  return {
    process: started,
    url: started.url,
    dataSource,
    audit: new AuditLog(dataSource),
    checkpointSigner: async () =>
      checkpointSigner((await openGatewayKeys(env, systemClock)).ring, () => new Date()),
    reportsDir,
    outsideDir,
    async stop() {
      await started.stop();
      await dataSource.destroy();
    },
  };
}

/** A minimal but well-formed JSON test-run report and its HTML twin. */
export function writeReports(dir: string): { json: string; html: string } {
  const report = {
    $schema: 'urn:mra-gateway:schema:v1:testrun-report',
    reportVersion: 1,
    partner: {
      code: 'cn',
      displayName: 'China (GACC)',
      programme: 'CN-GACC',
      wireFormat: 'xml',
      formatStatus: 'assumed',
    },
    target: { kind: 'simulator', broker: 'amqp://127.0.0.1:5672', amqpPrefix: 'test.console' },
    startedAt: '2026-12-01T10:00:00Z',
    finishedAt: '2026-12-01T10:01:00Z',
    durationMs: 60_000,
    summary: { verdict: 'PASSED', total: 1, passed: 1, failed: 0, notApplicable: 0 },
    scenarios: [
      {
        name: 'status-delta',
        title: 'A status delta is acknowledged',
        description: '',
        file: 'x.yaml',
        verdict: 'PASSED',
        reason: null,
        durationMs: 1200,
        steps: [],
        misbehaviour: [],
      },
    ],
  };
  writeFileSync(join(dir, 'cn-2026-12-01.json'), JSON.stringify(report));
  writeFileSync(
    join(dir, 'cn-2026-12-01.html'),
    '<!doctype html><title>cn</title><style>body{color:red}</style><p>report</p>',
  );
  return { json: 'cn-2026-12-01.json', html: 'cn-2026-12-01.html' };
}

/**
 * Put a correctly signed and encrypted status delta from `partner` on the dead-letter queue,
 * as the gateway parks a message it refused (x-mra-reason), for a cause that has since been
 * fixed (the partner's key was imported): replayed, it is accepted and does not come back.
 */
export async function parkFixedMessage(gatewayUrl: string, prefix: string, partner = 'cn'): Promise<string> {
  const adapter = adapterFor(partner);
  const profile = adapter.profile;
  const keyRing = await KeyRing.fromPrivateJwks(
    JSON.parse(readFileSync(repoPath('test', 'keys', 'partners', partner, 'private.jwks.json'), 'utf8')) as {
      keys: Record<string, unknown>[];
    },
  );
  const gatewayJwks: unknown = await (await fetch(`${gatewayUrl}/.well-known/jwks.json`)).json();
  const sealer = new MessageSealer({
    ourProgramme: profile.programme,
    signingKeys: keyRing,
    partnerKeys: await PartnerKeyRegistry.fromJwks({ 'kz-src': gatewayJwks }),
    clock: systemClock,
  });
  const [record] = fictionalRegister(profile.recordProgrammes, 1);
  const envelope = {
    messageId: randomUUID(),
    sender: profile.programme,
    recipient: HOME_PROGRAMME,
    createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    messageType: 'AEO_STATUS_DELTA',
    schemaVersion: '1.0',
    environment: 'production',
  } as CanonicalMessage['envelope'];
  const payload = adapter.encode({
    envelope,
    body: { programme: profile.programme, records: [record] },
  } as unknown as CanonicalMessage).bytes;
  const sealed = await sealer.seal({
    payload,
    messageId: envelope.messageId,
    messageType: 'AEO_STATUS_DELTA',
    // The gateway as the partner sees it: our programme, signing with what the profile agrees for our side.
    partner: {
      partner: 'kz-src',
      programme: HOME_PROGRAMME,
      security: { ...profile.security, signatureAlgorithms: [profile.security.outboundSignatureAlgorithm] },
      contentType: profile.wire.mediaType,
      maxPayloadBytes: profile.limits.maxBytes,
    },
  });
  const names = topologyNames(prefix);
  const connection = await amqplib.connect(AMQP_URL);
  try {
    const channel = await connection.createConfirmChannel();
    channel.publish(
      names.deadLetterExchange,
      names.routingKey(partner, 'AEO_STATUS_DELTA'),
      Buffer.from(sealed.token, 'ascii'),
      {
        persistent: true,
        messageId: envelope.messageId,
        type: 'AEO_STATUS_DELTA',
        contentType: 'application/jose',
        headers: {
          'x-mra-reason': 'KEY_UNKNOWN',
          'x-mra-detail': 'parked before the partner key was imported',
          'x-mra-attempts': 1,
        },
      },
    );
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
  return envelope.messageId;
}

export async function api<T = unknown>(
  gatewayUrl: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; body: T }> {
  const response = await fetch(`${gatewayUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (a console file, an HTML report)
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}
