/**
 * `mra testrun --target amqp://...`: the real-partner path. A simulator started here (not by
 * the runner) plays the partner's own implementation on the broker, with our JWKS from a file
 * as a partner would have it; the runner must use our keys from MRA_KEYS_DIR, run the gateway
 * side, check the partner's answers in our outbox, and mark what needs the simulator's control
 * API as NOT_APPLICABLE with the reason.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '@aeo/config';
import { DEFAULT_TOPOLOGY } from '@aeo/messaging';
import { AMQP_URL, deleteTopology, uniquePrefix } from '../support/rabbit.js';
import { mra, readReport, reportSchemaErrors } from './support.js';

jest.setTimeout(180_000);

describe("mra testrun against a partner's broker", () => {
  const dir = mkdtempSync(join(tmpdir(), 'mra-testrun-broker-'));
  const prefix = uniquePrefix('testrun-broker');
  const keys = {
    MRA_KEYS_DIR: join(dir, 'keys'),
    MRA_KEY_PASSPHRASE: 'testrun-broker-passphrase-not-secret',
  };
  const json = join(dir, 'report.json');
  let partner: ChildProcess;

  beforeAll(async () => {
    expect((await mra(['keys', 'generate'], keys)).status).toBe(0);
    const jwks = await mra(['jwks'], keys);
    writeFileSync(join(dir, 'kz-src.jwks.json'), jwks.stdout);
    partner = spawn(
      process.execPath,
      [
        repoPath('dist', 'apps', 'partner-sim', 'src', 'main.js'),
        '--partner',
        'eaeu',
        '--prefix',
        prefix,
        '--amqp',
        AMQP_URL,
        '--gateway-jwks',
        join(dir, 'kz-src.jwks.json'),
      ],
      {
        cwd: repoPath(),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      partner.stdout!.on(
        'data',
        (chunk: Buffer) => chunk.toString('utf8').includes('"event":"ready"') && resolve(),
      );
      partner.once('exit', (code) => reject(new Error(`the partner's implementation exited ${code}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (partner && partner.exitCode === null)
      await new Promise((resolve) => (partner.once('exit', resolve), partner.kill('SIGTERM')));
    await deleteTopology({ ...DEFAULT_TOPOLOGY, prefix, partners: ['eaeu'] });
  }, 60_000);

  it('runs our side with our keys, checks the partner through our outbox, and marks the rest NOT_APPLICABLE', async () => {
    const run = await mra(
      [
        'testrun',
        '--partner',
        'eaeu',
        '--target',
        AMQP_URL,
        '--amqp-prefix',
        prefix,
        '--scenarios',
        'delta-suspension,key-rotation,bad-signature,receipt-sla-expired,broker-restart',
        '--report',
        json,
      ],
      keys,
    );
    expect({ status: run.status, stdout: run.status === 0 ? '' : run.stdout }).toEqual({
      status: 0,
      stdout: '',
    });
    const report = readReport(json);
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.target).toMatchObject({ kind: 'partner-broker', amqpPrefix: prefix });
    const byName = Object.fromEntries(report.scenarios.map((s) => [s.name, s]));
    expect(Object.fromEntries(report.scenarios.map((s) => [s.name, s.verdict]))).toEqual({
      'delta-suspension': 'PASSED',
      'key-rotation': 'PASSED',
      'bad-signature': 'NOT_APPLICABLE',
      'receipt-sla-expired': 'NOT_APPLICABLE',
      'broker-restart': 'NOT_APPLICABLE',
    });
    // Our delta went out signed with our keys and the partner's receipt moved it to ACKNOWLEDGED.
    const suspension = byName['delta-suspension'].steps;
    expect(suspension[3]).toMatchObject({ step: 'expect partnerSees, outbox', verdict: 'PASSED' });
    expect(suspension[3].detail).toMatch(
      /outbox: ACKNOWLEDGED expected for 1 message\(s\); seen: ACKNOWLEDGED.*partnerSees not applicable: needs the partner simulator's control API/,
    );
    expect(suspension[4]).toMatchObject({ step: 'partner: send-delta', verdict: 'NOT_APPLICABLE' });
    expect(byName['key-rotation'].steps.find((s) => s.step === 'gateway: rotate-keys')).toMatchObject({
      verdict: 'NOT_APPLICABLE',
      detail: expect.stringContaining('would rotate our real keys'),
    });
    expect(byName['broker-restart'].reason).toMatch(/runs against simulator only/);
    expect(byName['receipt-sla-expired'].reason).toMatch(/needs the partner simulator's control API/);
  });
});
