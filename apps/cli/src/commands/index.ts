import type { Command } from 'commander';
import { adapterFor } from '@aeo/partners';
import { registerAuditCommands } from './audit.js';
import { registerConvertCommands } from './convert.js';
import { registerKeysCommands } from './keys.js';
import { registerOperationsCommands } from './operations.js';
import { registerRecognizeCommands } from './recognize.js';
import { registerRegisterCommands } from './register.js';
import { registerSafeCommands } from './safe.js';
import { registerSignCommands } from './sign.js';
import { registerSnapshotCommands } from './snapshot.js';
import { registerTestrunCommands } from './testrun.js';
import { defaultTrustCliDeps } from './trust-cli-deps.js';
import { registerVerifyCommands } from './verify.js';

/** Every command group of `mra`; a new group adds one line here. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerConvertCommands,
  registerKeysCommands,
  (program) => registerSignCommands(program, { ...defaultTrustCliDeps(), adapterFor }),
  registerVerifyCommands,
  registerAuditCommands,
  registerRegisterCommands,
  registerSnapshotCommands,
  registerOperationsCommands,
  registerRecognizeCommands,
  registerSafeCommands,
  registerTestrunCommands,
];
