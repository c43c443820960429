import type { Command } from 'commander';
import { registerConvertCommands } from './convert.js';

/** Every command group of `mra`; a new group adds one line here. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [registerConvertCommands];
