/**
 * `mra` with only the audit commands registered, for the CLI tests: the same Commander
 * setup as apps/cli/src/main.ts, without loading the other command groups.
 */
import 'reflect-metadata';
import { Command } from 'commander';
import { registerAuditCommands } from '../../apps/cli/src/commands/audit.js';

const program = new Command('mra').showHelpAfterError().exitOverride((error) => {
  process.exit(error.exitCode === 0 ? 0 : 64);
});
registerAuditCommands(program);
await program.parseAsync(process.argv);
