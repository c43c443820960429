import { Controller, Get, Inject, Query } from '@nestjs/common';
import { AuditEntryEntity } from '@aeo/audit';
import { GatewayError } from '@aeo/domain';
import { loadMraConfigs } from '@aeo/registry';
import { In, LessThan, type DataSource, type FindOptionsWhere } from 'typeorm';
import type { AuditEntryRow } from '@aeo/audit';
import { Roles } from '../auth/roles.guard.js';
import { DATA_SOURCE } from '../tokens.js';
import { INBOUND_OUTCOME_TYPES } from './partner-overview.js';

export interface InboundMessageView {
  /** The audit entry that recorded the outcome (auditors open it at GET /v1/audit/{seq}). */
  readonly seq: number;
  readonly receivedAt: number;
  readonly partner: string | null;
  readonly messageId: string | null;
  readonly messageType: string | null;
  /** ACCEPTED, DUPLICATE_MESSAGE, or the reason code of the rejection. */
  readonly outcome: string;
}

/**
 * Messages partners sent us, with what became of each (operator, auditor). Read from the
 * audit log, because a rejected message never reaches the inbox table — the audit entry
 * (written in the same transaction as the outcome) is the one record of every outcome.
 */
@Controller('v1/inbound')
export class InboundController {
  private readonly partners = new Set(loadMraConfigs().keys());

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  @Get()
  @Roles('operator', 'auditor')
  async list(
    @Query('partner') partner?: string,
    @Query('outcome') outcome?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    if (partner !== undefined && !this.partners.has(partner))
      throw new GatewayError(
        'INVALID_VALUE',
        `partner must be one of ${[...this.partners].join(', ')}`,
        '/partner',
      );
    if (outcome !== undefined && !/^[A-Z][A-Z0-9_]{0,63}$/.test(outcome))
      throw new GatewayError('INVALID_VALUE', 'outcome must be a reason code (A-Z, 0-9, _)', '/outcome');
    if (cursor !== undefined && !/^\d{1,15}$/.test(cursor))
      throw new GatewayError('INVALID_VALUE', 'cursor must be a seq returned as nextCursor', '/cursor');
    if (limit !== undefined && !/^\d{1,3}$/.test(limit))
      throw new GatewayError('INVALID_VALUE', 'limit must be an integer from 1 to 500', '/limit');
    const take = Math.min(Math.max(Number(limit ?? 100), 1), 500);
    const where: FindOptionsWhere<AuditEntryRow> = {
      direction: 'IN',
      type: In([...INBOUND_OUTCOME_TYPES]),
      ...(partner ? { partner } : {}),
      ...(outcome ? { outcome } : {}),
      ...(cursor ? { seq: LessThan(Number(cursor)) } : {}),
    };
    const rows = await this.dataSource
      .getRepository(AuditEntryEntity)
      .find({ where, order: { seq: 'DESC' }, take: take + 1 });
    const messages = rows.slice(0, take).map(toView);
    return { messages, nextCursor: rows.length > take ? messages[messages.length - 1].seq : null };
  }
}

function toView(row: AuditEntryRow): InboundMessageView {
  return {
    seq: row.seq,
    receivedAt: row.recordedAt,
    partner: row.partner,
    messageId: row.messageId,
    messageType: messageTypeOf(row.details),
    outcome: row.outcome,
  };
}

/** Accepted messages record their type in the entry's details; rejected ones may not have one we could read. */
function messageTypeOf(details: string): string | null {
  try {
    const parsed = JSON.parse(details) as { messageType?: unknown };
    return typeof parsed.messageType === 'string' ? parsed.messageType : null;
  } catch {
    return null;
  }
}
