import { lstatSync, readdirSync, readFileSync, realpathSync, type Stats } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';

export interface ReportFile {
  readonly name: string;
  readonly format: 'html' | 'json';
  readonly bytes: number;
  readonly modifiedAt: number;
}

/** A report file name: no directories, no leading dot, .html or .json. */
const REPORT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}\.(html|json)$/;
/** Reports are a few hundred kilobytes; anything far larger is not one of ours. */
export const REPORT_MAX_BYTES = 20 * 1024 * 1024;
const LIST_MAX = 500;

export type ReportLookup =
  | { readonly kind: 'found'; readonly file: ReportFile; readonly content: Buffer }
  | { readonly kind: 'invalid-name' }
  | { readonly kind: 'missing' };

/**
 * The test-run reports `mra testrun` wrote, in one directory (MRA_TESTRUN_REPORTS_DIR). Only
 * regular files directly inside it, named like a report, are listed or read: a name is
 * checked against an allow-list pattern, and the resolved real path must still be inside the
 * directory, so neither `..` nor a symbolic link reaches anything else.
 */
export class TestRunReportsDirectory {
  constructor(private readonly dir: string) {}

  list(): ReportFile[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return []; // no reports written yet
    }
    return names
      .filter((name) => REPORT_NAME.test(name))
      .flatMap((name) => {
        const stats = this.regularFile(name);
        return stats ? [fileOf(name, stats)] : [];
      })
      .sort((a, b) => b.modifiedAt - a.modifiedAt || a.name.localeCompare(b.name))
      .slice(0, LIST_MAX);
  }

  read(name: string): ReportLookup {
    if (!REPORT_NAME.test(name)) return { kind: 'invalid-name' };
    const stats = this.regularFile(name);
    if (!stats) return { kind: 'missing' };
    return { kind: 'found', file: fileOf(name, stats), content: readFileSync(join(this.dir, name)) };
  }

  private regularFile(name: string): Stats | undefined {
    const path = resolve(this.dir, name);
    if (dirname(path) !== resolve(this.dir)) return undefined;
    try {
      const stats = lstatSync(path);
      if (!stats.isFile() || stats.size > REPORT_MAX_BYTES) return undefined;
      if (dirname(realpathSync(path)) !== realpathSync(this.dir)) return undefined;
      return stats;
    } catch {
      return undefined;
    }
  }
}

function fileOf(name: string, stats: Stats): ReportFile {
  return {
    name,
    format: extname(name) === '.html' ? 'html' : 'json',
    bytes: stats.size,
    modifiedAt: Math.round(stats.mtimeMs),
  };
}
