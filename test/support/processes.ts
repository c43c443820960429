/**
 * Real processes for end-to-end tests: the built gateway (dist/) and partner simulators, each
 * with its own environment, started and stopped like an operator would. Their stdout lines
 * are JSON; we wait for the line that says they are ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { repoPath } from '@aeo/config';

export interface Started {
  readonly process: ChildProcess;
  readonly url: string;
  readonly output: string[];
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function startProcess(script: string, args: string[], env: Record<string, string>, readyWhen: (line: Record<string, unknown>) => string | undefined, timeoutMs = 60_000): Promise<Started> {
  const child = spawn(process.execPath, [repoPath(script), ...args], { cwd: repoPath(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const stop = (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not become ready:\n${output.join('\n')}`)), timeoutMs);
    const onLine = (line: string) => {
      output.push(line);
      try {
        const url = readyWhen(JSON.parse(line) as Record<string, unknown>);
        if (url) {
          clearTimeout(timer);
          resolve({ process: child, url, output, stop });
        }
      } catch {
        // not a JSON line
      }
    };
    let buffered = '';
    const feed = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      lines.forEach(onLine);
    };
    child.stdout.on('data', feed);
    child.stderr.on('data', feed);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${output.join('\n')}`));
    });
  });
}

export const OPERATOR_TOKEN = `op-${randomBytes(12).toString('hex')}`;
export const AUDITOR_TOKEN = `au-${randomBytes(12).toString('hex')}`;
export const RISK_TOKEN = `rs-${randomBytes(12).toString('hex')}`;

export interface GatewayEnv {
  readonly databaseUrl: string;
  readonly prefix: string;
  readonly keysDir?: string;
}

export function gatewayEnvironment(options: GatewayEnv): Record<string, string> {
  return {
    DATABASE_URL: options.databaseUrl,
    MRA_AMQP_PREFIX: options.prefix,
    MRA_KEYS_DIR: options.keysDir ?? mkdtempSync(join(tmpdir(), 'mra-keys-')),
    MRA_KEY_PASSPHRASE: 'e2e-test-passphrase-not-secret',
    MRA_API_KEYS: `ops:operator:${OPERATOR_TOKEN},aud:auditor:${AUDITOR_TOKEN},risk:risk-system:${RISK_TOKEN}`,
    PORT: '0',
    LOG_LEVEL: 'warn',
  };
}

export function startGatewayProcess(env: Record<string, string>): Promise<Started> {
  return startProcess('dist/apps/gateway/src/main.js', [], env, (line) => (line.message === 'gateway started' ? String(line.url) : undefined));
}

export function startSimulatorProcess(partner: string, gatewayUrl: string, prefix: string): Promise<Started> {
  return startProcess(
    'dist/apps/partner-sim/src/main.js',
    ['--partner', partner, '--prefix', prefix, '--gateway-jwks', `${gatewayUrl}/.well-known/jwks.json`],
    {},
    (line) => (line.event === 'ready' ? String(line.control) : undefined),
  );
}

export async function http<T = unknown>(method: string, url: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}
