import { AuditLog } from '@aeo/audit';
import { OUTBOUND_STATES } from '@aeo/domain';
import { OutboundMessageEntity } from '@aeo/exchange';
import { DEFAULT_TOPOLOGY, DeadLetterQueue, topologyNames } from '@aeo/messaging';
import { Option, type Command } from 'commander';
import { action, writeStdout } from '../cli-io.js';
import { openCliDatabase } from '../database.js';

function dlq(): DeadLetterQueue {
  return new DeadLetterQueue(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672', topologyNames(process.env.MRA_AMQP_PREFIX || DEFAULT_TOPOLOGY.prefix));
}

/** `mra outbox`, `mra dlq list`, `mra dlq replay`: what is waiting, what was parked, and putting it back. */
export function registerOperationsCommands(program: Command): void {
  program
    .command('outbox')
    .description('outbound messages per partner and state (pending, failed, ...)')
    .option('--partner <partner>', 'only this partner')
    .addOption(new Option('--state <state>', 'only this state').choices([...OUTBOUND_STATES]))
    .option('--limit <n>', 'messages to list', '50')
    .action(
      action(async (options: { partner?: string; state?: (typeof OUTBOUND_STATES)[number]; limit: string }) => {
        const dataSource = await openCliDatabase();
        try {
          const repository = dataSource.getRepository(OutboundMessageEntity);
          const counts = await repository
            .createQueryBuilder('o')
            .select(['o.partner AS partner', 'o.state AS state', 'COUNT(*) AS count'])
            .groupBy('o.partner')
            .addGroupBy('o.state')
            .getRawMany<{ partner: string; state: string; count: string | number }>();
          const messages = await repository.find({
            where: { ...(options.partner ? { partner: options.partner } : {}), ...(options.state ? { state: options.state } : {}) },
            order: { createdAt: 'DESC' },
            take: Math.min(Number(options.limit) || 50, 1000),
          });
          writeStdout(
            `${JSON.stringify({ counts: counts.map((c) => ({ ...c, count: Number(c.count) })), messages: messages.map(({ body: _b, ...m }) => m) }, null, 2)}\n`,
          );
        } finally {
          await dataSource.destroy();
        }
      }),
    );

  const dead = program.command('dlq').description('the dead-letter queue');
  dead
    .command('list')
    .description('messages parked on the dead-letter queue, with reason and attempts')
    .option('--limit <n>', 'messages to list', '100')
    .action(
      action(async (options: { limit: string }) => {
        writeStdout(`${JSON.stringify({ messages: await dlq().list(Math.min(Number(options.limit) || 100, 10_000)) }, null, 2)}\n`);
      }),
    );
  dead
    .command('replay')
    .description("put one parked message back on its partner's inbound queue (audited)")
    .argument('<messageId>', 'the AMQP message id shown by dlq list')
    .option('--actor <name>', 'who replays, for the audit log', process.env.USER ?? 'operator')
    .action(
      action(async (messageId: string, options: { actor: string }) => {
        const replayed = await dlq().replay(messageId);
        if (!replayed) {
          process.stderr.write(`${JSON.stringify({ error: { code: 'NOT_FOUND', message: `no dead letter ${messageId}`, path: null } })}\n`);
          return 2;
        }
        const dataSource = await openCliDatabase();
        try {
          await new AuditLog(dataSource).appendOne({
            direction: 'INTERNAL',
            type: 'OPERATOR_ACTION',
            outcome: 'DLQ_REPLAYED',
            actor: options.actor,
            partner: replayed.partner,
            messageId,
            payloadSha256: replayed.sha256,
            details: { action: 'dlq-replay', reason: replayed.reason, attempts: replayed.attempts, routingKey: replayed.routingKey },
          });
        } finally {
          await dataSource.destroy();
        }
        writeStdout(`${JSON.stringify({ replayed }, null, 2)}\n`);
      }),
    );
}
