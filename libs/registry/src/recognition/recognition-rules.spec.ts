import { describe, expect, it } from '@jest/globals';
import type { AeoStatus } from '@aeo/domain';
import type { MraConfig } from '../mra-config.js';
import type { RegisterFacts } from './register-facts.js';
import { decideRecognition } from './recognition-rules.js';
import { statusAsOf } from './status-as-of.js';
import { facts, mraConfig } from '../../../../test/registry/support/recognition-builders.js';

const DATE = '2024-06-10';

function decide(
  version: RegisterFacts | undefined,
  options: { config?: MraConfig; role?: 'IMPORTER' | 'EXPORTER' } = {},
) {
  return decideRecognition({
    config: options.config ?? mraConfig('cn'),
    environment: 'production',
    arrivalDate: DATE,
    asOf: statusAsOf(version ? [version] : [], DATE),
    ...(options.role ? { role: options.role } : {}),
  });
}

describe('recognition rules', () => {
  it('recognises an active, covered, consenting AEO', () => {
    expect(decide(facts(), { role: 'EXPORTER' })).toMatchObject({ reasonCode: 'ACTIVE', status: 'ACTIVE' });
  });

  it.each(['SUSPENDED', 'REVOKED', 'SURRENDERED', 'ANNULLED', 'EXPIRED', 'EXCLUDED'] as AeoStatus[])(
    'gives %s as its own reason',
    (status) => {
      expect(decide(facts({ status }))).toMatchObject({ reasonCode: status, status });
    },
  );

  it('gives CONSENT_WITHDRAWN for the status, and for missing consent where the MRA requires it', () => {
    expect(decide(facts({ status: 'CONSENT_WITHDRAWN', consentGranted: false }))).toMatchObject({
      reasonCode: 'CONSENT_WITHDRAWN',
    });
    expect(decide(facts({ consentGranted: false }))).toMatchObject({
      reasonCode: 'CONSENT_WITHDRAWN',
      status: 'ACTIVE',
    });
    const noConsentNeeded = mraConfig('eaeu');
    expect(
      decide(facts({ programme: 'EAEU-BY', authorisationType: 'EAEU_TYPE3', consentGranted: false }), {
        config: noConsentNeeded,
      }),
    ).toMatchObject({ reasonCode: 'ACTIVE' });
  });

  it('checks the authorisation validity dates', () => {
    expect(decide(facts({ validFrom: '2024-06-11' }))).toMatchObject({ reasonCode: 'NOT_YET_VALID' });
    expect(decide(facts({ validUntil: '2024-06-09' }))).toMatchObject({
      reasonCode: 'EXPIRED',
      status: 'ACTIVE',
    });
    expect(decide(facts({ validUntil: DATE }))).toMatchObject({ reasonCode: 'ACTIVE' });
  });

  it('gives NOT_YET_VALID when the only status starts after arrival', () => {
    expect(decide(facts({ statusEffectiveFrom: '2024-06-11' }))).toMatchObject({
      reasonCode: 'NOT_YET_VALID',
      status: null,
    });
  });

  it('gives NOT_FOUND when nothing was stored', () => {
    expect(decide(undefined)).toMatchObject({ reasonCode: 'NOT_FOUND', version: null, status: null });
  });

  it('gives NOT_COVERED_BY_MRA outside the inbound scope, before the status', () => {
    expect(decide(facts({ authorisationType: 'CN_CERTIFIED', status: 'SUSPENDED' }))).toMatchObject({
      reasonCode: 'NOT_COVERED_BY_MRA',
    });
  });

  it('gives MRA_NOT_IN_FORCE first of all, still reporting what the register says', () => {
    const outcome = decide(facts(), { config: mraConfig('cn', { state: 'suspended', version: 3 }) });
    expect(outcome).toMatchObject({ reasonCode: 'MRA_NOT_IN_FORCE', status: 'ACTIVE' });
    expect(outcome.explanation).toContain('config version 3');
    expect(decide(undefined, { config: mraConfig('cn', { state: 'negotiating' }) })).toMatchObject({
      reasonCode: 'MRA_NOT_IN_FORCE',
    });
    expect(decide(facts(), { config: mraConfig('cn', { inForceUntil: '2024-06-09' }) })).toMatchObject({
      reasonCode: 'MRA_NOT_IN_FORCE',
    });
  });

  it('gives ROLE_NOT_COVERED for a role the AEO does not hold, last', () => {
    expect(decide(facts({ supplyChainRoles: ['EXPORTER'] }), { role: 'IMPORTER' })).toMatchObject({
      reasonCode: 'ROLE_NOT_COVERED',
    });
    expect(
      decide(facts({ supplyChainRoles: ['EXPORTER'], status: 'REVOKED' }), { role: 'IMPORTER' }),
    ).toMatchObject({ reasonCode: 'REVOKED' });
  });

  it('recognises after a suspension that ended before arrival', () => {
    const lifted = facts({
      status: 'SUSPENDED',
      statusEffectiveFrom: '2024-05-01',
      statusEffectiveTo: '2024-05-31',
    });
    expect(decide(lifted)).toMatchObject({ reasonCode: 'ACTIVE', status: 'ACTIVE' });
  });
});
