import { describe, expect, it } from '@jest/globals';
import { repoPath } from '@aeo/config';
import { GatewayError } from '@aeo/domain';
import { compareSelfAssessments, normaliseStandardName, sameStandardName, verdictOf } from './compare.js';
import type { Verdict } from './comparison.js';
import { loadSelfAssessment, parseSelfAssessment, srcSelfAssessmentFile } from './load-self-assessment.js';
import type { LoadedSelfAssessment } from './self-assessment.js';

const src = loadSelfAssessment(srcSelfAssessmentFile());
const fictional = loadSelfAssessment(repoPath('config', 'safe', 'sample-partner-fictional.json'));

type Editable = {
  pillars: Array<{ standards: Array<{ name: string; basis: string | null; complied: boolean }> }>;
};

/** A copy of the SRC file with `change` applied, validated like any file. */
function variant(change: (copy: Editable) => void): LoadedSelfAssessment {
  const copy = JSON.parse(JSON.stringify(src.assessment)) as Editable;
  change(copy);
  return parseSelfAssessment(Buffer.from(JSON.stringify(copy)), 'variant.json');
}

const verdictsOf = (ours: LoadedSelfAssessment, theirs: LoadedSelfAssessment): Record<string, Verdict> =>
  Object.fromEntries(
    compareSelfAssessments(ours, theirs).standards.map((s) => [`${s.pillar}.${s.standard}`, s.verdict]),
  );

describe('compareSelfAssessments', () => {
  it('finds 18 of 26 standards complied on both sides when the SRC file meets itself', () => {
    const result = compareSelfAssessments(src, src);
    expect(result.total).toEqual({
      standards: 26,
      both: 18,
      oursOnly: 0,
      theirsOnly: 0,
      neither: 8,
      oursComplied: 18,
      theirsComplied: 18,
    });
    expect(result.pillars.map((p) => [p.pillar, p.counts.both, p.counts.standards])).toEqual([
      [1, 8, 11],
      [2, 3, 6],
      [3, 7, 9],
    ]);
    expect(new Set(result.standards.map((s) => s.verdict))).toEqual(new Set(['BOTH', 'NEITHER']));
  });

  it('keeps each side with its basis, pillar, number and name', () => {
    const standard = compareSelfAssessments(src, fictional).standards.find(
      (s) => s.pillar === 1 && s.standard === 6,
    );
    expect(standard).toEqual({
      pillar: 1,
      standard: 6,
      name: 'Advance Electronic Information',
      ours: { complied: true, basis: "Code of the RK 'On Customs Regulation in the RK', Article 31" },
      theirs: { complied: true, basis: 'Fictional Customs Act, Article 31 (advance cargo information)' },
      verdict: 'BOTH',
    });
  });

  it('shows the differences with the fictional partner standard by standard', () => {
    const verdicts = verdictsOf(src, fictional);
    const only = (verdict: Verdict) => Object.keys(verdicts).filter((k) => verdicts[k] === verdict);
    expect(only('THEIRS_ONLY')).toEqual(['1.3', '1.4', '2.1', '2.3', '3.5']);
    expect(only('OURS_ONLY')).toEqual(['1.8', '2.5', '3.3', '3.8']);
    expect(only('NEITHER')).toEqual(['1.7', '2.4', '3.9']);
    expect(only('BOTH')).toHaveLength(14);
    expect(compareSelfAssessments(src, fictional).total).toMatchObject({
      both: 14,
      oursOnly: 4,
      theirsOnly: 5,
      neither: 3,
      theirsComplied: 19,
    });
  });

  it('attributes a one-standard difference to the side that complies', () => {
    const partner = variant((copy) =>
      Object.assign(copy.pillars[1].standards[0], { complied: true, basis: 'Partnership agreement' }),
    );
    const differing = (v: Record<string, Verdict>) =>
      Object.entries(v).filter(([, verdict]) => verdict === 'OURS_ONLY' || verdict === 'THEIRS_ONLY');
    expect(differing(verdictsOf(src, partner))).toEqual([['2.1', 'THEIRS_ONLY']]);
    expect(differing(verdictsOf(partner, src))).toEqual([['2.1', 'OURS_ONLY']]);
  });

  it('names both sides with their files', () => {
    const result = compareSelfAssessments(src, fictional);
    expect(result.ours).toMatchObject({
      file: src.file,
      program: 'KZ-SRC AEO program',
      assessedOn: '2024-07-27',
    });
    expect(result.theirs.program).toMatch(/FICTIONAL/);
  });
});

describe('the same-framework check', () => {
  it('refuses files whose standard names disagree, naming the file, the standard and the JSON pointer', () => {
    const other = variant((copy) => {
      copy.pillars[1].standards[3].name = 'Data Analytics';
      copy.pillars[2].standards[8].name = 'Green Customs';
    });
    let error: unknown;
    try {
      compareSelfAssessments(src, other);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GatewayError);
    const gatewayError = error as GatewayError;
    expect(gatewayError.code).toBe('BUSINESS_RULE_VIOLATION');
    expect(gatewayError.path).toBe('variant.json#/pillars/1/standards/3/name');
    expect(gatewayError.message).toContain('2.4 is "Data Analytics" there but "Technology"');
    expect(gatewayError.message).toContain('3.9 is "Green Customs"');
    expect(gatewayError.message).toContain(src.file);
  });

  it('accepts the spellings translations and WCO texts vary in', () => {
    expect(
      sameStandardName(
        'Mutual Co-operation between Customs and PGAs',
        'Mutual Cooperation between Customs and PGAs',
      ),
    ).toBe(true);
    expect(
      sameStandardName('Harmonization of Security Programs', 'Harmonisation of Security Programmes'),
    ).toBe(true);
    expect(
      sameStandardName('Cooperative Arrangement / Procedures', 'cooperative arrangement procedures'),
    ).toBe(true);
    expect(sameStandardName('Mutual Cooperation', 'Mutual Co-operation between Customs and PGAs')).toBe(
      false,
    );
    expect(normaliseStandardName('Selectivity, Profiling and Targeting')).toBe(
      'selectivityprofilingandtargeting',
    );
  });
});

describe('verdictOf', () => {
  it.each([
    [true, true, 'BOTH'],
    [true, false, 'OURS_ONLY'],
    [false, true, 'THEIRS_ONLY'],
    [false, false, 'NEITHER'],
  ] as const)('ours %s, theirs %s: %s', (ours, theirs, verdict) => {
    expect(verdictOf(ours, theirs)).toBe(verdict);
  });
});
