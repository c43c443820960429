#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { COMMANDS } from './commands/index.js';

/** `mra`: the operator's command-line tool. Each command group lives in ./commands. */
const program = new Command('mra')
  .description('MRA data-exchange gateway: operator tool')
  .showHelpAfterError()
  .exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : 64);
  });

for (const register of COMMANDS) register(program);

await program.parseAsync(process.argv);
