/**
 * JSON Schema (2020-12) of the JSON test-run report (report.ts). The report names it in
 * `$schema`; `mra testrun --print-report-schema` prints it for partners who process reports.
 */
const verdict = { enum: ['PASSED', 'FAILED', 'NOT_APPLICABLE'] };
const text = { type: 'string' };
const nullableText = { oneOf: [{ type: 'string' }, { type: 'null' }] };
const count = { type: 'integer', minimum: 0 };
const millis = { type: 'number', minimum: 0 };
const strings = { type: 'array', items: { type: 'string' } };

function object(
  properties: Record<string, unknown>,
  optional: readonly string[] = [],
): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties).filter((key) => !optional.includes(key)),
    properties,
  };
}

const step = object({
  index: count,
  step: text,
  verdict,
  startedAtMs: millis,
  elapsedMs: millis,
  messageIds: strings,
  reasonCodes: strings,
  detail: text,
});

const scenario = object({
  name: text,
  title: text,
  description: text,
  file: text,
  verdict,
  reason: nullableText,
  durationMs: millis,
  steps: { type: 'array', items: step },
  misbehaviour: strings,
});

const latency = object({
  direction: { enum: ['out', 'in'] },
  messageType: text,
  count,
  p50Ms: millis,
  p95Ms: millis,
  maxMs: millis,
});

const direction = object({
  direction: { enum: ['outbound', 'inbound'] },
  summary: text,
  carried: strings,
  lost: { type: 'array', items: object({ field: text, detail: text }) },
  codeLists: {
    type: 'array',
    items: object({
      list: text,
      values: count,
      noCounterpart: strings,
      readBackAs: { type: 'array', items: object({ canonical: text, partner: text, readBackAs: text }) },
    }),
  },
});

export const TESTRUN_REPORT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:mra-gateway:schema:v1:testrun-report',
  title: 'MRA negotiation test-run report',
  description: 'The JSON form of an `mra testrun` report; the HTML report shows the same object.',
  ...object({
    $schema: { const: 'urn:mra-gateway:schema:v1:testrun-report' },
    reportVersion: { const: 1 },
    partner: object({
      code: text,
      displayName: text,
      programme: text,
      wireFormat: { enum: ['xml', 'json'] },
      formatStatus: { enum: ['assumed', 'agreed'] },
    }),
    target: object({ kind: { enum: ['simulator', 'partner-broker'] }, broker: text, amqpPrefix: text }),
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
    durationMs: millis,
    summary: object({
      verdict: { enum: ['PASSED', 'FAILED'] },
      total: count,
      passed: count,
      failed: count,
      notApplicable: count,
    }),
    scenarios: { type: 'array', items: scenario },
    latency: { type: 'array', items: latency },
    coverage: object({ outbound: direction, inbound: direction }),
    safe: object({
      oursFile: text,
      theirsFile: text,
      comparison: {
        oneOf: [
          { type: 'null' },
          {
            type: 'object',
            required: ['ours', 'theirs', 'standards', 'pillars', 'total', 'recommendationAreas'],
            properties: {
              ours: { type: 'object' },
              theirs: { type: 'object' },
              standards: { type: 'array' },
              pillars: { type: 'array' },
              total: { type: 'object' },
              recommendationAreas: { type: 'array' },
            },
          },
        ],
      },
      error: nullableText,
    }),
    pilot: object({
      database: text,
      environment: { const: 'pilot' },
      receiptSlaMinutes: { type: 'integer', minimum: 1 },
      nonPilotMessages: {
        type: 'array',
        items: object({ messageId: text, messageType: text, environment: text, why: text }),
      },
    }),
    notes: strings,
  }),
} as const;
