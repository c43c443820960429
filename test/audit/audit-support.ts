/**
 * Helpers for the audit-log tests: a migrated database, a real ES256 checkpoint signer
 * (the trust library provides the production one), and raw SQL "as an attacker with DBA
 * rights", who first switches off the append-only triggers.
 */
import { CompactSign, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { DataSource } from 'typeorm';
import { openDataSource } from '@aeo/persistence';
import {
  auditEntities,
  auditMigrations,
  jwksKeyResolver,
  type AuditEntryInput,
  type AuditKeyResolver,
  type CheckpointSigner,
} from '@aeo/audit';
import type { TestDatabase } from '../support/databases.js';

export async function openAuditDatabase(db: TestDatabase, poolSize?: number): Promise<DataSource> {
  return openDataSource({
    url: db.url,
    entities: auditEntities,
    migrations: auditMigrations,
    ...(poolSize === undefined ? {} : { poolSize }),
  });
}

export interface TestSigner {
  readonly signer: CheckpointSigner;
  readonly publicJwk: JWK;
  readonly resolveKey: AuditKeyResolver;
  readonly jwks: { keys: JWK[] };
}

export async function es256Signer(kid = 'kz-src-audit-2026-01'): Promise<TestSigner> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const jwks = { keys: [publicJwk] };
  return {
    signer: {
      kid,
      sign: (payload) => new CompactSign(payload).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey),
    },
    publicJwk,
    resolveKey: jwksKeyResolver(jwks),
    jwks,
  };
}

export async function ed25519Signer(kid = 'kz-src-audit-ed-1'): Promise<TestSigner> {
  const { privateKey, publicKey } = await generateKeyPair('Ed25519', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const jwks = { keys: [publicJwk] };
  return {
    signer: {
      kid,
      sign: (payload) => new CompactSign(payload).setProtectedHeader({ alg: 'EdDSA', kid }).sign(privateKey),
    },
    publicJwk,
    resolveKey: jwksKeyResolver(jwks),
    jwks,
  };
}

/** Realistic traffic: received and sent messages with their bytes, verifications, decisions. */
export function sampleEntries(count: number, offset = 0): AuditEntryInput[] {
  const partners = ['cn', 'kr', 'tr', 'eaeu'];
  return Array.from({ length: count }, (_, i) => {
    const n = offset + i;
    const partner = partners[n % partners.length];
    const messageId = `msg-${partner}-${String(n).padStart(6, '0')}`;
    switch (n % 4) {
      case 0:
        return {
          direction: 'IN',
          type: 'MESSAGE_RECEIVED',
          outcome: 'ACCEPTED',
          partner,
          messageId,
          correlationId: `corr-${n}`,
          aeoId: `${partner.toUpperCase()}AEO${String(n % 50).padStart(4, '0')}`,
          keyId: `${partner}-sig-1`,
          payload: Buffer.from(`{"messageId":"${messageId}","status":"ACTIVE","n":${n}}`),
          details: { messageType: 'AEO_STATUS_DELTA', records: 1 },
        } satisfies AuditEntryInput;
      case 1:
        return {
          direction: 'INTERNAL',
          type: 'VERIFICATION',
          outcome: n % 20 === 1 ? 'SIGNATURE_INVALID' : 'VALID',
          partner,
          messageId: `msg-${partner}-${String(n - 1).padStart(6, '0')}`,
          keyId: `${partner}-sig-1`,
          details: { alg: 'ES256' },
        } satisfies AuditEntryInput;
      case 2:
        return {
          direction: 'OUT',
          type: 'MESSAGE_SENT',
          outcome: 'SENT',
          partner,
          messageId,
          correlationId: `corr-${n}`,
          payload: Buffer.from(
            `<AEOStatusDelta id="${messageId}"><Status>SUSPENDED</Status></AEOStatusDelta>`,
          ),
          details: { attempt: 1 },
        } satisfies AuditEntryInput;
      default:
        return {
          direction: 'INTERNAL',
          type: 'RECOGNITION_DECISION',
          outcome: 'RECOGNISED',
          partner,
          aeoId: `${partner.toUpperCase()}AEO${String(n % 50).padStart(4, '0')}`,
          actor: 'risk-system',
          details: { benefits: ['REDUCED_INSPECTIONS'], at: '2026-11-28' },
        } satisfies AuditEntryInput;
    }
  });
}

/** `?` placeholders on both databases. */
export async function rawQuery<T = Record<string, unknown>>(
  dataSource: DataSource,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  let n = 0;
  const statement = dataSource.options.type === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text;
  return dataSource.query<T[]>(statement, params);
}

/**
 * Run statements the way an attacker with DBA rights would: append-only triggers off first
 * (PostgreSQL: ALTER TABLE ... DISABLE TRIGGER; SQLite: DROP TRIGGER), back on afterwards
 * on PostgreSQL so the damage is quiet.
 */
export async function asAttacker(
  dataSource: DataSource,
  statements: Array<[string, unknown[]?]>,
): Promise<void> {
  const postgres = dataSource.options.type === 'postgres';
  const tables = ['audit_entry', 'audit_checkpoint', 'audit_payload'];
  if (postgres) {
    for (const table of tables) await dataSource.query(`ALTER TABLE "${table}" DISABLE TRIGGER USER`);
  } else {
    for (const table of tables) {
      await dataSource.query(`DROP TRIGGER IF EXISTS "${table}_no_update"`);
      await dataSource.query(`DROP TRIGGER IF EXISTS "${table}_no_delete"`);
    }
  }
  try {
    for (const [text, params] of statements) await rawQuery(dataSource, text, params ?? []);
  } finally {
    if (postgres)
      for (const table of tables) await dataSource.query(`ALTER TABLE "${table}" ENABLE TRIGGER USER`);
  }
}

/** Move every entry from `seq` on up by one, leaving a hole at `seq` (seq is the primary key). */
export function shiftUpFrom(seq: number): Array<[string, unknown[]?]> {
  return [
    [`UPDATE "audit_entry" SET "seq" = -"seq" WHERE "seq" >= ?`, [seq]],
    [`UPDATE "audit_entry" SET "seq" = 1 - "seq" WHERE "seq" < 0`],
  ];
}

/** Close the hole at `seq` by moving every later entry down by one. */
export function shiftDownAfter(seq: number): Array<[string, unknown[]?]> {
  return [
    [`UPDATE "audit_entry" SET "seq" = -"seq" WHERE "seq" > ?`, [seq]],
    [`UPDATE "audit_entry" SET "seq" = -"seq" - 1 WHERE "seq" < 0`],
  ];
}
