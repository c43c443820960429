import type { AeoStatus, Environment, SupplyChainRole } from '@aeo/domain';
import type { MraConfig } from '../mra-config.js';
import { mraCovers, mraOpenFor } from './mra-scope.js';
import type { RecognitionReasonCode } from './recognition-reason-codes.js';
import type { RegisterFacts } from './register-facts.js';
import type { StatusAsOf } from './status-as-of.js';

export interface RuleInput {
  readonly config: MraConfig;
  readonly environment: Environment;
  /** The arrival's UTC calendar date, YYYY-MM-DD. */
  readonly arrivalDate: string;
  readonly asOf: StatusAsOf;
  readonly role?: SupplyChainRole | undefined;
}

export interface RuleOutcome {
  readonly reasonCode: RecognitionReasonCode;
  /** The status in effect at arrival; null when no record or no status was in effect. */
  readonly status: AeoStatus | null;
  /** The stored version the decision read (the evidence); null when there was none. */
  readonly version: RegisterFacts | null;
  readonly explanation: string;
}

/**
 * The decision for one identified AEO, in a fixed order: the first rule that fails gives the
 * reason. The order goes from the arrangement to the record to the declaration:
 *
 * 1. MRA_NOT_IN_FORCE — under a closed arrangement nothing is recognised, whatever the record says.
 * 2. NOT_FOUND — no version of the AEO stored at or before arrival.
 * 3. NOT_COVERED_BY_MRA — programme or authorisation type outside the inbound scope; a type
 *    the MRA never recognises is not recognised in any status.
 * 4. The status in effect at arrival (status-as-of.ts): NOT_YET_VALID when none was yet,
 *    otherwise every status but ACTIVE is its own reason.
 * 5. CONSENT_WITHDRAWN — the MRA requires consent and the holder has not (or no longer) given it,
 *    even if the partner left the status ACTIVE (EU model: withdrawing consent withdraws benefits).
 * 6. NOT_YET_VALID / EXPIRED — the authorisation's own validFrom/validUntil.
 * 7. ROLE_NOT_COVERED — a declared role the AEO is not authorised for.
 * 8. ACTIVE — recognised.
 */
export function decideRecognition(input: RuleInput): RuleOutcome {
  const { config, asOf, arrivalDate } = input;
  const version = asOf.kind === 'none' ? null : asOf.version;
  const status = asOf.kind === 'effective' ? asOf.status : null;
  const outcome = (reasonCode: RecognitionReasonCode, explanation: string): RuleOutcome => ({
    reasonCode,
    status,
    version,
    explanation,
  });

  if (!mraOpenFor(config, input.environment, arrivalDate)) {
    return outcome(
      'MRA_NOT_IN_FORCE',
      `the MRA with ${config.partner} is not in force on ${arrivalDate} (state ${config.state}${datesOf(config)}, config version ${config.version})`,
    );
  }
  if (!version) return outcome('NOT_FOUND', 'the partner register held no such AEO at arrival');
  if (!mraCovers(config, version.programme, version.authorisationType)) {
    return outcome(
      'NOT_COVERED_BY_MRA',
      `${version.programme} ${version.authorisationType} is outside the MRA's inbound scope`,
    );
  }
  if (asOf.kind === 'not-yet-effective') {
    return outcome(
      'NOT_YET_VALID',
      `its status ${version.status} takes effect only on ${version.statusEffectiveFrom}, and no earlier status is known`,
    );
  }
  if (asOf.kind === 'effective' && asOf.status !== 'ACTIVE') {
    const reason =
      asOf.basis === 'ACTIVE_PERIOD_ENDED' ? ` (active period ended ${version.statusEffectiveTo})` : '';
    return outcome(asOf.status, `status ${asOf.status} since ${version.statusEffectiveFrom}${reason}`);
  }
  if (config.consent.required && !version.consentGranted) {
    return outcome(
      'CONSENT_WITHDRAWN',
      "the MRA requires the holder's consent to share its data and it is not given",
    );
  }
  if (version.validFrom > arrivalDate)
    return outcome('NOT_YET_VALID', `the authorisation is valid only from ${version.validFrom}`);
  if (version.validUntil !== undefined && version.validUntil < arrivalDate) {
    return outcome('EXPIRED', `the authorisation was valid until ${version.validUntil}`);
  }
  if (input.role !== undefined && !version.supplyChainRoles.includes(input.role)) {
    return outcome(
      'ROLE_NOT_COVERED',
      `not authorised as ${input.role} (roles: ${version.supplyChainRoles.join(', ')})`,
    );
  }
  const basis =
    asOf.kind === 'effective' && asOf.basis === 'SUSPENSION_ENDED'
      ? ` (suspension ended ${version.statusEffectiveTo})`
      : '';
  return outcome('ACTIVE', `active AEO of ${version.programme}, ${version.authorisationType}${basis}`);
}

function datesOf(config: MraConfig): string {
  const from = config.inForceFrom ? `, from ${config.inForceFrom}` : '';
  const until = config.inForceUntil ? `, until ${config.inForceUntil}` : '';
  return from + until;
}
