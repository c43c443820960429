import { describe, expect, it } from '@jest/globals';
import { repoPath } from '@aeo/config';
import { compareSelfAssessments } from './compare.js';
import { loadSelfAssessment, srcSelfAssessmentFile } from './load-self-assessment.js';
import { renderComparisonText, renderSelfAssessmentText } from './render-text.js';

const src = loadSelfAssessment(srcSelfAssessmentFile());
const fictional = loadSelfAssessment(repoPath('config', 'safe', 'sample-partner-fictional.json'));

describe('renderComparisonText', () => {
  const text = renderComparisonText(compareSelfAssessments(src, fictional));

  it('gives per-pillar and total counts', () => {
    expect(text).toContain(
      'Pillar 1 Customs-to-Customs: 7 of 11 complied on both sides (ours only 1, theirs only 2, neither 1; ours 8, theirs 9)',
    );
    expect(text).toContain(
      'Total: 14 of 26 complied on both sides (ours only 4, theirs only 5, neither 3; ours 18, theirs 19)',
    );
  });

  it('has one row per standard with both answers and the verdict', () => {
    for (const s of compareSelfAssessments(src, fictional).standards)
      expect(text).toContain(`${s.pillar}.${s.standard}`.padEnd(5) + ` ${s.name}`);
    expect(text).toMatch(
      /\n {2}1\.3 {3}Modern Technology in Inspection Equipment +- {5}Yes {5}theirs only\n/,
    );
    expect(text).toMatch(/\n {2}3\.3 {3}Alignment of Security Programs +Yes {3}- {7}ours only\n/);
  });

  it('cites the basis of each side under the standard', () => {
    expect(text).toContain(
      "        ours:   Code of the RK 'On Customs Regulation in the RK', Article 31\n        theirs: Fictional Customs Act, Article 31",
    );
  });

  it('ends with the status of each recommendation area', () => {
    expect(text).toContain(
      '  Business continuity [PARTIAL]: 1 of 2 complied on both sides; open: 3.5 Development of Continuity and Resumptions (theirs only)\n',
    );
  });
});

describe('renderSelfAssessmentText', () => {
  it('prints one side with its counts per pillar', () => {
    const text = renderSelfAssessmentText(src);
    expect(text).toContain('Pillar 1 Customs-to-Customs: 8 of 11 complied');
    expect(text).toContain('Pillar 2 Customs-to-Business: 3 of 6 complied');
    expect(text).toContain('Pillar 3 Customs-to-Other Government Agencies: 7 of 9 complied');
    expect(text).toContain('Total: 18 of 26 complied');
    expect(text).toMatch(/\n {2}3\.5 {3}Development of Continuity and Resumptions +-\n/);
    expect(text).toContain('3.6   Harmonization of Data Filing Requirements     Yes   Joint Order');
  });
});
