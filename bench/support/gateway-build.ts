/**
 * A private build of the gateway for the HTTP benchmark. Nest's dependency injection needs
 * TypeScript's decorator metadata, which tsx (esbuild) does not emit, so the gateway must
 * run from `tsc` output. dist/ belongs to `npm run build` and may be stale or rebuilt by
 * someone else mid-run, so the bench compiles apps/ and libs/ into a directory of its own
 * under the OS temp dir (incremental: a rebuild after small changes takes seconds), with a
 * package.json saying ESM and a node_modules link back to the repository. The repository
 * root is passed to the process as MRA_HOME.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath, repoRoot } from '@aeo/config';
import { progress } from './kit.js';

export interface GatewayBuild {
  readonly mainJs: string;
  /** Environment the built process needs to find config/ and schemas/. */
  readonly env: Record<string, string>;
  /** tsc's complaints, if any: the build still emits, but the figures then describe code that does not type-check. */
  readonly warnings: string;
}

export function buildGateway(): GatewayBuild {
  const dir = join(
    tmpdir(),
    `mra-bench-build-${createHash('sha256').update(repoRoot()).digest('hex').slice(0, 12)}`,
  );
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  if (!existsSync(join(dir, 'node_modules')))
    symlinkSync(repoPath('node_modules'), join(dir, 'node_modules'), 'dir');
  progress(`building the gateway into ${dir} (tsc, incremental)`);
  const tsc = spawnSync(
    process.execPath,
    [
      repoPath('node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      repoPath('tsconfig.build.json'),
      '--outDir',
      dir,
      '--incremental',
      '--tsBuildInfoFile',
      join(dir, '.tsbuildinfo'),
    ],
    { cwd: repoRoot(), encoding: 'utf8' },
  );
  const alias = spawnSync(
    process.execPath,
    [
      repoPath('node_modules', 'tsc-alias', 'dist', 'bin', 'index.js'),
      '-p',
      repoPath('tsconfig.build.json'),
      '--outDir',
      dir,
    ],
    { cwd: repoRoot(), encoding: 'utf8' },
  );
  const assets = spawnSync(process.execPath, [repoPath('scripts', 'copy-build-assets.mjs'), dir], { cwd: repoRoot(), encoding: 'utf8' });
  const mainJs = join(dir, 'apps', 'gateway', 'src', 'main.js');
  if (!existsSync(mainJs) || alias.status !== 0 || assets.status !== 0) {
    throw new Error(`gateway build failed:\n${tsc.stdout}${tsc.stderr}${alias.stdout}${alias.stderr}${assets.stderr}`);
  }
  return {
    mainJs,
    env: { MRA_HOME: repoRoot() },
    warnings: tsc.status === 0 ? '' : `${tsc.stdout}${tsc.stderr}`.trim(),
  };
}
