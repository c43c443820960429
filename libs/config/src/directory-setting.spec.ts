import { describe, expect, it } from '@jest/globals';
import { resolve } from 'node:path';
import { SettingError, directorySetting } from './env-settings.js';
import { loadGatewaySettings } from './gateway-settings.js';

describe('directory settings (MRA_TESTRUN_REPORTS_DIR)', () => {
  it('defaults to var/testrun-reports under the working directory', () => {
    expect(loadGatewaySettings({}).testrunReportsDir).toBe(resolve('var/testrun-reports'));
  });

  it('makes a relative path absolute and keeps an absolute one', () => {
    expect(loadGatewaySettings({ MRA_TESTRUN_REPORTS_DIR: 'reports/runs' }).testrunReportsDir).toBe(
      resolve('reports/runs'),
    );
    expect(loadGatewaySettings({ MRA_TESTRUN_REPORTS_DIR: '/srv/mra/testruns' }).testrunReportsDir).toBe(
      '/srv/mra/testruns',
    );
  });

  it('refuses a path with control characters, naming the setting', () => {
    expect(() =>
      directorySetting({ MRA_TESTRUN_REPORTS_DIR: 'var/\nreports' }, 'MRA_TESTRUN_REPORTS_DIR', 'x'),
    ).toThrow(SettingError);
    expect(() => loadGatewaySettings({ MRA_TESTRUN_REPORTS_DIR: 'var/\u0000reports' })).toThrow(
      /^MRA_TESTRUN_REPORTS_DIR: expected a directory path without control characters/,
    );
  });
});
