import { describe, expect, it } from '@jest/globals';
import { repoPath } from '@aeo/config';
import { compareSelfAssessments } from './compare.js';
import { loadSelfAssessment, parseSelfAssessment, srcSelfAssessmentFile } from './load-self-assessment.js';
import { RECOMMENDATION_AREAS } from './recommendation-areas.js';

const src = loadSelfAssessment(srcSelfAssessmentFile());
const fictional = loadSelfAssessment(repoPath('config', 'safe', 'sample-partner-fictional.json'));

const areaById = (comparison: ReturnType<typeof compareSelfAssessments>, id: string) =>
  comparison.recommendationAreas.find((a) => a.id === id)!;

describe('the recommendation-area mapping', () => {
  // The mapping is keyed by pillar and number; this pins each key to the name it was made for.
  it.each([
    [
      'SECURITY_PROGRAM_ALIGNMENT',
      ['Alignment of Security Programs', 'Harmonization of Security Programs', 'Security'],
    ],
    [
      'NATIONAL_CONTROL_HARMONIZATION',
      [
        'Harmonization of National Control Measures',
        'Mutual Co-operation between Customs and PGAs',
        'Cooperative Arrangement / Procedures',
      ],
    ],
    ['BUSINESS_CONTINUITY', ['Development of Continuity and Resumptions', 'Facilitation']],
    [
      'DATA_FILING_HARMONIZATION',
      ['Harmonization of Data Filing Requirements', 'Advance Electronic Information'],
    ],
  ])('%s points at the SAFE 2021 standards it names', (id, names) => {
    expect(areaById(compareSelfAssessments(src, src), id).standards.map((s) => s.name)).toEqual(names);
  });

  it('covers the four areas of the SRC survey, each with its reason', () => {
    expect(RECOMMENDATION_AREAS.map((a) => a.title)).toEqual([
      'Alignment of security programs',
      'Harmonization of national control measures',
      'Business continuity',
      'Harmonization of data filing',
    ]);
    for (const area of RECOMMENDATION_AREAS) expect(area.why.length).toBeGreaterThan(40);
  });
});

describe('recommendation-area status', () => {
  it('for the SRC against itself: continuity and security programs are open where the SRC left standards blank', () => {
    const comparison = compareSelfAssessments(src, src);
    expect(comparison.recommendationAreas.map((a) => [a.id, a.status, a.statusLine])).toEqual([
      [
        'SECURITY_PROGRAM_ALIGNMENT',
        'PARTIAL',
        '2 of 3 complied on both sides; open: 3.9 Harmonization of Security Programs (neither)',
      ],
      ['NATIONAL_CONTROL_HARMONIZATION', 'ALIGNED', '3 of 3 complied on both sides'],
      [
        'BUSINESS_CONTINUITY',
        'PARTIAL',
        '1 of 2 complied on both sides; open: 3.5 Development of Continuity and Resumptions (neither)',
      ],
      ['DATA_FILING_HARMONIZATION', 'ALIGNED', '2 of 2 complied on both sides'],
    ]);
  });

  it('against the fictional partner: says which side each open standard is missing on', () => {
    const comparison = compareSelfAssessments(src, fictional);
    expect(areaById(comparison, 'SECURITY_PROGRAM_ALIGNMENT').statusLine).toBe(
      '1 of 3 complied on both sides; open: 3.3 Alignment of Security Programs (ours only), 3.9 Harmonization of Security Programs (neither)',
    );
    expect(areaById(comparison, 'BUSINESS_CONTINUITY').statusLine).toBe(
      '1 of 2 complied on both sides; open: 3.5 Development of Continuity and Resumptions (theirs only)',
    );
  });

  it('is OPEN when no standard of the area is complied on both sides', () => {
    const copy = JSON.parse(JSON.stringify(src.assessment)) as {
      pillars: Array<{ standards: Array<{ basis: string | null; complied: boolean }> }>;
    };
    Object.assign(copy.pillars[1].standards[5], { complied: false, basis: null });
    const partner = parseSelfAssessment(Buffer.from(JSON.stringify(copy)), 'partner.json');
    const area = areaById(compareSelfAssessments(src, partner), 'BUSINESS_CONTINUITY');
    expect(area.status).toBe('OPEN');
    expect(area.statusLine).toBe(
      '0 of 2 complied on both sides; open: 3.5 Development of Continuity and Resumptions (neither), 2.6 Facilitation (ours only)',
    );
  });
});
