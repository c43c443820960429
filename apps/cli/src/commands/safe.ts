import { writeFileSync } from 'node:fs';
import { GatewayError } from '@aeo/domain';
import {
  compareSelfAssessments,
  loadSelfAssessment,
  renderComparisonHtml,
  renderComparisonText,
  renderSelfAssessmentText,
  srcSelfAssessmentFile,
} from '@aeo/safe';
import type { Command } from 'commander';
import { action, writeStdout } from '../cli-io.js';

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** A report path the operator got wrong (missing folder, no permission) is bad input, not our fault. */
function writeReport(file: string, html: string): void {
  try {
    writeFileSync(file, html);
  } catch (error) {
    const message = `--report: cannot write ${file}: ${(error as Error).message}`;
    throw new GatewayError('INVALID_VALUE', message, '/--report', { cause: error });
  }
}

/** `mra safe compare` and `mra safe show`: WCO SAFE Framework (2021) self-assessments, side by side. */
export function registerSafeCommands(program: Command): void {
  const safe = program
    .command('safe')
    .description('WCO SAFE Framework of Standards (2021) self-assessments, compared standard by standard');

  safe
    .command('compare')
    .description(
      'set two self-assessments side by side: per standard, per pillar, and the SRC survey recommendation areas',
    )
    .requiredOption('--ours <file>', 'our self-assessment (e.g. config/safe/kz-src-2024.json)')
    .requiredOption('--theirs <file>', "the partner's self-assessment")
    .option('--report <file>', 'also write a self-contained HTML report to this file')
    .option('--json', 'print the comparison as JSON instead of a text table')
    .action(
      action((options: { ours: string; theirs: string; report?: string; json?: boolean }) => {
        const comparison = compareSelfAssessments(
          loadSelfAssessment(options.ours),
          loadSelfAssessment(options.theirs),
        );
        if (options.report !== undefined) {
          const generatedOn = new Date().toISOString().slice(0, 10);
          writeReport(options.report, renderComparisonHtml(comparison, { generatedOn }));
        }
        if (options.json) {
          writeStdout(json(comparison));
          return;
        }
        const reportLine = options.report === undefined ? '' : `\nHTML report written to ${options.report}\n`;
        writeStdout(`${renderComparisonText(comparison)}${reportLine}`);
      }),
    );

  safe
    .command('show')
    .description("print one self-assessment (default: the SRC's, config/safe/kz-src-2024.json)")
    .argument('[file]', 'self-assessment file')
    .option('--json', 'print the validated file as JSON')
    .action(
      action((file: string | undefined, options: { json?: boolean }) => {
        const loaded = loadSelfAssessment(file ?? srcSelfAssessmentFile());
        writeStdout(options.json ? json(loaded.assessment) : renderSelfAssessmentText(loaded));
      }),
    );
}
