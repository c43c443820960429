export * from './canonical-json.js';
export {
  AUDIT_DIRECTIONS,
  AUDIT_ENTRY_TYPES,
  AUDIT_FIELD_LIMITS,
  GENESIS_HASH,
  canonicalEntry,
  entryHash,
  isSha256Hex,
  sha256Hex,
  type AuditDirection,
  type AuditEntry,
  type AuditEntryInput,
  type AuditEntryRecord,
  type AuditEntryType,
  type KnownAuditEntryType,
} from './audit-entry.js';
export * from './audit-entities.js';
export * from './migrations/index.js';
export * from './payload-cipher.js';
export { getAuditPayload, type PayloadReadResult } from './payload-store.js';
export * from './checkpoint-jws.js';
export {
  AuditLog,
  auditSinkFor,
  DEFAULT_CHECKPOINT_POLICY,
  DEFAULT_GROUP_COMMIT_MAX_ENTRIES,
  DEFAULT_LOG_ID,
  validateCheckpointPolicy,
  type AuditCheckpoint,
  type AuditHead,
  type AuditLogOptions,
  type CheckpointPolicy,
} from './audit-log.js';
export { AUDIT_CHAIN_LOCK_KEY } from './chain-lock.js';
export { GroupCommit, type BatchCommit } from './group-commit.js';
export * from './audit-verifier.js';
export { canonicalEntrySql } from './verify-page-reader.js';
export * from './audit-query.js';
export * from './audit-export.js';
export * from './mutual-audit.js';
