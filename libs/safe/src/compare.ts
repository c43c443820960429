import { GatewayError } from '@aeo/domain';
import type {
  SafeComparison,
  SideAnswer,
  SideInfo,
  StandardComparison,
  Verdict,
  VerdictCounts,
} from './comparison.js';
import { evaluateRecommendationAreas } from './recommendation-areas.js';
import type { LoadedSelfAssessment, SafeStandardAnswer } from './self-assessment.js';

export function verdictOf(ours: boolean, theirs: boolean): Verdict {
  if (ours && theirs) return 'BOTH';
  if (ours) return 'OURS_ONLY';
  return theirs ? 'THEIRS_ONLY' : 'NEITHER';
}

/**
 * Standard names are compared after folding what translations and house styles vary:
 * case, spacing, punctuation ("Co-operation"), and British spelling, which WCO texts use
 * ("Harmonisation", "Programmes"). A different word still counts as a different standard.
 */
export function normaliseStandardName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/programme/g, 'program')
    .replace(/isation/g, 'ization')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export function sameStandardName(a: string, b: string): boolean {
  return normaliseStandardName(a) === normaliseStandardName(b);
}

/**
 * Refuse two files that name a standard differently: matching is by pillar and number,
 * so differing names mean the files follow different frameworks (or editions), and a
 * comparison would pair unrelated standards without anyone noticing.
 */
function assertSameFramework(ours: LoadedSelfAssessment, theirs: LoadedSelfAssessment): void {
  const differences: Array<{ pointer: string; text: string }> = [];
  ours.assessment.pillars.forEach((pillar, p) => {
    pillar.standards.forEach((standard, s) => {
      const other = theirs.assessment.pillars[p].standards[s];
      if (!sameStandardName(standard.name, other.name)) {
        differences.push({
          pointer: `/pillars/${p}/standards/${s}/name`,
          text: `${pillar.pillar}.${standard.standard} is "${other.name}" there but "${standard.name}" in ${ours.file}`,
        });
      }
    });
  });
  if (differences.length === 0) return;
  throw new GatewayError(
    'BUSINESS_RULE_VIOLATION',
    `${theirs.file}: standard names disagree with ${ours.file}, so the files do not follow the same framework: ${differences.map((d) => d.text).join('; ')}`,
    `${theirs.file}#${differences[0].pointer}`,
  );
}

function side(answer: SafeStandardAnswer): SideAnswer {
  return { complied: answer.complied, basis: answer.basis };
}

export function countVerdicts(standards: readonly StandardComparison[]): VerdictCounts {
  const count = (verdict: Verdict) => standards.filter((s) => s.verdict === verdict).length;
  return {
    standards: standards.length,
    both: count('BOTH'),
    oursOnly: count('OURS_ONLY'),
    theirsOnly: count('THEIRS_ONLY'),
    neither: count('NEITHER'),
    oursComplied: standards.filter((s) => s.ours.complied).length,
    theirsComplied: standards.filter((s) => s.theirs.complied).length,
  };
}

function sideInfo({ file, assessment }: LoadedSelfAssessment): SideInfo {
  const { program, framework, assessedOn, source, note } = assessment;
  return note === undefined
    ? { file, program, framework, assessedOn, source }
    : { file, program, framework, assessedOn, source, note };
}

/**
 * Set two validated self-assessments side by side, standard by standard. Both inputs have
 * passed the schema, so they have the same pillars and standard numbers in the same order.
 */
export function compareSelfAssessments(
  ours: LoadedSelfAssessment,
  theirs: LoadedSelfAssessment,
): SafeComparison {
  assertSameFramework(ours, theirs);
  const standards = ours.assessment.pillars.flatMap((pillar, p) =>
    pillar.standards.map((answer, s): StandardComparison => {
      const other = theirs.assessment.pillars[p].standards[s];
      return {
        pillar: pillar.pillar,
        standard: answer.standard,
        name: answer.name,
        ours: side(answer),
        theirs: side(other),
        verdict: verdictOf(answer.complied, other.complied),
      };
    }),
  );
  const pillars = ours.assessment.pillars.map((pillar) => ({
    pillar: pillar.pillar,
    name: pillar.name,
    counts: countVerdicts(standards.filter((s) => s.pillar === pillar.pillar)),
  }));
  return {
    ours: sideInfo(ours),
    theirs: sideInfo(theirs),
    standards,
    pillars,
    total: countVerdicts(standards),
    recommendationAreas: evaluateRecommendationAreas(standards),
  };
}
