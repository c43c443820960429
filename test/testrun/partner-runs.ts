/**
 * `mra testrun` against the simulator for one partner, as the "done" says: every fast
 * scenario passes, the JSON report validates against its schema, and the HTML report is
 * self-contained (and, for `screenshotOf`, renders in headless Chromium).
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMraConfigs } from '@aeo/registry';
import { loadScenarios } from '@aeo/testrun';
import { FAST, mra, pngSize, readReport, reportSchemaErrors, screenshot } from './support.js';

export function describePartnerRuns(partners: readonly string[], screenshotOf: string): void {
  const fastScenarios = loadScenarios()
    .filter((s) => s.name !== 'broker-restart')
    .map((s) => s.name)
    .sort();

  describe.each(partners)('mra testrun --partner %s against the simulator', (partner) => {
    const dir = mkdtempSync(join(tmpdir(), `mra-testrun-spec-${partner}-`));
    const html = join(dir, `${partner}.html`);
    const json = join(dir, `${partner}.json`);

    it('passes every fast scenario and writes both reports', async () => {
      const run = await mra(['testrun', '--partner', partner, ...FAST, '--report', html, '--report', json]);
      expect({
        status: run.status,
        stderr: run.status === 0 ? '' : run.stderr,
        stdout: run.status === 0 ? '' : run.stdout,
      }).toEqual({ status: 0, stderr: '', stdout: '' });
      const report = readReport(json);
      expect(report.scenarios.map((s) => s.name).sort()).toEqual(fastScenarios);
      // Where the MRA leaves lookups out (tr), the lookup scenario is not applicable, and says why.
      const lookupsOut = !loadMraConfigs().get(partner)!.lookups.supported;
      expect(
        report.scenarios
          .filter((s) => s.verdict !== 'PASSED')
          .map((s) => `${s.name}: ${s.verdict}`),
      ).toEqual(lookupsOut ? ['lookup: NOT_APPLICABLE'] : []);
      if (lookupsOut) expect(report.scenarios.find((s) => s.name === 'lookup')!.reason).toContain('lookups are not part of the MRA');
      expect(report.summary).toMatchObject({
        verdict: 'PASSED',
        failed: 0,
        notApplicable: lookupsOut ? 1 : 0,
        passed: fastScenarios.length - (lookupsOut ? 1 : 0),
      });
      // Evidence: every expectation that passed names what it saw, and message-level steps carry ids.
      const sla = report.scenarios.find((s) => s.name === 'receipt-sla-expired')!;
      expect(sla.steps.at(-1)).toMatchObject({ verdict: 'PASSED', reasonCodes: ['RECEIPT_SLA_EXCEEDED'] });
      expect(report.scenarios.find((s) => s.name === 'bad-signature')!.steps[1]).toMatchObject({
        reasonCodes: ['SIGNATURE_INVALID'],
        messageIds: [expect.any(String)],
      });
      expect(report.latency.map((l) => `${l.direction} ${l.messageType}`)).toEqual(
        expect.arrayContaining(['out AEO_STATUS_DELTA', 'in AEO_STATUS_DELTA', 'in AEO_SNAPSHOT']),
      );
      for (const row of report.latency) expect(row.p50Ms).toBeLessThanOrEqual(row.p95Ms);
      expect(report.coverage.outbound.carried.length).toBeGreaterThan(10);
      expect(report.safe.comparison?.total.standards).toBe(26);
    });

    it('writes a JSON report that validates against its own schema', () => {
      expect(reportSchemaErrors(readReport(json))).toEqual([]);
    });

    it('writes a self-contained HTML report: no scripts, nothing fetched, a chart, print styles', () => {
      const page = readFileSync(html, 'utf8');
      expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
      expect(page).not.toMatch(/(src|href)="(https?:)?\/\//i);
      expect(page).toContain('<svg');
      expect(page).toContain('@media print');
      for (const name of fastScenarios) expect(page).toContain(`id="s-${name}"`);
    });

    if (partner === screenshotOf) {
      it('renders in headless Chromium (screenshot)', async () => {
        const png = join(dir, `${partner}.png`);
        await screenshot(html, png);
        const bytes = readFileSync(png);
        expect(pngSize(bytes)).toEqual({ width: 1280, height: 2000 });
        // A blank page compresses to a few kilobytes; a rendered report with tables and a chart does not.
        expect(statSync(png).size).toBeGreaterThan(50_000);
      }, 120_000);
    }
  });
}
