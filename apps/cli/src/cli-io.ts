import { readFileSync } from 'node:fs';
import { GatewayError } from '@aeo/domain';

/** Exit codes of every `mra` command. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** Input rejected (bad message, bad signature, ...): the JSON error on stderr says why. */
export const EXIT_REJECTED = 2;

/** `FILE` or `-` (or nothing) for standard input, as bytes: signatures and hashes need them exact. */
export function readInput(file: string | undefined): Buffer {
  return !file || file === '-' ? readFileSync(0) : readFileSync(file);
}

export function writeStdout(data: Uint8Array | string): void {
  process.stdout.write(data);
}

/**
 * Report a rejection the way scripts expect: `{"error":{"code","message","path"}}` on stderr
 * and exit code 2. Anything that is not a GatewayError is a fault of ours: exit 1.
 */
export function reportError(error: unknown): number {
  if (error instanceof GatewayError) {
    process.stderr.write(`${JSON.stringify({ error: { code: error.code, message: error.message, path: error.path ?? null } })}\n`);
    return EXIT_REJECTED;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${JSON.stringify({ error: { code: 'INTERNAL_ERROR', message, path: null } })}\n`);
  return EXIT_FAILURE;
}

/** Run a command body, turning its outcome into the process exit code. */
export function action<A extends unknown[]>(body: (...args: A) => Promise<number | void> | number | void) {
  return async (...args: A): Promise<void> => {
    try {
      process.exitCode = (await body(...args)) ?? EXIT_OK;
    } catch (error) {
      process.exitCode = reportError(error);
    }
  };
}
