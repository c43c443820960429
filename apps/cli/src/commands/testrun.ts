import { GatewayError } from '@aeo/domain';
import {
  MISBEHAVIOURS,
  TESTRUN_REPORT_SCHEMA,
  durationMs,
  reportFormatOf,
  runTestRun,
  writeTestRunReport,
  type Misbehaviour,
  type MisbehaviourKind,
} from '@aeo/testrun';
import type { Command } from 'commander';
import { EXIT_FAILURE, EXIT_OK, action, writeStdout } from '../cli-io.js';
import { progressReporter } from '../progress.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function parseMisbehaviour(text: string): Misbehaviour {
  const [scenario, kind] = text.split('=');
  if (!scenario || !kind || !(MISBEHAVIOURS as readonly string[]).includes(kind)) {
    throw new GatewayError(
      'INVALID_VALUE',
      `--misbehave takes <scenario>=<${MISBEHAVIOURS.join('|')}>, not '${text}'`,
      '/--misbehave',
    );
  }
  return { scenario, kind: kind as MisbehaviourKind };
}

interface TestrunOptions {
  partner?: string;
  target: string;
  scenarios: string;
  exclude?: string[];
  report?: string[];
  scenarioDir?: string;
  safeTheirs?: string;
  receiptSlaMinutes?: string;
  runDir?: string;
  keepRunDir?: boolean;
  amqpPrefix?: string;
  misbehave?: string[];
  expectTimeout?: string;
  printReportSchema?: boolean;
}

/**
 * `mra testrun`: MRA negotiation test runs (issue #7). Runs the scenarios of config/testruns
 * against the partner simulator (started and stopped here) or a partner's broker, in a
 * gateway started for the run with pilot data only, and writes the report. Exit 0: every
 * scenario passed or was not applicable; 1: a scenario failed; 2: bad input.
 */
export function registerTestrunCommands(program: Command): void {
  program
    .command('testrun')
    .description(
      'run MRA test scenarios against the partner simulator or a partner broker and write an HTML or JSON report',
    )
    .option('--partner <partner>', 'partner under test: cn, kr, tr, eaeu')
    .option(
      '--target <target>',
      "sim (our simulator, started here) or the partner broker's amqp(s):// URL",
      'sim',
    )
    .option('--scenarios <names>', 'comma-separated scenario names, or all', 'all')
    .option('--exclude <names>', 'comma-separated scenario names to leave out (e.g. broker-restart)', list)
    .option('--report <file>', 'report file, .html or .json (repeat for both)', collect)
    .option('--scenario-dir <dir>', 'scenario folder (default config/testruns)')
    .option(
      '--safe-theirs <file>',
      "the partner's SAFE self-assessment (default config/safe/<partner>.json, else the fictional sample)",
    )
    .option(
      '--receipt-sla-minutes <n>',
      'receipt SLA of the run (default 1 against the simulator, as configured against a partner)',
    )
    .option('--run-dir <dir>', "folder for the run's database, keys and logs (default: a temporary folder)")
    .option('--keep-run-dir', 'keep the run folder even when every scenario passed')
    .option(
      '--amqp-prefix <prefix>',
      'AMQP topology prefix (default: a unique pilot prefix against the simulator, mra-pilot against a partner)',
    )
    .option(
      '--expect-timeout <duration>',
      'how long an expectation without its own timeout may take (e.g. 30s, 2m)',
      '30s',
    )
    .option(
      '--misbehave <scenario=kind>',
      `kit self-check: make the simulator misbehave in one scenario (${MISBEHAVIOURS.join(', ')}); repeatable`,
      collect,
    )
    .option('--print-report-schema', "print the JSON report's JSON Schema and exit")
    .action(
      action(async (options: TestrunOptions) => {
        if (options.printReportSchema) {
          writeStdout(`${JSON.stringify(TESTRUN_REPORT_SCHEMA, null, 2)}\n`);
          return EXIT_OK;
        }
        if (!options.partner)
          throw new GatewayError('MISSING_REQUIRED_FIELD', '--partner is required', '/--partner');
        if (!options.report?.length)
          throw new GatewayError(
            'MISSING_REQUIRED_FIELD',
            '--report FILE.html|FILE.json is required',
            '/--report',
          );
        options.report.forEach(reportFormatOf);
        const sla = options.receiptSlaMinutes === undefined ? undefined : Number(options.receiptSlaMinutes);
        if (sla !== undefined && !(Number.isInteger(sla) && sla >= 1))
          throw new GatewayError(
            'INVALID_VALUE',
            '--receipt-sla-minutes must be a whole number of minutes, at least 1',
            '/--receipt-sla-minutes',
          );
        const progress = progressReporter('testrun');
        const { report, runDir } = await runTestRun({
          partner: options.partner,
          target: options.target,
          scenarios: options.scenarios,
          ...(options.exclude ? { exclude: options.exclude } : {}),
          ...(options.scenarioDir ? { scenarioDir: options.scenarioDir } : {}),
          ...(options.safeTheirs ? { safeTheirs: options.safeTheirs } : {}),
          ...(sla !== undefined ? { receiptSlaMinutes: sla } : {}),
          ...(options.runDir ? { runDir: options.runDir } : {}),
          ...(options.keepRunDir ? { keepRunDir: true } : {}),
          ...(options.amqpPrefix ? { amqpPrefix: options.amqpPrefix } : {}),
          misbehave: (options.misbehave ?? []).map(parseMisbehaviour),
          ...(options.expectTimeout ? { expectTimeoutMs: durationMs(options.expectTimeout) } : {}),
          onProgress: (done, total) => progress(done, total),
        });
        for (const file of options.report) writeTestRunReport(file, report);
        const width = Math.max(...report.scenarios.map((s) => s.name.length));
        const lines = report.scenarios.map(
          (s) =>
            `${s.verdict.padEnd(14)} ${s.name.padEnd(width)}  ${(s.durationMs / 1000).toFixed(1)} s${s.reason && s.verdict !== 'PASSED' ? `  ${s.reason}` : ''}`,
        );
        const { summary } = report;
        writeStdout(
          `${lines.join('\n')}\n\n${summary.verdict}: ${summary.passed} passed, ${summary.failed} failed, ${summary.notApplicable} not applicable (${(report.durationMs / 1000).toFixed(0)} s)\n` +
            `report: ${options.report.join(', ')}${runDir ? `\nrun folder: ${runDir}` : ''}\n`,
        );
        return summary.failed > 0 ? EXIT_FAILURE : EXIT_OK;
      }),
    );
}
