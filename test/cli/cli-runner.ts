/** Runs the built `mra` CLI (dist/, made by `npm test`'s build step) as an operator would. */
import { spawnSync } from 'node:child_process';
import { repoPath } from '@aeo/config';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export function runMra(args: readonly string[], options: { input?: Uint8Array; env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(process.execPath, [repoPath('dist', 'apps', 'cli', 'src', 'main.js'), ...args], {
    cwd: repoPath(),
    input: options.input,
    env: { ...process.env, ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}
