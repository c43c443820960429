import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { GatewayError } from '@aeo/domain';
import { renderTestRunHtml } from './render-html.js';
import type { TestRunReport } from './report.js';

/** FILE.html: the self-contained HTML page; FILE.json: the same report as JSON. */
export function reportFormatOf(file: string): 'html' | 'json' {
  const ext = extname(file).toLowerCase();
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.json') return 'json';
  throw new GatewayError('INVALID_VALUE', `--report: ${file} must end in .html or .json`, '/--report');
}

export function writeTestRunReport(file: string, report: TestRunReport): void {
  const content =
    reportFormatOf(file) === 'html' ? renderTestRunHtml(report) : `${JSON.stringify(report, null, 2)}\n`;
  try {
    writeFileSync(file, content);
  } catch (error) {
    throw new GatewayError(
      'INVALID_VALUE',
      `--report: cannot write ${file}: ${(error as Error).message}`,
      '/--report',
      { cause: error },
    );
  }
}
