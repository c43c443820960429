import type { AeoStatus, AuthorisationType, Environment, Programme, SupplyChainRole } from '@aeo/domain';
import type { Benefit } from '../mra-config.js';
import type { RecognitionReasonCode } from './recognition-reason-codes.js';

/**
 * The answer to one recognition request: a plain, JSON-ready object with a stable shape
 * (every field present; null where it does not apply), so the lead can return it over HTTP,
 * AMQP or the CLI and put it in the audit log unchanged.
 */
export interface RecognitionDecision {
  readonly recognised: boolean;
  readonly reasonCode: RecognitionReasonCode;
  /** One line for the officer at the border. */
  readonly explanation: string;
  readonly declarationReference: string;
  readonly declaredAeoId: string;
  readonly environment: Environment;
  readonly role: SupplyChainRole | null;
  /** MRA partner code (cn, kr, tr, eaeu) whose programme issued the id. */
  readonly partner: string | null;
  readonly programme: Programme | null;
  /** The id in its canonical spelling (e.g. CN4403960001, BY/0042/ТИП 2). */
  readonly aeoIdNormalized: string | null;
  /** In effect at arrival (a suspension that ended before arrival reads ACTIVE). */
  readonly status: AeoStatus | null;
  readonly authorisationType: AuthorisationType | null;
  /** From the MRA configuration; empty unless recognised. */
  readonly benefits: readonly Benefit[];
  /** The partner's data last reached us longer ago than its freshnessSlaHours (or never). */
  readonly stale: boolean;
  /** When the partner's data last reached us, as of the arrival. */
  readonly partnerDataReceivedAt: string | null;
  readonly evidence: RecognitionEvidence | null;
  readonly mraConfigVersion: number | null;
  readonly arrivalTime: string;
  readonly decidedAt: string;
  readonly detail: RecognitionDetail | null;
}

/** The stored version the decision read. */
export interface RecognitionEvidence {
  /** The partner message that set this version (null for versions loaded without one). */
  readonly sourceMessageId: string | null;
  readonly storedAt: string;
  readonly recordVersion: number;
}

export interface RecognitionDetail {
  /** INVALID_IDENTIFIER: the identifier error, e.g. IDENTIFIER_CHECK_DIGIT or IDENTIFIER_FORMAT. */
  readonly code?: string;
  readonly message?: string;
  /** NOT_FOUND or AMBIGUOUS_IDENTIFIER for a bare code: every programme it could belong to. */
  readonly candidates?: readonly {
    readonly partner: string;
    readonly programme: Programme;
    readonly aeoIdNormalized: string;
  }[];
}
