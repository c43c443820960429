import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { repoPath } from '@aeo/config';
import { GatewayError } from '@aeo/domain';
import { loadSelfAssessment, parseSelfAssessment, srcSelfAssessmentFile } from './load-self-assessment.js';

const srcText = readFileSync(srcSelfAssessmentFile(), 'utf8');

type Json = Record<string, unknown> & {
  pillars: Array<Record<string, unknown> & { standards: Array<Record<string, unknown>> }>;
};

function editedSrc(change: (copy: Json) => void): Buffer {
  const copy = JSON.parse(srcText) as Json;
  change(copy);
  return Buffer.from(JSON.stringify(copy));
}

function rejection(bytes: Uint8Array): GatewayError {
  try {
    parseSelfAssessment(bytes, 'partner.json');
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('loading self-assessments', () => {
  it.each(readdirSync(repoPath('config', 'safe')).filter((f) => f.endsWith('.json')))(
    'config/safe/%s passes the schema',
    (file) => {
      const { assessment } = loadSelfAssessment(repoPath('config', 'safe', file));
      expect(assessment.pillars.map((p) => [p.pillar, p.standards.length])).toEqual([
        [1, 11],
        [2, 6],
        [3, 9],
      ]);
    },
  );

  it('ships the SRC answers unchanged: 8, 3 and 7 complied', () => {
    const { assessment } = loadSelfAssessment(srcSelfAssessmentFile());
    expect(assessment.program).toBe('KZ-SRC AEO program');
    expect(assessment.pillars.map((p) => p.standards.filter((s) => s.complied).length)).toEqual([8, 3, 7]);
  });

  it('marks the sample partner as fictional', () => {
    const { assessment } = loadSelfAssessment(repoPath('config', 'safe', 'sample-partner-fictional.json'));
    expect(assessment.program).toMatch(/FICTIONAL/);
    expect(assessment.note).toMatch(/FICTIONAL/);
  });
});

describe('rejected self-assessments', () => {
  it.each([
    [
      'pillar 1 with 10 standards',
      (j: Json) => j.pillars[0].standards.pop(),
      '/pillars/0/standards',
      /fewer than 11 items/,
    ],
    [
      'pillar 2 with 7 standards',
      (j: Json) => j.pillars[1].standards.push({ ...j.pillars[1].standards[5], standard: 7 }),
      '/pillars/1/standards',
      /more than 6 items/,
    ],
    ['two pillars', (j: Json) => j.pillars.pop(), '/pillars', /fewer than 3 items/],
    [
      'four pillars',
      (j: Json) => j.pillars.push({ ...j.pillars[2], pillar: 4 }),
      '/pillars',
      /more than 3 items/,
    ],
    ['pillars out of order', (j: Json) => j.pillars.reverse(), '/pillars/0/pillar', /equal to constant 1/],
    [
      'standards out of order',
      (j: Json) => j.pillars[2].standards.reverse(),
      '/pillars/2/standards/0/standard',
      /equal to constant 1/,
    ],
    [
      'complied without a basis',
      (j: Json) => Object.assign(j.pillars[1].standards[0], { complied: true }),
      '/pillars/1/standards/0/basis',
      /must be string/,
    ],
    [
      'an empty basis',
      (j: Json) => Object.assign(j.pillars[0].standards[0], { basis: '' }),
      '/pillars/0/standards/0/basis',
      /fewer than 1 characters/,
    ],
    [
      '"Yes" instead of true',
      (j: Json) => Object.assign(j.pillars[0].standards[1], { complied: 'Yes' }),
      '/pillars/0/standards/1/complied',
      /must be boolean/,
    ],
    ['no programme', (j: Json) => delete j.program, '/program', /required property/],
    [
      'an unknown field',
      (j: Json) => Object.assign(j.pillars[0].standards[0], { comment: 'x' }),
      '/pillars/0/standards/0/comment',
      /additional properties/,
    ],
    [
      'a date that is not one',
      (j: Json) => Object.assign(j, { assessedOn: '27.07.2024' }),
      '/assessedOn',
      /must match format "date"/,
    ],
  ])('%s: SCHEMA_VIOLATION at the JSON pointer, naming the file', (_case, change, pointer, message) => {
    const error = rejection(editedSrc(change));
    expect(error.code).toBe('SCHEMA_VIOLATION');
    expect(error.path).toBe(`partner.json#${pointer}`);
    expect(error.message).toMatch(/^partner\.json: not a SAFE self-assessment: /);
    expect(error.message).toMatch(message);
  });

  it('lists every violation, not only the first', () => {
    const error = rejection(
      editedSrc((j) => {
        j.pillars[0].standards.pop();
        Object.assign(j.pillars[2].standards[4], { complied: true });
      }),
    );
    expect(error.message).toContain('/pillars/0/standards must NOT have fewer than 11 items');
    expect(error.message).toContain('/pillars/2/standards/4/basis must be string');
  });

  it('refuses malformed JSON with MALFORMED_JSON', () => {
    const error = rejection(Buffer.from(srcText.slice(0, 200)));
    expect(error.code).toBe('MALFORMED_JSON');
    expect(error.path).toBe('partner.json#');
    expect(error.message).toMatch(/^partner\.json: JSON is not well-formed/);
  });

  it('refuses prototype-polluting keys before validation', () => {
    const error = rejection(Buffer.from(srcText.replace('"program"', '"__proto__": {}, "program"')));
    expect(error.code).toBe('FORBIDDEN_KEY');
    expect(error.path).toBe('partner.json#/__proto__');
  });

  it('reports a file it cannot read as bad input naming the file', () => {
    expect(() => loadSelfAssessment('/nonexistent/safe.json')).toThrow(
      expect.objectContaining({ code: 'INVALID_VALUE', path: '/nonexistent/safe.json' }),
    );
  });
});
