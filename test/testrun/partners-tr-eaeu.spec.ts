/** Test runs for Türkiye and the EAEU (see partners-cn-kr.spec.ts). */
import { jest } from '@jest/globals';
import { describePartnerRuns } from './partner-runs.js';

jest.setTimeout(240_000);
describePartnerRuns(['tr', 'eaeu'], 'eaeu');
