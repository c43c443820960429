import { aeoIdRuleFor, isGatewayError, type IdentifierRule, type Programme } from '@aeo/domain';
import type { PartnerProgrammes } from './partner-programmes.js';

/** One reading of a declared id: which partner programme would have issued it, and its canonical spelling. */
export interface IdCandidate {
  readonly partner: string;
  readonly programme: Programme;
  readonly aeoIdNormalized: string;
}

export type Identification =
  | { readonly kind: 'candidates'; readonly candidates: readonly IdCandidate[] }
  | {
      readonly kind: 'invalid';
      readonly code: 'IDENTIFIER_FORMAT' | 'IDENTIFIER_CHECK_DIGIT';
      readonly message: string;
    };

/** Longer than any partner's AEO id (WCO R143 is an..17; EAEU numbers with spaces stay well under this). */
const MAX_DECLARED_ID_LENGTH = 64;

interface ProgrammeRule {
  readonly partner: string;
  readonly programme: Programme;
  readonly rule: IdentifierRule;
}

/**
 * Reads a declared AEO id in any accepted spelling. Unlike the domain's detectProgramme,
 * which stops at the first rule that accepts, this returns EVERY reading: a bare 10-digit
 * code is a valid Chinese customs code and a valid Korean id (and a Turkish one when its
 * VKN check digit happens to fit), and picking one by list order would silently attribute a
 * Korean AEO to China. The service resolves several readings against the registers.
 * Rules are built once here: Korea's is a configured regular expression.
 */
export class DeclaredIdResolver {
  private readonly rules: readonly ProgrammeRule[];

  constructor(partners: readonly PartnerProgrammes[]) {
    this.rules = partners.flatMap(({ partner, programmes, idRuleOptions }) =>
      programmes.flatMap((programme) => {
        try {
          return [{ partner, programme, rule: aeoIdRuleFor(programme, idRuleOptions) }];
        } catch {
          // EAEU-EEC keeps the common register and issues no ids: nothing to match.
          return [];
        }
      }),
    );
  }

  /** The partners whose programmes this resolver knows, in candidate order. */
  partners(): string[] {
    return [...new Set(this.rules.map((r) => r.partner))];
  }

  /** Readings of `raw` among the programmes of `partners` (those with an MRA configuration). */
  identify(raw: string, partners: { has(partner: string): boolean }): Identification {
    if (raw.trim() === '')
      return { kind: 'invalid', code: 'IDENTIFIER_FORMAT', message: 'the declared AEO id is empty' };
    if (raw.length > MAX_DECLARED_ID_LENGTH) {
      return {
        kind: 'invalid',
        code: 'IDENTIFIER_FORMAT',
        message: `the declared AEO id is longer than ${MAX_DECLARED_ID_LENGTH} characters`,
      };
    }
    const candidates: IdCandidate[] = [];
    let checkDigitFailure: string | undefined;
    const tried: string[] = [];
    // Every rule but one rejects a given id, and the domain rules reject by throwing. Capturing
    // a stack trace is three quarters of that cost (bench/recognition-bench.ts), and these
    // errors are caught right here and never logged, so no stack is taken while the rules run.
    // The loop is synchronous: nothing else can run while the limit is lowered.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      for (const { partner, programme, rule } of this.rules) {
        if (!partners.has(partner)) continue;
        tried.push(programme);
        try {
          const aeoIdNormalized = rule.normalise(raw).normalised;
          if (!candidates.some((c) => c.programme === programme && c.aeoIdNormalized === aeoIdNormalized)) {
            candidates.push({ partner, programme, aeoIdNormalized });
          }
        } catch (error) {
          if (!isGatewayError(error)) throw error;
          // A wrong check digit means the spelling fitted a programme and only the number is
          // wrong: that is the more useful thing to tell the declarant.
          if (error.code === 'IDENTIFIER_CHECK_DIGIT') checkDigitFailure ??= `${programme}: ${error.message}`;
        }
      }
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    if (candidates.length > 0) return { kind: 'candidates', candidates };
    if (checkDigitFailure)
      return { kind: 'invalid', code: 'IDENTIFIER_CHECK_DIGIT', message: checkDigitFailure };
    return {
      kind: 'invalid',
      code: 'IDENTIFIER_FORMAT',
      message:
        tried.length === 0
          ? 'no partner has an MRA configuration'
          : `not an AEO id of any MRA partner programme (tried ${tried.join(', ')})`,
    };
  }
}
