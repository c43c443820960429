// Files the compiled gateway needs beside its JavaScript: the web console's static assets.
// tsc copies only what it compiles, so `npm run build` runs this afterwards.
// Usage: node scripts/copy-build-assets.mjs [outDir]   (default: dist, relative to the cwd)
import { cpSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const outDir = resolve(process.argv[2] ?? 'dist');
const from = join(root, 'apps/gateway/src/console/assets');
const to = join(outDir, 'apps/gateway/src/console/assets');
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
