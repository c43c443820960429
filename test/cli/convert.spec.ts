import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { listFixtures } from '../support/fixture-suite.js';
import { runMra } from './cli-runner.js';

const PARTNERS = ['cn', 'eaeu', 'kr', 'tr', 'wco'];

describe.each(PARTNERS)('mra convert / validate for %s', (partner) => {
  const fixtures = listFixtures(partner);
  const valid = fixtures.find((f) => f.valid && f.messageType === 'status-delta')!;
  const invalid = fixtures.filter((f) => !f.valid && ['IDENTIFIER_CHECK_DIGIT', 'UNKNOWN_STATUS_CODE', 'MALFORMED_XML', 'MALFORMED_JSON'].includes(f.expectedCode!));

  it('round-trips partner → canonical → partner → canonical through the command line', () => {
    const first = runMra(['convert', '--partner', partner, '--to', 'canonical', valid.file]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const partnerBytes = runMra(['convert', '--partner', partner, '--to', 'partner', '-'], { input: first.stdout });
    expect(partnerBytes.status).toBe(0);
    const second = runMra(['convert', '--partner', partner, '--to', 'canonical'], { input: partnerBytes.stdout });
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout.toString('utf8'))).toEqual(JSON.parse(first.stdout.toString('utf8')));
  });

  it('validates a valid message with a summary on stdout', () => {
    const result = runMra(['validate', '--partner', partner, valid.file]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout.toString('utf8'))).toMatchObject({ valid: true, partner, messageType: 'AEO_STATUS_DELTA' });
  });

  it.each(invalid.map((f) => [basename(f.file), f] as const))('rejects %s with exit 2 and a JSON error', (_name, fixture) => {
    const result = runMra(['validate', '--partner', partner, '-'], { input: readFileSync(fixture.file) });
    expect(result.status).toBe(2);
    expect(result.stdout.length).toBe(0);
    const error = JSON.parse(result.stderr) as { error: { code: string; message: string; path: string | null } };
    expect(error.error.code).toBe(fixture.expectedCode);
    expect(typeof error.error.message).toBe('string');
    expect(error.error).toHaveProperty('path');
  });
});

describe('mra command-line errors', () => {
  it('refuses an unknown partner before reading input', () => {
    const result = runMra(['validate', '--partner', 'xx', '/dev/null']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/partner/);
  });

  it('reports a file it cannot read as an internal error with exit 1', () => {
    const result = runMra(['validate', '--partner', 'cn', '/nonexistent/file.xml']);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stderr).error.code).toBe('INTERNAL_ERROR');
  });

  it('lists what a partner format cannot carry', () => {
    const result = runMra(['mapping-report', '--partner', 'tr']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout.toString('utf8')).fieldsNotCarried).toContain('record.validUntil');
  });
});
