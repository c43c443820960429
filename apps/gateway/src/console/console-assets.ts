import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ConsoleAsset {
  readonly body: Buffer;
  readonly contentType: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The console's static files, read once at start-up from `assets/` beside this module: the
 * source tree under jest and tsx, `dist/` after `npm run build` (which copies them there).
 * They belong to the code, not to MRA_HOME, which points at an installation's configuration
 * (a test run gives its gateway a temporary one). The map is the allow-list: a name not in
 * it is a 404, so a request path can never reach another file.
 */
export function loadConsoleAssets(
  dir = fileURLToPath(new URL('./assets/', import.meta.url)),
): ReadonlyMap<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  for (const name of readdirSync(dir).sort()) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (contentType) assets.set(name, { body: readFileSync(join(dir, name)), contentType });
  }
  return assets;
}
