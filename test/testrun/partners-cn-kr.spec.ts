/** Test runs for China and Korea (the other two partners run in a second file, so jest's two workers overlap them). */
import { jest } from '@jest/globals';
import { describePartnerRuns } from './partner-runs.js';

jest.setTimeout(240_000);
describePartnerRuns(['cn', 'kr'], 'cn');
