import type { SafeComparison } from '@aeo/safe';

/**
 * The result of one `mra testrun`: what the JSON report is, and what the HTML report renders.
 * TESTRUN_REPORT_SCHEMA (report-schema.ts) describes it; a report always validates against it.
 */
export type Verdict = 'PASSED' | 'FAILED' | 'NOT_APPLICABLE';

export interface StepResult {
  readonly index: number;
  /** e.g. `gateway: register`, `expect outbox, partnerSees`. */
  readonly step: string;
  readonly verdict: Verdict;
  /** Milliseconds from the start of the scenario. */
  readonly startedAtMs: number;
  readonly elapsedMs: number;
  readonly messageIds: readonly string[];
  readonly reasonCodes: readonly string[];
  /** What happened, in a sentence; for a failure, what was expected and what was seen. */
  readonly detail: string;
}

export interface ScenarioResult {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly file: string;
  readonly verdict: Verdict;
  /** Why the scenario failed or was not applicable. */
  readonly reason: string | null;
  readonly durationMs: number;
  readonly steps: readonly StepResult[];
  /** Misbehaviour the simulator was told to show in this scenario (kit self-check), if any. */
  readonly misbehaviour: readonly string[];
}

export interface LatencyRow {
  /** `out` our messages (queued → partner's receipt applied), `in` the partner's (sent → our receipt received). */
  readonly direction: 'out' | 'in';
  readonly messageType: string;
  readonly count: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

export interface FieldLoss {
  readonly field: string;
  readonly detail: string;
}

export interface CodeListCoverage {
  readonly list: string;
  readonly values: number;
  /** Canonical values with no counterpart in the partner's list. */
  readonly noCounterpart: readonly string[];
  /** Many-to-one: sent as `partner`, read back as `readBackAs`. */
  readonly readBackAs: readonly {
    readonly canonical: string;
    readonly partner: string;
    readonly readBackAs: string;
  }[];
}

export interface DirectionCoverage {
  readonly direction: 'outbound' | 'inbound';
  readonly summary: string;
  readonly carried: readonly string[];
  readonly lost: readonly FieldLoss[];
  readonly codeLists: readonly CodeListCoverage[];
}

export interface SafeSection {
  readonly oursFile: string;
  readonly theirsFile: string;
  /** Present when both self-assessments loaded. */
  readonly comparison: SafeComparison | null;
  readonly error: string | null;
}

export interface NonPilotMessage {
  readonly messageId: string;
  readonly messageType: string;
  readonly environment: string;
  readonly why: string;
}

export interface TestRunReport {
  readonly $schema: 'urn:mra-gateway:schema:v1:testrun-report';
  readonly reportVersion: 1;
  readonly partner: {
    readonly code: string;
    readonly displayName: string;
    readonly programme: string;
    readonly wireFormat: 'xml' | 'json';
    readonly formatStatus: 'assumed' | 'agreed';
  };
  readonly target: {
    readonly kind: 'simulator' | 'partner-broker';
    /** The broker, without credentials. */
    readonly broker: string;
    readonly amqpPrefix: string;
  };
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly summary: {
    readonly verdict: 'PASSED' | 'FAILED';
    readonly total: number;
    readonly passed: number;
    readonly failed: number;
    readonly notApplicable: number;
  };
  readonly scenarios: readonly ScenarioResult[];
  readonly latency: readonly LatencyRow[];
  readonly coverage: { readonly outbound: DirectionCoverage; readonly inbound: DirectionCoverage };
  readonly safe: SafeSection;
  readonly pilot: {
    /** The run's own gateway database (never the production one). */
    readonly database: string;
    readonly environment: 'pilot';
    readonly receiptSlaMinutes: number;
    /** Messages of the run that were not tagged pilot, and why (a simulator limitation, say). */
    readonly nonPilotMessages: readonly NonPilotMessage[];
  };
  readonly notes: readonly string[];
}
