import { GatewayError, isGatewayError, type Environment } from '@aeo/domain';
import type { MraConfig } from '../mra-config.js';
import { DeclaredIdResolver, type IdCandidate } from './declared-id-resolver.js';
import { partnerDataStale } from './mra-scope.js';
import type { PartnerProgrammes } from './partner-programmes.js';
import type { RecognitionDecision, RecognitionDetail } from './recognition-decision.js';
import type { RecognitionIndex } from './recognition-index.js';
import type { RecognitionReasonCode } from './recognition-reason-codes.js';
import {
  validateRecognitionRequest,
  type RecognitionRequest,
  type ValidRequest,
} from './recognition-request.js';
import { decideRecognition, type RuleOutcome } from './recognition-rules.js';
import type { RecognitionSource } from './recognition-source.js';
import type { RegisterKey } from './register-facts.js';
import { settledByItself, statusAsOf, type StatusAsOf } from './status-as-of.js';

export interface RecognitionServiceDependencies {
  readonly index: RecognitionIndex;
  /** For what the index does not hold: past versions and past partner data times. */
  readonly source: RecognitionSource;
  /** Candidate programmes per partner, in order (partner-programmes.ts). */
  readonly partners: readonly PartnerProgrammes[];
  /** Read on every decision, so an MRA suspended in configuration takes effect at once. */
  readonly mraConfigs: () => ReadonlyMap<string, MraConfig>;
  readonly clock?: () => number;
}

interface Context {
  readonly request: ValidRequest;
  readonly arrivalMillis: number;
  readonly now: number;
}

const iso = (millis: number) => new Date(millis).toISOString();

/** A database failure on the history path is the same 503 as one on the index path. */
async function readRegister<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isGatewayError(error)) throw error;
    throw new GatewayError(
      'TRANSIENT_FAILURE',
      `the foreign register could not be read: ${(error as Error).message}`,
      undefined,
      {
        cause: error,
      },
    );
  }
}

/**
 * Recognition on arrival (issue #6 items 4–5): is the declared foreign operator a valid AEO
 * of an MRA partner at the arrival, and which benefits apply? It only decides; the caller
 * (HTTP endpoint, CLI, AMQP lookup) audits every decision it returns.
 */
export class RecognitionService {
  private readonly resolver: DeclaredIdResolver;
  private readonly clock: () => number;

  constructor(private readonly deps: RecognitionServiceDependencies) {
    this.resolver = new DeclaredIdResolver(deps.partners);
    this.clock = deps.clock ?? Date.now;
  }

  /** Load the index now rather than on the first border request. */
  start(): Promise<void> {
    return this.deps.index.start();
  }

  /** After an in-process register write commits (see RecognitionIndex.invalidate). */
  invalidate(keys: readonly RegisterKey[]): void {
    this.deps.index.invalidate(keys);
  }

  /** Throws GatewayError for a malformed request (400) or TRANSIENT_FAILURE when the register cannot be read (503). */
  async recognise(input: RecognitionRequest): Promise<RecognitionDecision> {
    const request = validateRecognitionRequest(input);
    const now = this.clock();
    const context: Context = { request, arrivalMillis: request.arrivalMillis ?? now, now };
    const configs = this.deps.mraConfigs();
    const identification = this.resolver.identify(request.declaredAeoId, configs);
    if (identification.kind === 'invalid') {
      return this.unresolved(
        context,
        'INVALID_IDENTIFIER',
        `'${request.declaredAeoId}' is not a valid AEO id: ${identification.message}`,
        {
          code: identification.code,
          message: identification.message,
        },
      );
    }
    const pending = this.deps.index.syncIfDue();
    if (pending) await pending;
    const { candidates } = identification;
    let candidate = candidates[0];
    if (candidates.length > 1) {
      // A bare code several programmes accept: the registers decide which AEO is meant.
      const held = candidates.filter((c) =>
        this.deps.index.current(request.environment, c.programme, c.aeoIdNormalized),
      );
      if (held.length !== 1) {
        const ambiguous = held.length > 1;
        const listed = ambiguous ? held : candidates;
        return this.unresolved(
          context,
          ambiguous ? 'AMBIGUOUS_IDENTIFIER' : 'NOT_FOUND',
          ambiguous
            ? `'${request.declaredAeoId}' is an AEO of ${held.map((c) => c.programme).join(' and ')}: declare it with its prefix`
            : `no partner register holds '${request.declaredAeoId}' (read as ${candidates.map((c) => c.aeoIdNormalized).join(', ')})`,
          { candidates: listed },
        );
      }
      candidate = held[0]!;
    }
    return this.decide(context, candidate, configs.get(candidate.partner)!);
  }

  private async decide(
    context: Context,
    candidate: IdCandidate,
    config: MraConfig,
  ): Promise<RecognitionDecision> {
    const { request } = context;
    const arrivalDate = iso(context.arrivalMillis).slice(0, 10);
    const key: RegisterKey = {
      environment: request.environment,
      programme: candidate.programme,
      aeoIdNormalized: candidate.aeoIdNormalized,
    };
    const asOf = await this.statusAt(key, request.arrivalMillis, arrivalDate);
    const outcome: RuleOutcome = decideRecognition({
      config,
      environment: request.environment,
      arrivalDate,
      asOf,
      role: request.role,
    });
    // Freshness is judged when the data was used: at arrival, or now for an arrival still to come.
    const staleAt = Math.min(context.arrivalMillis, context.now);
    const lastDataAt = await this.partnerDataAt(request.environment, candidate.partner, staleAt);
    const recognised = outcome.reasonCode === 'ACTIVE';
    const version = outcome.version;
    return decision(context, {
      recognised,
      reasonCode: outcome.reasonCode,
      explanation: outcome.explanation,
      partner: candidate.partner,
      programme: candidate.programme,
      aeoIdNormalized: candidate.aeoIdNormalized,
      status: outcome.status,
      authorisationType: version?.authorisationType ?? null,
      benefits: recognised ? [...config.inbound.benefits] : [],
      stale: partnerDataStale(config, lastDataAt, staleAt),
      partnerDataReceivedAt: lastDataAt === undefined ? null : iso(lastDataAt),
      evidence: version
        ? {
            sourceMessageId: version.sourceMessageId,
            storedAt: iso(version.storedAt),
            recordVersion: version.recordVersion,
          }
        : null,
      mraConfigVersion: config.version,
      detail: null,
    });
  }

  /**
   * The in-memory version answers when it was stored by the arrival (or the caller asked
   * about now) and its status had begun by the arrival date; anything else — a past arrival
   * older than the latest change, a status announced for a later date — reads the history.
   * A key the index does not hold has no history either: the register never deletes.
   */
  private async statusAt(
    key: RegisterKey,
    arrivalMillis: number | undefined,
    arrivalDate: string,
  ): Promise<StatusAsOf> {
    const held = this.deps.index.current(key.environment, key.programme, key.aeoIdNormalized);
    if (!held) return { kind: 'none' };
    if (
      (arrivalMillis === undefined || held.storedAt <= arrivalMillis) &&
      settledByItself(held, arrivalDate)
    ) {
      return statusAsOf([held], arrivalDate);
    }
    return statusAsOf(
      await readRegister(() => this.deps.source.versionsAsOf(key, arrivalMillis ?? Number.MAX_SAFE_INTEGER)),
      arrivalDate,
    );
  }

  private async partnerDataAt(
    environment: Environment,
    partner: string,
    atMillis: number,
  ): Promise<number | undefined> {
    const latest = this.deps.index.partnerDataAt(environment, partner);
    if (latest === undefined || latest <= atMillis) return latest;
    return readRegister(() => this.deps.source.partnerDataTimeAsOf(environment, partner, atMillis));
  }

  private unresolved(
    context: Context,
    reasonCode: RecognitionReasonCode,
    explanation: string,
    detail: RecognitionDetail,
  ): RecognitionDecision {
    return decision(context, {
      recognised: false,
      reasonCode,
      explanation,
      partner: null,
      programme: null,
      aeoIdNormalized: null,
      status: null,
      authorisationType: null,
      benefits: [],
      stale: false,
      partnerDataReceivedAt: null,
      evidence: null,
      mraConfigVersion: null,
      detail,
    });
  }
}

type DecisionParts = Omit<
  RecognitionDecision,
  'declarationReference' | 'declaredAeoId' | 'environment' | 'role' | 'arrivalTime' | 'decidedAt'
>;

/**
 * Every field written out in one literal, in a fixed order. Not `{ ...base, ...parts }`: on
 * Node 20 an object spread followed by this many properties takes ~50 µs, more than the
 * whole rest of a decision (measured with bench/recognition-bench.ts).
 */
function decision(context: Context, parts: DecisionParts): RecognitionDecision {
  const { request } = context;
  return {
    recognised: parts.recognised,
    reasonCode: parts.reasonCode,
    explanation: parts.explanation,
    declarationReference: request.declarationReference,
    declaredAeoId: request.declaredAeoId,
    environment: request.environment,
    role: request.role ?? null,
    partner: parts.partner,
    programme: parts.programme,
    aeoIdNormalized: parts.aeoIdNormalized,
    status: parts.status,
    authorisationType: parts.authorisationType,
    benefits: parts.benefits,
    stale: parts.stale,
    partnerDataReceivedAt: parts.partnerDataReceivedAt,
    evidence: parts.evidence,
    mraConfigVersion: parts.mraConfigVersion,
    arrivalTime: iso(context.arrivalMillis),
    decidedAt: iso(context.now),
    detail: parts.detail,
  };
}
