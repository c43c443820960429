import {
  VERDICT_LABEL,
  type AreaStatus,
  type RecommendationAreaResult,
  type StandardComparison,
} from './comparison.js';

export interface StandardRef {
  readonly pillar: number;
  readonly standard: number;
}

export interface RecommendationArea {
  readonly id: string;
  readonly title: string;
  /** The standard that names the area comes first, then those it depends on. */
  readonly standards: readonly StandardRef[];
  readonly why: string;
}

/**
 * The four areas in which the SRC's July 2024 survey asks for capacity to comply with SAFE
 * 2021, each mapped to the standards of the SAFE 2021 numbering (as in config/safe/) that
 * bear on it. Keyed by pillar and number: the schema fixes that numbering, and the unit
 * tests check each reference still points at the name the mapping was made for.
 */
export const RECOMMENDATION_AREAS: readonly RecommendationArea[] = [
  {
    id: 'SECURITY_PROGRAM_ALIGNMENT',
    title: 'Alignment of security programs',
    standards: [
      { pillar: 3, standard: 3 },
      { pillar: 3, standard: 9 },
      { pillar: 2, standard: 2 },
    ],
    why:
      'Pillar 3 standards 3 (Alignment of Security Programs) and 9 (Harmonization of Security Programs) are the area itself, ' +
      'within the government and between governments; Pillar 2 standard 2 (Security) holds the AEO security requirements ' +
      'that two programs compare when they negotiate mutual recognition.',
  },
  {
    id: 'NATIONAL_CONTROL_HARMONIZATION',
    title: 'Harmonization of national control measures',
    standards: [
      { pillar: 3, standard: 4 },
      { pillar: 3, standard: 1 },
      { pillar: 3, standard: 2 },
    ],
    why:
      'Pillar 3 standard 4 (Harmonization of National Control Measures) names the area; standards 1 (Mutual Co-operation ' +
      'between Customs and PGAs) and 2 (Cooperative Arrangement / Procedures) are the agreements between border agencies ' +
      'through which national controls get harmonized.',
  },
  {
    id: 'BUSINESS_CONTINUITY',
    title: 'Business continuity',
    standards: [
      { pillar: 3, standard: 5 },
      { pillar: 2, standard: 6 },
    ],
    why:
      'Pillar 3 standard 5 (Development of Continuity and Resumptions) is the continuity and trade-resumption standard; ' +
      'no Pillar 2 standard is named for trade recovery. Pillar 2 standard 6 (Facilitation) is where AEO benefits sit, ' +
      'among them priority when trade resumes after a disruption (BUSINESS_CONTINUITY_PRIORITY in config/mra/).',
  },
  {
    id: 'DATA_FILING_HARMONIZATION',
    title: 'Harmonization of data filing',
    standards: [
      { pillar: 3, standard: 6 },
      { pillar: 1, standard: 6 },
    ],
    why:
      'Pillar 3 standard 6 (Harmonization of Data Filing Requirements) names the area; Pillar 1 standard 6 (Advance ' +
      'Electronic Information) defines the data traders file, which harmonized filing must collect once for all agencies.',
  },
];

function statusOf(both: number, total: number): AreaStatus {
  if (both === total) return 'ALIGNED';
  return both === 0 ? 'OPEN' : 'PARTIAL';
}

function statusLine(standards: readonly StandardComparison[]): string {
  const open = standards.filter((s) => s.verdict !== 'BOTH');
  const both = `${standards.length - open.length} of ${standards.length} complied on both sides`;
  if (open.length === 0) return both;
  const gaps = open.map((s) => `${s.pillar}.${s.standard} ${s.name} (${VERDICT_LABEL[s.verdict]})`);
  return `${both}; open: ${gaps.join(', ')}`;
}

export function evaluateRecommendationAreas(
  standards: readonly StandardComparison[],
  areas: readonly RecommendationArea[] = RECOMMENDATION_AREAS,
): RecommendationAreaResult[] {
  return areas.map((area) => {
    const bearing = area.standards.map((ref) => {
      const found = standards.find((s) => s.pillar === ref.pillar && s.standard === ref.standard);
      // The schema guarantees every SAFE 2021 standard is present, so a miss is a mapping bug.
      if (!found)
        throw new Error(`recommendation area ${area.id}: no standard ${ref.pillar}.${ref.standard}`);
      return found;
    });
    const both = bearing.filter((s) => s.verdict === 'BOTH').length;
    return {
      id: area.id,
      title: area.title,
      why: area.why,
      standards: bearing.map(({ pillar, standard, name, verdict }) => ({ pillar, standard, name, verdict })),
      status: statusOf(both, bearing.length),
      statusLine: statusLine(bearing),
    };
  });
}
