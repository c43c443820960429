/**
 * Helpers for the test-run kit's tests: the built `mra` CLI as a process (async, so jest's
 * timeouts still work), the report's own JSON Schema, and headless Chromium (Debian's
 * chromium package) for screenshots.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '@aeo/config';
import { TESTRUN_REPORT_SCHEMA, type TestRunReport } from '@aeo/testrun';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { CHROMIUM_OFFLINE_ARGS } from '../support/chromium.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => void;

export interface MraRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function mra(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 240_000,
): Promise<MraRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [repoPath('dist', 'apps', 'cli', 'src', 'main.js'), ...args], {
      cwd: repoPath(),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`mra ${args.join(' ')} did not finish in ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

export function readReport(file: string): TestRunReport {
  return JSON.parse(readFileSync(file, 'utf8')) as TestRunReport;
}

/** Errors of the JSON report against its own schema (empty: valid). */
export function reportSchemaErrors(report: unknown): string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(TESTRUN_REPORT_SCHEMA);
  return validate(report)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

/** Headless Chromium with everything that could reach the network switched off; resolves with its output. */
export function screenshot(html: string, png: string, timeoutMs = 90_000): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'mra-chromium-'));
  const args = [
    '--headless',
    ...CHROMIUM_OFFLINE_ARGS,
    `--user-data-dir=${profile}`,
    `--screenshot=${png}`,
    '--window-size=1280,2000',
    `file://${html}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.CHROMIUM ?? 'chromium', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start chromium (apt-get install chromium): ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      if (code === 0) resolve(output);
      else reject(new Error(`chromium exited ${code}:\n${output}`));
    });
  });
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  if (bytes.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The fast scenarios: everything except the one that restarts the machine's broker. */
export const FAST = ['--exclude', 'broker-restart'];
