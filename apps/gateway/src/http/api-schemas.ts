import { AUDIT_DIRECTIONS } from '@aeo/audit';
import { AEO_STATUSES, ENVIRONMENTS, OUTBOUND_STATES, SUPPLY_CHAIN_ROLE_NAMES } from '@aeo/domain';
import type { JsonSchema } from './canonical-components.js';

/**
 * Request and response shapes of the HTTP API as JSON Schema 2020-12 (the dialect of
 * OpenAPI 3.1). The same objects feed request validation (input-validation.ts) and the
 * OpenAPI document, so what /docs shows is what the gateway enforces.
 */

export const ref = (component: string): JsonSchema => ({ $ref: `#/components/schemas/${component}` });

const text = (maxLength: number, description?: string): JsonSchema => ({ type: 'string', maxLength, ...(description ? { description } : {}) });
const date = (description: string): JsonSchema => ({ type: 'string', format: 'date', description });
/** Printable, no control characters: ids end up in logs, audit entries and AMQP headers. */
const identifier = (description: string): JsonSchema => ({ type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$', description });
const pageLimit = (max: number): JsonSchema => ({ type: 'string', pattern: '^[0-9]{1,6}$', description: `page size, 1 to ${max} (larger values are capped)` });
const environment: JsonSchema = { enum: [...ENVIRONMENTS], description: 'which register: production (default) or pilot' };
const partnerCode: JsonSchema = { type: 'string', pattern: '^[a-z]{2,16}$', description: 'MRA partner code, e.g. cn, kr, tr, eaeu' };

/** Objects whose properties we list: anything else is refused (a typo must not silently change a decision). */
const closedObject = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  ...(required.length > 0 ? { required } : {}),
  properties,
});

// ---- Errors

export const ERROR_BODY: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: {
          type: 'string',
          description: 'Stable reason code: those of libs/domain/src/reason-codes.ts, or UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, RATE_LIMITED, INTERNAL_ERROR',
          examples: ['MISSING_REQUIRED_FIELD'],
        },
        message: { type: 'string', description: 'for people; may change between versions' },
        path: { type: 'string', description: 'JSON pointer to the offending field in the body, query or path parameters', examples: ['/records/0/status'] },
      },
    },
  },
};

// ---- Inputs

export const REGISTER_CHANGE_BODY = closedObject(
  {
    records: { type: 'array', minItems: 1, maxItems: 1000, items: ref('AeoRecordChange'), description: '1 to 1000 home AEOs (programme KZ-SRC)' },
    environment,
  },
  ['records'],
);

export const STATUS_CHANGE_BODY = closedObject(
  {
    status: { enum: [...AEO_STATUSES], description: 'the new canonical status' },
    reason: text(512, 'why; shared with partners whose format carries it'),
    effectiveFrom: date('YYYY-MM-DD'),
    effectiveTo: date('YYYY-MM-DD; for a suspension with a known end'),
  },
  ['status', 'effectiveFrom'],
);

export const AEO_ID_PARAMS = closedObject({ aeoId: { type: 'string', minLength: 1, maxLength: 64, description: 'normalised AEO id, e.g. KZ123456789012' } }, ['aeoId']);

export const SNAPSHOT_BODY = closedObject({ partner: partnerCode, environment }, ['partner']);

export const RECOGNITION_BODY = closedObject(
  {
    declaredAeoId: text(128, 'the AEO id as declared, in any accepted spelling (AEOCN4403960001, 4403960001, KR1048123454 …); an id no rule accepts is a decision (INVALID_IDENTIFIER), not an error'),
    declarationReference: { type: 'string', minLength: 1, maxLength: 128, description: 'the customs declaration this check is for' },
    role: { enum: [...SUPPLY_CHAIN_ROLE_NAMES], description: "the operator's role in this consignment, when the declaration names one" },
    arrivalTime: { type: 'string', format: 'date-time', maxLength: 40, description: 'ISO 8601 instant with Z or an offset; omitted means now' },
    environment,
  },
  ['declaredAeoId', 'declarationReference'],
);

export const OUTBOX_QUERY = closedObject({ partner: partnerCode, state: { enum: [...OUTBOUND_STATES] }, limit: pageLimit(500) });

export const MESSAGE_ID_PARAMS = closedObject({ messageId: identifier('message id') }, ['messageId']);

export const AUDIT_QUERY = closedObject({
  partner: partnerCode,
  aeoId: text(64),
  messageId: identifier('message id'),
  correlationId: identifier('correlation id'),
  type: { type: 'string', pattern: '^[A-Z_]{1,64}$', description: 'entry type, e.g. ACCESS_DENIED, RECOGNITION_DECISION' },
  outcome: text(64),
  direction: { enum: [...AUDIT_DIRECTIONS] },
  from: text(40, 'ISO 8601 instant or epoch milliseconds'),
  to: text(40, 'ISO 8601 instant or epoch milliseconds'),
  cursor: { type: 'string', pattern: '^[0-9]{1,15}$', description: 'nextCursor of the previous page' },
  limit: pageLimit(500),
  order: { enum: ['asc', 'desc'] },
});

export const AUDIT_SEQ_PARAMS = closedObject({ seq: { type: 'string', pattern: '^[1-9][0-9]{0,14}$', description: 'sequence number of the entry' } }, ['seq']);

export const DLQ_QUERY = closedObject({ limit: pageLimit(1000) });

// ---- Responses (documentation only)

const CHANGE_RESULT: JsonSchema = {
  type: 'object',
  properties: {
    records: { type: 'array', items: ref('AeoRecord'), description: 'the records as stored, with their new versions' },
    queued: { type: 'array', items: { type: 'object', properties: { partner: { type: 'string' }, messageId: { type: 'string' }, records: { type: 'integer' } } } },
    notSent: {
      type: 'array',
      description: "records a partner's format cannot carry, per partner",
      items: { type: 'object', properties: { partner: { type: 'string' }, reasonCode: { type: 'string' }, detail: { type: 'string' } } },
    },
  },
};

export const RESPONSES = {
  changeResult: CHANGE_RESULT,
  storedAeo: {
    type: 'object',
    properties: {
      record: ref('AeoRecord'),
      storedAt: { type: 'integer', description: 'UTC epoch milliseconds' },
      source: { type: 'string' },
      sourceMessageId: { type: ['string', 'null'] },
    },
  },
  recognitionDecision: {
    type: 'object',
    description: 'The decision explains itself: reason code, one line for the officer, evidence, stale flag. Every decision is audited.',
    properties: {
      recognised: { type: 'boolean' },
      reasonCode: { type: 'string', examples: ['ACTIVE', 'SUSPENDED', 'NOT_FOUND', 'INVALID_IDENTIFIER'] },
      explanation: { type: 'string' },
      declarationReference: { type: 'string' },
      declaredAeoId: { type: 'string' },
      environment: { enum: [...ENVIRONMENTS] },
      role: { type: ['string', 'null'] },
      partner: { type: ['string', 'null'] },
      programme: { type: ['string', 'null'] },
      aeoIdNormalized: { type: ['string', 'null'] },
      status: { type: ['string', 'null'] },
      authorisationType: { type: ['string', 'null'] },
      benefits: { type: 'array', items: { type: 'object' } },
      stale: { type: 'boolean' },
      partnerDataReceivedAt: { type: ['string', 'null'] },
      evidence: { type: ['object', 'null'] },
      mraConfigVersion: { type: ['integer', 'null'] },
      arrivalTime: { type: 'string' },
      decidedAt: { type: 'string' },
      detail: { type: ['object', 'null'] },
    },
  },
  outboxList: {
    type: 'object',
    properties: {
      counts: { type: 'array', items: { type: 'object', properties: { partner: { type: 'string' }, state: { enum: [...OUTBOUND_STATES] }, count: { type: 'integer' } } } },
      messages: { type: 'array', items: { type: 'object', description: 'an outbound message without its body' } },
    },
  },
  resent: { type: 'object', properties: { messageId: { type: 'string' }, state: { const: 'QUEUED' } } },
  auditEntry: {
    type: 'object',
    properties: {
      seq: { type: 'integer' },
      recordedAt: { type: 'integer', description: 'UTC epoch milliseconds' },
      direction: { enum: [...AUDIT_DIRECTIONS] },
      partner: { type: ['string', 'null'] },
      messageId: { type: ['string', 'null'] },
      correlationId: { type: ['string', 'null'] },
      aeoId: { type: ['string', 'null'] },
      type: { type: 'string' },
      outcome: { type: 'string' },
      actor: { type: ['string', 'null'] },
      keyId: { type: ['string', 'null'] },
      payloadSha256: { type: ['string', 'null'] },
      details: { type: 'object' },
      prevHash: { type: 'string' },
      hash: { type: 'string' },
    },
  },
  auditPage: {
    type: 'object',
    properties: { entries: { type: 'array', items: ref('AuditEntry') }, nextCursor: { type: ['integer', 'null'], description: 'pass as cursor for the next page; null on the last' } },
  },
  deadLetters: {
    type: 'object',
    properties: {
      messages: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            messageId: { type: ['string', 'null'] },
            routingKey: { type: 'string' },
            partner: { type: 'string' },
            type: { type: ['string', 'null'] },
            reason: { type: 'string' },
            detail: { type: 'string' },
            attempts: { type: 'integer' },
            bytes: { type: 'integer' },
            sha256: { type: 'string' },
          },
        },
      },
    },
  },
  replayed: { type: 'object', properties: { replayed: { type: 'object' } } },
  jwks: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: { type: 'object', description: 'a public JWK with kid, use, alg' } } } },
  metrics: { type: 'string', description: 'Prometheus text format 0.0.4' },
} satisfies Record<string, JsonSchema>;

export const ERROR_REF = ref('Error');
