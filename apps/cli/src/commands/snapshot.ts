import { GatewayError } from '@aeo/domain';
import { loadMraConfigs } from '@aeo/registry';
import { Option, type Command } from 'commander';
import { action, writeStdout } from '../cli-io.js';
import { openCliDatabase } from '../database.js';
import { progressReporter } from '../progress.js';
import { cliExchangeRuntime } from '../runtime.js';

/**
 * `mra snapshot --partner cn`: a full snapshot of our register to one partner, as the MRA's
 * schedule would send it (chunked by its chunk size and the partner's byte limit). The chunks
 * are sealed here and released together in the gateway database's outbox; the running
 * gateway's relay publishes them. Progress (chunks sealed and held) goes to stderr.
 */
export function registerSnapshotCommands(program: Command): void {
  program
    .command('snapshot')
    .description("send a full snapshot of our register to one partner (queued in the gateway database's outbox)")
    .requiredOption('--partner <code>', 'the partner (config/mra/<code>.yaml)')
    .addOption(new Option('--environment <environment>', 'production or pilot records').choices(['production', 'pilot']).default('production'))
    .option('--actor <name>', 'who sends it, for the audit log', process.env.USER ?? 'operator')
    .action(
      action(async (options: { partner: string; environment: 'production' | 'pilot'; actor: string }) => {
        const mra = loadMraConfigs();
        if (!mra.has(options.partner)) {
          throw new GatewayError('INVALID_VALUE', `no MRA with ${options.partner}; known: ${[...mra.keys()].join(', ')}`, '--partner');
        }
        const dataSource = await openCliDatabase();
        try {
          const runtime = await cliExchangeRuntime(dataSource, mra);
          const result = await runtime.sendSnapshot(options.partner, options.environment, options.actor, progressReporter('snapshot chunks'));
          if (!result) throw new GatewayError('NOT_FOUND', `no partner adapter for ${options.partner}`, '--partner');
          const summary = {
            partner: options.partner,
            environment: options.environment,
            snapshotId: result.snapshotId,
            records: result.records.length,
            chunks: result.queued.map((chunk) => ({ messageId: chunk.messageId, records: chunk.records })),
            notSent: result.notSent,
          };
          writeStdout(`${JSON.stringify(summary, null, 2)}\n`);
          return 0;
        } finally {
          await dataSource.destroy();
        }
      }),
    );
}
