import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { importRegister } from '@aeo/exchange';
import { loadMraConfigs } from '@aeo/registry';
import { Option, type Command } from 'commander';
import { action, writeStdout } from '../cli-io.js';
import { openCliDatabase } from '../database.js';
import { progressReporter } from '../progress.js';
import { cliExchangeRuntime } from '../runtime.js';

/**
 * `mra register import FILE`: the national register export into the home register. Deltas
 * go to the outbox of the gateway's database; the running gateway's relay publishes them.
 * Needs our keys (MRA_KEYS_DIR, MRA_KEY_PASSPHRASE) because the deltas are signed here.
 */
export function registerRegisterCommands(program: Command): void {
  const register = program.command('register').description('the home AEO register');
  register
    .command('import')
    .description('import a CSV or JSON export of the national register; bad rows are reported, good rows applied')
    .argument('<file>', 'the export (.csv or .json)')
    .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(['csv', 'json']))
    .option('--actor <name>', 'who runs the import, for the audit log', process.env.USER ?? 'operator')
    .addOption(new Option('--environment <environment>', 'production or pilot data').choices(['production', 'pilot']).default('production'))
    .option('--report <file>', 'also write the JSON report to this file')
    .action(
      action(async (file: string, options: { format?: 'csv' | 'json'; actor: string; environment: 'production' | 'pilot'; report?: string }) => {
        const format = options.format ?? (extname(file).toLowerCase() === '.json' ? 'json' : 'csv');
        const text = readFileSync(file, 'utf8');
        const mra = loadMraConfigs();
        const dataSource = await openCliDatabase();
        try {
          const runtime = await cliExchangeRuntime(dataSource, mra);
          const report = await importRegister(text, format, runtime.homeRegister, {
            actor: options.actor,
            environment: options.environment,
            onProgress: progressReporter('import'),
          });
          const json = `${JSON.stringify(report, null, 2)}\n`;
          if (options.report) writeFileSync(options.report, json);
          writeStdout(json);
          return report.rejected.length > 0 ? 2 : 0;
        } finally {
          await dataSource.destroy();
        }
      }),
    );
}
