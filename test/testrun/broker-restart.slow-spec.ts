/**
 * The broker-restart scenario, opt-in (jest.slow.config.cjs): RabbitMQ stops while we have a
 * change to send and comes back; the kit must see the delta delivered and acknowledged and
 * the partner's next delta accepted, and leave the broker running.
 */
import { describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mra, readReport, reportSchemaErrors } from './support.js';

jest.setTimeout(300_000);

describe('mra testrun: broker restart against the simulator', () => {
  it('passes broker-restart, with the broker stopped and started as steps, and leaves RabbitMQ up', async () => {
    const json = join(mkdtempSync(join(tmpdir(), 'mra-testrun-slow-')), 'cn.json');
    const run = await mra([
      'testrun',
      '--partner',
      'cn',
      '--scenarios',
      'broker-restart,delta-suspension',
      '--report',
      json,
    ]);
    expect({ status: run.status, stdout: run.status === 0 ? '' : run.stdout }).toEqual({
      status: 0,
      stdout: '',
    });
    const report = readReport(json);
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.scenarios.map((s) => [s.name, s.verdict])).toEqual([
      ['broker-restart', 'PASSED'],
      ['delta-suspension', 'PASSED'],
    ]);
    const steps = report.scenarios[0].steps;
    expect(steps.filter((s) => s.step.startsWith('broker')).map((s) => [s.step, s.verdict])).toEqual([
      ['broker: stop', 'PASSED'],
      ['broker: start', 'PASSED'],
    ]);
    expect(steps.find((s) => s.step === 'gateway: change-status')!.messageIds).toHaveLength(1);
    execFileSync('rabbitmqctl', ['-q', 'await_startup']);
  });
});
