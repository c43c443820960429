import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { SafeComparison } from '@aeo/safe';
import { runMra } from '../cli/cli-runner.js';

/** `mra safe` as an operator runs it: the built CLI (dist/, made by `npm run -s build`). */
const SRC = 'config/safe/kz-src-2024.json';
const FICTIONAL = 'config/safe/sample-partner-fictional.json';
const work = mkdtempSync(join(tmpdir(), 'mra-safe-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function compareJson(ours: string, theirs: string): SafeComparison {
  const result = runMra(['safe', 'compare', '--ours', ours, '--theirs', theirs, '--json']);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout.toString('utf8')) as SafeComparison;
}

function writeFileAt(name: string, text: string): string {
  const file = join(work, name);
  writeFileSync(file, text);
  return file;
}

type Editable = { pillars: Array<{ standards: Array<Record<string, unknown>> }> };

/** A copy of the SRC file with `change` applied, written to the work folder. */
function editedSrcFile(name: string, change: (copy: Editable) => void): string {
  const copy = JSON.parse(readFileSync(SRC, 'utf8')) as Editable;
  change(copy);
  return writeFileAt(name, JSON.stringify(copy));
}

describe('mra safe compare: the SRC against itself', () => {
  it('reports 18 of 26 standards complied on both sides, 8/11, 3/6 and 7/9 per pillar', () => {
    const result = runMra(['safe', 'compare', '--ours', SRC, '--theirs', SRC]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const text = result.stdout.toString('utf8');
    expect(text).toContain('Pillar 1 Customs-to-Customs: 8 of 11 complied on both sides');
    expect(text).toContain('Pillar 2 Customs-to-Business: 3 of 6 complied on both sides');
    expect(text).toContain('Pillar 3 Customs-to-Other Government Agencies: 7 of 9 complied on both sides');
    expect(text).toContain('Total: 18 of 26 complied on both sides');
  });

  it('gives the same counts as JSON', () => {
    const comparison = compareJson(SRC, SRC);
    expect(comparison.total).toMatchObject({ standards: 26, both: 18, neither: 8 });
    expect(comparison.pillars.map((p) => `${p.counts.both}/${p.counts.standards}`)).toEqual([
      '8/11',
      '3/6',
      '7/9',
    ]);
    expect(comparison.standards).toHaveLength(26);
  });
});

describe('mra safe compare: the SRC against the fictional partner', () => {
  it('shows the differences standard by standard', () => {
    const comparison = compareJson(SRC, FICTIONAL);
    const differences = comparison.standards
      .filter((s) => s.verdict !== 'BOTH')
      .map((s) => `${s.pillar}.${s.standard} ${s.verdict}`);
    expect(differences).toEqual([
      '1.3 THEIRS_ONLY',
      '1.4 THEIRS_ONLY',
      '1.7 NEITHER',
      '1.8 OURS_ONLY',
      '2.1 THEIRS_ONLY',
      '2.3 THEIRS_ONLY',
      '2.4 NEITHER',
      '2.5 OURS_ONLY',
      '3.3 OURS_ONLY',
      '3.5 THEIRS_ONLY',
      '3.8 OURS_ONLY',
      '3.9 NEITHER',
    ]);
    expect(comparison.total).toMatchObject({ both: 14, oursOnly: 4, theirsOnly: 5, neither: 3 });
    expect(comparison.recommendationAreas.map((a) => `${a.title}: ${a.status}`)).toEqual([
      'Alignment of security programs: PARTIAL',
      'Harmonization of national control measures: ALIGNED',
      'Business continuity: PARTIAL',
      'Harmonization of data filing: ALIGNED',
    ]);
  });

  it('prints each differing standard with both answers in the text table', () => {
    const text = runMra(['safe', 'compare', '--ours', SRC, '--theirs', FICTIONAL]).stdout.toString('utf8');
    expect(text).toMatch(
      /1\.8 +Performance Measures +Yes +- +ours only\n {8}ours: {3}Statistical reports containing performance measures\n/,
    );
    expect(text).toMatch(
      /3\.5 +Development of Continuity and Resumptions +- +Yes +theirs only\n {8}theirs: Fictional trade continuity and resumption plan \(2022\)\n/,
    );
  });

  it('writes the self-contained HTML report with every standard', () => {
    const report = join(work, 'report.html');
    const result = runMra(['safe', 'compare', '--ours', SRC, '--theirs', FICTIONAL, '--report', report]);
    expect(result.status).toBe(0);
    expect(result.stdout.toString('utf8')).toContain(`HTML report written to ${report}`);
    const html = readFileSync(report, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|src=|href=/);
    const names = compareJson(SRC, FICTIONAL).standards.map(
      (s) => `<td>${s.pillar}.${s.standard}</td><td>${s.name.replace(/&/g, '&amp;')}</td>`,
    );
    expect(names).toHaveLength(26);
    for (const name of names) expect(html).toContain(name);
  });
});

describe('mra safe compare: rejected input', () => {
  it.each([
    [
      'malformed JSON',
      () => writeFileAt('truncated.json', readFileSync(SRC, 'utf8').slice(0, 300)),
      'MALFORMED_JSON',
      '',
    ],
    [
      'a pillar with a standard missing',
      () => editedSrcFile('short.json', (j) => j.pillars[0].standards.pop()),
      'SCHEMA_VIOLATION',
      '/pillars/0/standards',
    ],
    [
      'complied without a basis',
      () =>
        editedSrcFile('no-basis.json', (j) => Object.assign(j.pillars[2].standards[4], { complied: true })),
      'SCHEMA_VIOLATION',
      '/pillars/2/standards/4/basis',
    ],
    [
      'a different framework',
      () =>
        editedSrcFile('other.json', (j) =>
          Object.assign(j.pillars[1].standards[3], { name: 'Data Analytics' }),
        ),
      'BUSINESS_RULE_VIOLATION',
      '/pillars/1/standards/3/name',
    ],
  ])('%s: exit 2, the JSON error on stderr, no report', (_case, makeFile, code, pointer) => {
    const file = makeFile();
    const report = join(work, `${code}.html`);
    const result = runMra(['safe', 'compare', '--ours', SRC, '--theirs', file, '--report', report]);
    expect(result.status).toBe(2);
    expect(result.stdout.length).toBe(0);
    const { error } = JSON.parse(result.stderr) as { error: { code: string; message: string; path: string } };
    expect(error.code).toBe(code);
    expect(error.path).toBe(`${file}#${pointer}`);
    expect(error.message).toContain(file);
    expect(existsSync(report)).toBe(false);
  });

  it('refuses a report path it cannot write with exit 2', () => {
    const report = join(work, 'no-such-folder', 'report.html');
    const result = runMra(['safe', 'compare', '--ours', SRC, '--theirs', SRC, '--report', report]);
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stderr).error).toMatchObject({ code: 'INVALID_VALUE', path: '/--report' });
  });

  it('refuses an invalid --ours file the same way', () => {
    const file = editedSrcFile('ours-bad.json', (j) =>
      Object.assign(j.pillars[0].standards[0], { complied: 'Yes' }),
    );
    const result = runMra(['safe', 'compare', '--ours', file, '--theirs', SRC]);
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stderr).error).toMatchObject({
      code: 'SCHEMA_VIOLATION',
      path: `${file}#/pillars/0/standards/0/complied`,
    });
  });
});

describe('mra safe show', () => {
  it('prints the SRC self-assessment by default', () => {
    const result = runMra(['safe', 'show']);
    expect(result.status).toBe(0);
    const text = result.stdout.toString('utf8');
    expect(text).toMatch(
      /^KZ-SRC AEO program: WCO SAFE Framework of Standards, 2021 edition, assessed 2024-07-27\n/,
    );
    expect(text).toContain('Total: 18 of 26 complied');
  });

  it('prints a given file, as JSON when asked', () => {
    const result = runMra(['safe', 'show', FICTIONAL, '--json']);
    expect(result.status).toBe(0);
    const assessment = JSON.parse(result.stdout.toString('utf8')) as { program: string; pillars: unknown[] };
    expect(assessment.program).toMatch(/FICTIONAL/);
    expect(assessment.pillars).toHaveLength(3);
  });

  it('refuses a schema-invalid file with exit 2', () => {
    const file = editedSrcFile('show-bad.json', (j) => j.pillars[1].standards.pop());
    const result = runMra(['safe', 'show', file]);
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stderr).error.code).toBe('SCHEMA_VIOLATION');
  });
});
