import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root, found by walking up from this file to the directory that holds
 * `schemas/` and `config/`. The same code runs from `libs/` under ts-jest and from
 * `dist/libs/` after a build, so a fixed number of `..` would be wrong in one of them.
 * `MRA_HOME` overrides it for installs that keep config elsewhere.
 */
let cachedRoot: string | undefined;

export function repoRoot(): string {
  if (cachedRoot) return cachedRoot;
  if (process.env.MRA_HOME) return (cachedRoot = resolve(process.env.MRA_HOME));
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'schemas')) && existsSync(join(dir, 'config')) && existsSync(join(dir, 'package.json'))) {
      return (cachedRoot = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root (set MRA_HOME)');
    dir = parent;
  }
}

export function repoPath(...segments: string[]): string {
  return join(repoRoot(), ...segments);
}
