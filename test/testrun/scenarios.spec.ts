/** The scenario files are data: every shipped one validates, and a broken one is refused with the reason. */
import { describe, expect, it } from '@jest/globals';
import { GatewayError } from '@aeo/domain';
import { durationMs, loadScenarios, parseScenario, selectScenarios } from '@aeo/testrun';

const REQUIRED = [
  'full-snapshot-both-ways',
  'delta-suspension',
  'revocation',
  'lookup',
  'receipt-handling',
  'receipt-sla-expired',
  'bad-signature',
  'replay',
  'malformed-body',
  'unknown-code',
  'bad-check-digit',
  'key-rotation',
  'out-of-order',
  'broker-restart',
];

function refusal(text: string, file = 'xx.yaml'): string {
  try {
    parseScenario(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('SCHEMA_VIOLATION');
    return (error as GatewayError).message;
  }
  throw new Error('the scenario was accepted');
}

describe('test-run scenarios (config/testruns)', () => {
  it('ships every scenario issue #7 asks for, each valid against the schema', () => {
    const names = loadScenarios().map((s) => s.name);
    expect(names.sort()).toEqual([...REQUIRED].sort());
  });

  it('marks the broker restart as disruptive and simulator-only', () => {
    const restart = loadScenarios().find((s) => s.name === 'broker-restart')!;
    expect(restart).toMatchObject({ disruptive: true, targets: ['simulator'] });
  });

  it('refuses an unknown action, a misspelt key, a dangling reference and a name that is not the file name', () => {
    expect(refusal('name: xx\ntitle: t\ndescription: d\nsteps:\n  - gateway: explode\n')).toMatch(
      /^xx.yaml: \/steps\/0\/gateway must be equal to one of the allowed values$/,
    );
    expect(
      refusal('name: xx\ntitle: t\ndescription: d\nsteps:\n  - partner: send-delta\n    stauts: REVOKED\n'),
    ).toMatch(/^xx.yaml: \/steps\/0 must NOT have additional properties \(stauts\)$/);
    expect(
      refusal(
        'name: xx\ntitle: t\ndescription: d\nsteps:\n  - expect:\n      outbox: { of: nothing, state: SENT }\n',
      ),
    ).toMatch(/refers to 'nothing'/);
    expect(refusal('name: yy\ntitle: t\ndescription: d\nsteps:\n  - wait: 1s\n')).toMatch(
      /must equal the file name 'xx'/,
    );
    expect(
      refusal('name: xx\ntitle: t\ndescription: d\nsteps:\n  - partner: receipts\n    mode: never\n'),
    ).toMatch(/mode/);
  });

  it('selects by name, all, and exclusions, and refuses unknown names', () => {
    const all = loadScenarios();
    expect(selectScenarios(all, 'all', ['broker-restart']).map((s) => s.name)).not.toContain(
      'broker-restart',
    );
    expect(selectScenarios(all, 'replay,lookup').map((s) => s.name)).toEqual(['replay', 'lookup']);
    expect(() => selectScenarios(all, 'replay,nope')).toThrow(/no scenario 'nope'/);
    expect(() => selectScenarios(all, 'all', ['nope'])).toThrow(/--exclude: no scenario 'nope'/);
  });

  it('reads durations', () => {
    expect([durationMs('500ms'), durationMs('30s'), durationMs('2m')]).toEqual([500, 30_000, 120_000]);
    expect(() => durationMs('30')).toThrow(GatewayError);
  });
});
