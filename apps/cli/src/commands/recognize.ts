import { AuditLog } from '@aeo/audit';
import { createRecognitionService, loadMraConfigs } from '@aeo/registry';
import { Option, type Command } from 'commander';
import { action, writeStdout } from '../cli-io.js';
import { openCliDatabase } from '../database.js';

/** `mra recognize <aeoId> [--at TIME]`: the same decision as POST /v1/recognitions, audited the same way. */
export function registerRecognizeCommands(program: Command): void {
  program
    .command('recognize')
    .description('is this declared id a valid AEO of an MRA partner at that time, and which benefits apply?')
    .argument('<aeoId>', 'the AEO id as declared, in any accepted spelling')
    .option('--at <time>', 'arrival time (ISO 8601); default now')
    .option('--declaration <ref>', 'declaration reference', 'CLI')
    .option('--role <role>', 'the operator role on the declaration (canonical role name)')
    .addOption(new Option('--environment <environment>', 'production or pilot registers').choices(['production', 'pilot']).default('production'))
    .option('--actor <name>', 'who asks, for the audit log', process.env.USER ?? 'operator')
    .action(
      action(async (aeoId: string, options: { at?: string; declaration: string; role?: string; environment: 'production' | 'pilot'; actor: string }) => {
        const dataSource = await openCliDatabase();
        try {
          const service = createRecognitionService({ dataSource, mraConfigs: loadMraConfigs() });
          await service.start();
          const decision = await service.recognise({
            declaredAeoId: aeoId,
            declarationReference: options.declaration,
            environment: options.environment,
            ...(options.at ? { arrivalTime: options.at } : {}),
            ...(options.role ? { role: options.role } : {}),
          } as Parameters<typeof service.recognise>[0]);
          await new AuditLog(dataSource).appendOne({
            direction: 'INTERNAL',
            type: 'RECOGNITION_DECISION',
            outcome: decision.reasonCode,
            actor: options.actor,
            partner: decision.partner,
            aeoId: decision.aeoIdNormalized,
            messageId: decision.evidence?.sourceMessageId ?? null,
            details: { ...decision },
          });
          writeStdout(`${JSON.stringify(decision, null, 2)}\n`);
          return decision.recognised ? 0 : 3;
        } finally {
          await dataSource.destroy();
        }
      }),
    );
}
