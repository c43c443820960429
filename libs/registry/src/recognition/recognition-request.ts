import {
  ENVIRONMENTS,
  GatewayError,
  isCalendarDate,
  isSupplyChainRole,
  type Environment,
  type SupplyChainRole,
} from '@aeo/domain';

/** What the risk system asks when goods arrive (HTTP POST /v1/recognitions, CLI, AMQP lookup). */
export interface RecognitionRequest {
  /** The AEO id as declared, in any accepted spelling: AEOCN4403960001, 4403960001, by/0042/tip 2, KR1048123454 … */
  readonly declaredAeoId: string;
  readonly declarationReference: string;
  /** The operator's role in this consignment, when the declaration names one. */
  readonly role?: SupplyChainRole;
  /** ISO 8601 instant with Z or an offset; omitted means now (and the current register). */
  readonly arrivalTime?: string;
  readonly environment: Environment;
}

export interface ValidRequest extends RecognitionRequest {
  /** Absent when the caller asked about now: then the current register applies whatever its storedAt. */
  readonly arrivalMillis?: number;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const MAX_REFERENCE_LENGTH = 128;

/**
 * A malformed request is the caller's error, not a decision: it throws GatewayError with a
 * path, and the lead's endpoint answers 400. An id that no rule accepts is NOT an error
 * here — that is a decision (INVALID_IDENTIFIER), because the declarant wrote it.
 */
export function validateRecognitionRequest(request: RecognitionRequest): ValidRequest {
  if (typeof request.declaredAeoId !== 'string') {
    throw new GatewayError('MISSING_REQUIRED_FIELD', 'declaredAeoId is required', '/declaredAeoId');
  }
  const reference = request.declarationReference;
  if (typeof reference !== 'string' || reference.trim() === '') {
    throw new GatewayError(
      'MISSING_REQUIRED_FIELD',
      'declarationReference is required',
      '/declarationReference',
    );
  }
  if (reference.length > MAX_REFERENCE_LENGTH || /[\u0000-\u001f\u007f]/.test(reference)) {
    throw new GatewayError(
      'INVALID_VALUE',
      `declarationReference must be at most ${MAX_REFERENCE_LENGTH} printable characters`,
      '/declarationReference',
    );
  }
  if (!(ENVIRONMENTS as readonly unknown[]).includes(request.environment)) {
    throw new GatewayError(
      'INVALID_VALUE',
      `environment must be one of ${ENVIRONMENTS.join(', ')}`,
      '/environment',
    );
  }
  if (request.role !== undefined && !isSupplyChainRole(request.role)) {
    throw new GatewayError(
      'UNKNOWN_ROLE_CODE',
      `unknown supply-chain role '${String(request.role)}'`,
      '/role',
    );
  }
  if (request.arrivalTime === undefined) return request;
  const text = request.arrivalTime;
  // Date.parse rolls 2025-02-30 over into March; the calendar check refuses it.
  const millis =
    typeof text === 'string' && INSTANT.test(text) && isCalendarDate(text.slice(0, 10))
      ? Date.parse(text)
      : NaN;
  if (!Number.isFinite(millis)) {
    throw new GatewayError(
      'INVALID_DATE',
      'arrivalTime must be an ISO 8601 instant such as 2025-03-01T08:30:00Z',
      '/arrivalTime',
    );
  }
  // Spelled out rather than spread: this runs on every border request (see recognition-service.ts).
  return {
    declaredAeoId: request.declaredAeoId,
    declarationReference: request.declarationReference,
    role: request.role,
    arrivalTime: request.arrivalTime,
    environment: request.environment,
    arrivalMillis: millis,
  };
}
