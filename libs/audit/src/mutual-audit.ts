import { GatewayError } from '@aeo/domain';
import type { EntityManager } from 'typeorm';
import type { AuditEntry } from './audit-entry.js';
import type { AuditLog } from './audit-log.js';
import { sqlOf } from './audit-sql.js';
import { verifyCheckpointJws, type AuditKeyResolver, type CheckpointStatement } from './checkpoint-jws.js';

/**
 * Mutual audit: each side keeps the other's signed heads. We send our checkpoint JWSs to a
 * partner (the messaging layer carries `AuditCheckpoint.jws` as is), and record theirs here,
 * as a CHECKPOINT entry with direction IN in our own chain. Comparing a new head with the
 * last one we hold shows whether the partner's log only grew:
 *
 *   CONSISTENT    seq moved forward (or the same head again)
 *   LOG_FORKED    same seq, different head hash: the partner's log was rewritten
 *   LOG_REGRESSED a lower seq than one they already signed: the partner's log was truncated
 *
 * Both failures are recorded (evidence) and returned; the caller decides whom to alert.
 */
export type PartnerHeadOutcome = 'CONSISTENT' | 'LOG_FORKED' | 'LOG_REGRESSED';

export interface PartnerCheckpointResult {
  readonly outcome: PartnerHeadOutcome;
  readonly statement: CheckpointStatement;
  readonly entry: AuditEntry;
}

export async function recordPartnerCheckpoint(
  log: AuditLog,
  partner: string,
  jws: string,
  resolvePartnerKey: AuditKeyResolver,
  manager: EntityManager,
): Promise<PartnerCheckpointResult> {
  if (partner === '') throw new GatewayError('INVALID_VALUE', 'partner must be a partner code', '/partner');
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error(
      'recordPartnerCheckpoint runs inside the caller transaction that stores the inbound message',
    );
  }
  const decoded = await verifyCheckpointJws(jws, resolvePartnerKey);
  const { statement } = decoded;
  const [previous] = await sqlOf(manager).query<{ details: string }>(
    `SELECT "details" FROM "audit_entry" WHERE "partner" = ? AND "type" = 'CHECKPOINT' AND "direction" = 'IN' ` +
      `AND "outcome" = 'CONSISTENT' ORDER BY "seq" DESC LIMIT 1`,
    [partner],
  );
  let outcome: PartnerHeadOutcome = 'CONSISTENT';
  let held: { checkpointSeq: number; headHash: string } | null = null;
  if (previous) {
    held = JSON.parse(previous.details) as { checkpointSeq: number; headHash: string };
    if (statement.seq < held.checkpointSeq) outcome = 'LOG_REGRESSED';
    else if (statement.seq === held.checkpointSeq && statement.headHash !== held.headHash)
      outcome = 'LOG_FORKED';
  }
  const entry = await log.appendOne(
    {
      direction: 'IN',
      type: 'CHECKPOINT',
      outcome,
      partner,
      keyId: decoded.kid,
      actor: 'gateway',
      details: {
        log: statement.log,
        checkpointSeq: statement.seq,
        headHash: statement.headHash,
        createdAt: statement.createdAt,
        jws,
        ...(held ? { previousSeq: held.checkpointSeq, previousHeadHash: held.headHash } : {}),
      },
    },
    manager,
  );
  return { outcome, statement, entry };
}
