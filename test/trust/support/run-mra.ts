import { spawn } from 'node:child_process';
import { repoPath } from '@aeo/config';

export interface MraResult {
  readonly status: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** The trust commands wired to the CLI test partner, or the real `mra` with the real profiles and adapters. */
const ENTRIES = {
  harness: ['test', 'trust', 'support', 'mra-trust-cli.ts'],
  real: ['apps', 'cli', 'src', 'main.ts'],
} as const;

/** Run `mra` in a child process (real stdout, stderr and exit code). */
export function runMra(
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; input?: Uint8Array | string; entry?: keyof typeof ENTRIES },
): Promise<MraResult> {
  return new Promise((resolve, reject) => {
    const entry = repoPath(...ENTRIES[options.entry ?? 'harness']);
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      cwd: repoPath(),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({ status, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') }),
    );
    child.stdin.end(options.input ?? '');
  });
}

/** The JSON lines a command wrote on stderr (reports and errors), skipping Node's warnings. */
export function stderrJson(result: MraResult): Record<string, unknown>[] {
  return result.stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
