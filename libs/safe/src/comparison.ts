/** The result of `compareSelfAssessments`: what `--json` prints and both renderers read. */

/** Who demonstrated a standard: both sides, only ours, only theirs, or neither. */
export type Verdict = 'BOTH' | 'OURS_ONLY' | 'THEIRS_ONLY' | 'NEITHER';

/** How text, HTML and status lines spell a verdict. */
export const VERDICT_LABEL: Readonly<Record<Verdict, string>> = {
  BOTH: 'both',
  OURS_ONLY: 'ours only',
  THEIRS_ONLY: 'theirs only',
  NEITHER: 'neither',
};

export interface SideAnswer {
  readonly complied: boolean;
  readonly basis: string | null;
}

export interface StandardComparison {
  readonly pillar: number;
  readonly standard: number;
  /** The name as our file gives it (the two files' names agree, see `sameStandardName`). */
  readonly name: string;
  readonly ours: SideAnswer;
  readonly theirs: SideAnswer;
  readonly verdict: Verdict;
}

export interface VerdictCounts {
  readonly standards: number;
  readonly both: number;
  readonly oursOnly: number;
  readonly theirsOnly: number;
  readonly neither: number;
  readonly oursComplied: number;
  readonly theirsComplied: number;
}

export interface PillarSummary {
  readonly pillar: number;
  readonly name: string;
  readonly counts: VerdictCounts;
}

export interface SideInfo {
  readonly file: string;
  readonly program: string;
  readonly framework: string;
  readonly assessedOn: string;
  readonly source: string;
  readonly note?: string;
}

export interface SafeComparison {
  readonly ours: SideInfo;
  readonly theirs: SideInfo;
  readonly standards: readonly StandardComparison[];
  readonly pillars: readonly PillarSummary[];
  readonly total: VerdictCounts;
  readonly recommendationAreas: readonly RecommendationAreaResult[];
}

export type AreaStatus = 'ALIGNED' | 'PARTIAL' | 'OPEN';

/** One of the four areas the SRC's 2024 survey asks capacity for, evaluated on this comparison. */
export interface RecommendationAreaResult {
  readonly id: string;
  readonly title: string;
  /** Why these standards bear on the area. */
  readonly why: string;
  readonly standards: ReadonlyArray<Pick<StandardComparison, 'pillar' | 'standard' | 'name' | 'verdict'>>;
  /** ALIGNED: every standard complied on both sides; OPEN: none is; PARTIAL: some are. */
  readonly status: AreaStatus;
  readonly statusLine: string;
}
