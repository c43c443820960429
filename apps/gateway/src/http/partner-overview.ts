import { AuditEntryEntity } from '@aeo/audit';
import { InboundMessageEntity, OutboundMessageEntity } from '@aeo/exchange';
import { mraOperative, type MraConfig } from '@aeo/registry';
import { In, Not, type DataSource } from 'typeorm';

/** The inbound audit entry types that record what happened to a partner's message. */
export const INBOUND_OUTCOME_TYPES = ['MESSAGE_ACCEPTED', 'MESSAGE_REJECTED', 'MESSAGE_DUPLICATE'] as const;

/** Inbound outcomes are counted over this window of the audit log (indexed by time, so it stays fast as the log grows). */
export const INBOUND_WINDOW_DAYS = 7;

export interface PartnerOverview {
  readonly partner: string;
  readonly mra: {
    readonly state: MraConfig['state'];
    readonly operativeToday: boolean;
    readonly version: number;
    readonly legalBasis: string | null;
    readonly inForceFrom: string | null;
    readonly inForceUntil: string | null;
    readonly scope: {
      readonly outboundAuthorisationTypes: readonly string[];
      readonly inboundAuthorisationTypes: readonly string[];
      readonly inboundProgrammes: readonly string[];
    };
    readonly benefits: readonly string[];
    readonly receiptSlaMinutes: number;
    readonly freshnessSlaHours: number;
  };
  readonly lastOutbound: {
    readonly messageId: string;
    readonly messageType: string;
    readonly state: string;
    readonly at: number;
  } | null;
  readonly lastInbound: {
    readonly messageId: string;
    readonly messageType: string;
    readonly at: number;
  } | null;
  readonly lastReceipt: { readonly messageId: string; readonly at: number } | null;
  readonly outboundByState: Record<string, number>;
  readonly inboundByOutcome: { readonly windowDays: number; readonly counts: Record<string, number> };
}

/**
 * What an operator wants to see first about each partner: the arrangement (from
 * config/mra) beside the traffic (outbox, inbox, and the inbound outcomes the audit log
 * recorded — rejected messages never reach the inbox table, so the audit log is where all
 * outcomes are).
 */
export async function partnerOverviews(
  dataSource: DataSource,
  configs: readonly MraConfig[],
  now: number,
): Promise<PartnerOverview[]> {
  const partners = configs.map((c) => c.partner);
  if (partners.length === 0) return [];
  const outboundCounts = await dataSource
    .getRepository(OutboundMessageEntity)
    .createQueryBuilder('o')
    .select(['o.partner AS partner', 'o.state AS state', 'COUNT(*) AS count'])
    .where('o.partner IN (:...partners)', { partners })
    .groupBy('o.partner')
    .addGroupBy('o.state')
    .getRawMany<{ partner: string; state: string; count: string | number }>();
  const inboundCounts = await dataSource
    .getRepository(AuditEntryEntity)
    .createQueryBuilder('a')
    .select(['a.partner AS partner', 'a.outcome AS outcome', 'COUNT(*) AS count'])
    .where('a.recordedAt >= :since', { since: now - INBOUND_WINDOW_DAYS * 86_400_000 })
    .andWhere('a.direction = :direction', { direction: 'IN' })
    .andWhere('a.type IN (:...types)', { types: [...INBOUND_OUTCOME_TYPES] })
    .andWhere('a.partner IN (:...partners)', { partners })
    .groupBy('a.partner')
    .addGroupBy('a.outcome')
    .getRawMany<{ partner: string; outcome: string; count: string | number }>();
  const today = new Date(now).toISOString().slice(0, 10);
  return Promise.all(
    configs.map(async (config) => {
      const [lastOut, lastIn, lastReceipt] = await Promise.all([
        dataSource.getRepository(OutboundMessageEntity).findOne({
          select: { messageId: true, messageType: true, state: true, createdAt: true },
          where: { partner: config.partner, messageType: Not('RECEIPT') },
          order: { createdAt: 'DESC' },
        }),
        dataSource.getRepository(InboundMessageEntity).findOne({
          select: { messageId: true, messageType: true, receivedAt: true },
          where: { partner: config.partner, messageType: Not('RECEIPT') },
          order: { receivedAt: 'DESC' },
        }),
        dataSource.getRepository(InboundMessageEntity).findOne({
          select: { messageId: true, receivedAt: true },
          where: { partner: config.partner, messageType: In(['RECEIPT']) },
          order: { receivedAt: 'DESC' },
        }),
      ]);
      return {
        partner: config.partner,
        mra: {
          state: config.state,
          operativeToday: mraOperative(config, today),
          version: config.version,
          legalBasis: config.legalBasis ?? null,
          inForceFrom: config.inForceFrom ?? null,
          inForceUntil: config.inForceUntil ?? null,
          scope: {
            outboundAuthorisationTypes: config.outbound.sharedAuthorisationTypes,
            inboundAuthorisationTypes: config.inbound.recognisedAuthorisationTypes,
            inboundProgrammes: config.inbound.recognisedProgrammes ?? [],
          },
          benefits: config.inbound.benefits,
          receiptSlaMinutes: config.receiptSlaMinutes,
          freshnessSlaHours: config.freshnessSlaHours,
        },
        lastOutbound: lastOut
          ? {
              messageId: lastOut.messageId,
              messageType: lastOut.messageType,
              state: lastOut.state,
              at: lastOut.createdAt,
            }
          : null,
        lastInbound: lastIn
          ? { messageId: lastIn.messageId, messageType: lastIn.messageType, at: lastIn.receivedAt }
          : null,
        lastReceipt: lastReceipt ? { messageId: lastReceipt.messageId, at: lastReceipt.receivedAt } : null,
        outboundByState: Object.fromEntries(
          outboundCounts.filter((c) => c.partner === config.partner).map((c) => [c.state, Number(c.count)]),
        ),
        inboundByOutcome: {
          windowDays: INBOUND_WINDOW_DAYS,
          counts: Object.fromEntries(
            inboundCounts
              .filter((c) => c.partner === config.partner)
              .map((c) => [c.outcome, Number(c.count)]),
          ),
        },
      };
    }),
  );
}
