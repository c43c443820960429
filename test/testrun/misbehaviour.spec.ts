/**
 * The kit catches a misbehaving partner: the simulator is told to misbehave in ways the
 * scenarios do not expect (no receipts where an acknowledgement is expected, a clean message
 * where a rejection is expected), and the report must mark exactly those scenarios FAILED,
 * with evidence, and pass the rest.
 */
import { describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mra, readReport, reportSchemaErrors } from './support.js';

jest.setTimeout(180_000);

const SEEDED: Record<string, string> = {
  'delta-suspension': 'receipts-none',
  lookup: 'receipts-none',
  'bad-signature': 'no-defect',
  'malformed-body': 'no-defect',
  'unknown-code': 'no-defect',
};
const CLEAN = ['revocation', 'replay', 'out-of-order', 'bad-check-digit'];

describe('mra testrun with a misbehaving simulator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mra-testrun-misbehaviour-'));
  const json = join(dir, 'kr.json');
  let status: number | null;

  it('exits 1 and fails exactly the scenarios whose expectations the misbehaviour breaks', async () => {
    const run = await mra([
      'testrun',
      '--partner',
      'kr',
      '--scenarios',
      [...Object.keys(SEEDED), ...CLEAN].join(','),
      '--expect-timeout',
      '8s',
      ...Object.entries(SEEDED).flatMap(([scenario, kind]) => ['--misbehave', `${scenario}=${kind}`]),
      '--report',
      json,
    ]);
    status = run.status;
    expect(status).toBe(1);
    const report = readReport(json);
    const verdicts = Object.fromEntries(report.scenarios.map((s) => [s.name, s.verdict]));
    expect(verdicts).toEqual({
      ...Object.fromEntries(Object.keys(SEEDED).map((n) => [n, 'FAILED'])),
      ...Object.fromEntries(CLEAN.map((n) => [n, 'PASSED'])),
    });
    expect(report.summary).toMatchObject({ verdict: 'FAILED', failed: Object.keys(SEEDED).length });
    expect(reportSchemaErrors(report)).toEqual([]);
  });

  it('gives evidence for each failure: the failing step, what was seen, the message ids', () => {
    const report = readReport(json);
    const failed = (name: string) => report.scenarios.find((s) => s.name === name)!;
    for (const name of Object.keys(SEEDED)) {
      const scenario = failed(name);
      expect(scenario.misbehaviour).toEqual([`the simulator was told to misbehave: ${SEEDED[name]}`]);
      const step = scenario.steps.find((s) => s.verdict === 'FAILED')!;
      expect(step.messageIds.length).toBeGreaterThan(0);
      expect(scenario.reason).toContain(`step ${step.index + 1}`);
    }
    // No receipt from the partner: our delta stays SENT, never ACKNOWLEDGED.
    expect(failed('delta-suspension').reason).toMatch(/outbox: ACKNOWLEDGED expected .* seen: SENT/);
    expect(failed('lookup').reason).toMatch(
      /lookupResponse: a response \(not found, ACKNOWLEDGED\) expected; seen: \S+ not found SENT/,
    );
    // A clean message where a rejection was expected: accepted, so the receipt settles it at once.
    expect(failed('bad-signature').reason).toMatch(
      /cannot become true any more: receipt: REJECTED SIGNATURE_INVALID expected .* seen: ACCEPTED/,
    );
    expect(failed('malformed-body').reason).toMatch(/REJECTED MALFORMED_JSON expected .* seen: ACCEPTED/);
    expect(failed('unknown-code').reason).toMatch(/REJECTED UNKNOWN_STATUS_CODE expected .* seen: ACCEPTED/);
    for (const name of CLEAN) expect(failed(name).misbehaviour).toEqual([]);
  });
});
