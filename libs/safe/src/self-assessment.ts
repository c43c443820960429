/**
 * One administration's self-assessment against the WCO SAFE Framework of Standards (2021),
 * as stored under config/safe/ (schema: schemas/v1/config/safe-self-assessment.schema.json).
 * The schema fixes the shape: pillars 1, 2, 3 with 11, 6 and 9 standards, numbered in order.
 */
export interface SafeStandardAnswer {
  readonly standard: number;
  readonly name: string;
  /** The legal article or practice the answer rests on; null where none was given. */
  readonly basis: string | null;
  /** false: not demonstrated (left blank, "-", in the survey), not necessarily absent. */
  readonly complied: boolean;
}

export interface SafePillarAnswers {
  readonly pillar: number;
  readonly name: string;
  readonly standards: readonly SafeStandardAnswer[];
}

export interface SafeSelfAssessment {
  readonly program: string;
  readonly framework: string;
  readonly assessedOn: string;
  readonly source: string;
  readonly note?: string;
  readonly pillars: readonly SafePillarAnswers[];
}

/** A validated self-assessment and the file it came from, so later errors can name the file. */
export interface LoadedSelfAssessment {
  readonly file: string;
  readonly assessment: SafeSelfAssessment;
}
