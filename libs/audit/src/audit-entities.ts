import { EntitySchema, type ValueTransformer } from 'typeorm';

/**
 * TypeORM metadata of the audit tables. The code never loads or saves these through the ORM
 * (appends, verification and search use plain SQL, see audit-sql.ts); the schemas exist so
 * that TypeORM's schema builder can prove the migrations and the model agree.
 *
 * The third table, `audit_payload` (raw message bytes keyed by SHA-256), is deliberately not
 * an entity: its bytes column must be `blob` on SQLite and `bytea` on PostgreSQL, and a
 * TypeORM column has one type for every driver. The migration creates it for both.
 */

/** PostgreSQL returns bigint as a string; the values here stay far below 2^53. */
const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

export interface AuditEntryRow {
  seq: number;
  recordedAt: number;
  direction: string;
  partner: string | null;
  messageId: string | null;
  correlationId: string | null;
  aeoId: string | null;
  type: string;
  outcome: string;
  actor: string | null;
  keyId: string | null;
  payloadSha256: string | null;
  details: string;
  prevHash: string;
  hash: string;
}

export const AuditEntryEntity = new EntitySchema<AuditEntryRow>({
  name: 'AuditEntry',
  tableName: 'audit_entry',
  columns: {
    seq: {
      type: 'bigint',
      primary: true,
      primaryKeyConstraintName: 'PK_audit_entry',
      transformer: bigintAsNumber,
    },
    recordedAt: { name: 'recorded_at', type: 'bigint', transformer: bigintAsNumber },
    direction: { type: 'varchar', length: 8 },
    partner: { type: 'varchar', length: 16, nullable: true },
    messageId: { name: 'message_id', type: 'varchar', length: 200, nullable: true },
    correlationId: { name: 'correlation_id', type: 'varchar', length: 200, nullable: true },
    aeoId: { name: 'aeo_id', type: 'varchar', length: 100, nullable: true },
    type: { type: 'varchar', length: 40 },
    outcome: { type: 'varchar', length: 64 },
    actor: { type: 'varchar', length: 200, nullable: true },
    keyId: { name: 'key_id', type: 'varchar', length: 200, nullable: true },
    payloadSha256: { name: 'payload_sha256', type: 'varchar', length: 64, nullable: true },
    // Text, not jsonb: the hash covers this exact canonical text, and jsonb would re-serialise it.
    details: { type: 'text' },
    prevHash: { name: 'prev_hash', type: 'varchar', length: 64 },
    hash: { type: 'varchar', length: 64 },
  },
  indices: [
    { name: 'IDX_audit_entry_recorded_at', columns: ['recordedAt'] },
    { name: 'IDX_audit_entry_partner_seq', columns: ['partner', 'seq'] },
    { name: 'IDX_audit_entry_aeo_id', columns: ['aeoId'] },
    { name: 'IDX_audit_entry_message_id', columns: ['messageId'] },
    { name: 'IDX_audit_entry_correlation_id', columns: ['correlationId'] },
  ],
});

export interface AuditCheckpointRow {
  seq: number;
  headHash: string;
  createdAt: number;
  kid: string;
  jws: string;
}

export const AuditCheckpointEntity = new EntitySchema<AuditCheckpointRow>({
  name: 'AuditCheckpoint',
  tableName: 'audit_checkpoint',
  columns: {
    seq: {
      type: 'bigint',
      primary: true,
      primaryKeyConstraintName: 'PK_audit_checkpoint',
      transformer: bigintAsNumber,
    },
    headHash: { name: 'head_hash', type: 'varchar', length: 64 },
    createdAt: { name: 'created_at', type: 'bigint', transformer: bigintAsNumber },
    kid: { type: 'varchar', length: 200 },
    jws: { type: 'text' },
  },
});

export const auditEntities = [AuditEntryEntity, AuditCheckpointEntity];
