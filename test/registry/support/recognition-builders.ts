/**
 * Builders for recognition tests. MRA configurations are built here from objects, not read
 * from config/mra, so the tests keep their meaning when an arrangement's real state changes.
 * Every name and number is invented; identifiers carry correct check digits.
 */
import { vknCheckDigit, type AeoRecord, type Programme } from '@aeo/domain';
import type { MraConfig, PartnerProgrammes, RegisterFacts } from '@aeo/registry';
import { homeRecord } from '../../support/builders.js';

type Overrides<T> = { -readonly [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

const BASE: Record<string, Omit<MraConfig, 'snapshot' | 'receiptSlaMinutes' | 'lookups' | 'outbound'>> = {
  cn: {
    partner: 'cn',
    version: 1,
    state: 'in-force',
    inForceFrom: '2024-01-01',
    inbound: {
      recognisedAuthorisationTypes: ['CN_ADVANCED_CERTIFIED'],
      benefits: ['FEWER_INSPECTIONS', 'PRIORITY_CLEARANCE'],
    },
    freshnessSlaHours: 48,
    consent: { required: true },
  },
  eaeu: {
    partner: 'eaeu',
    version: 1,
    state: 'in-force',
    inForceFrom: '2019-01-01',
    inbound: {
      recognisedProgrammes: ['EAEU-AM', 'EAEU-BY', 'EAEU-KG', 'EAEU-RU'],
      recognisedAuthorisationTypes: ['EAEU_TYPE1', 'EAEU_TYPE2', 'EAEU_TYPE3'],
      benefits: ['FEWER_DOCUMENT_CHECKS', 'FEWER_INSPECTIONS'],
    },
    freshnessSlaHours: 24,
    consent: { required: false },
  },
  kr: {
    partner: 'kr',
    version: 1,
    state: 'in-force',
    inbound: { recognisedAuthorisationTypes: ['KR_A', 'KR_AA', 'KR_AAA'], benefits: ['LOWER_RISK_SCORE'] },
    freshnessSlaHours: 48,
    consent: { required: true },
  },
  tr: {
    partner: 'tr',
    version: 1,
    state: 'in-force',
    inbound: { recognisedAuthorisationTypes: ['TR_AEO'], benefits: ['PRIORITY_CLEARANCE'] },
    freshnessSlaHours: 72,
    consent: { required: true },
  },
};

export function mraConfig(
  partner: 'cn' | 'eaeu' | 'kr' | 'tr',
  overrides: Overrides<MraConfig> = {},
): MraConfig {
  const base = BASE[partner];
  return {
    ...base,
    outbound: { sharedAuthorisationTypes: ['EAEU_TYPE3'] },
    snapshot: { cron: '0 2 * * *', chunkSize: 2000, missingRecordRule: 'mark-expired' },
    receiptSlaMinutes: 15,
    lookups: { supported: true, timeoutMs: 2000 },
    ...overrides,
    inbound: { ...base.inbound, ...overrides.inbound },
    consent: { ...base.consent, ...overrides.consent },
  } as MraConfig;
}

export function mraConfigs(...configs: MraConfig[]): Map<string, MraConfig> {
  return new Map(configs.map((c) => [c.partner, c]));
}

/** All four partners, in force. */
export function allMraConfigs(): Map<string, MraConfig> {
  return mraConfigs(mraConfig('eaeu'), mraConfig('cn'), mraConfig('kr'), mraConfig('tr'));
}

/** The partners' programmes as the profiles give them, spelled out so unit tests read no config. */
export const TEST_PARTNERS: PartnerProgrammes[] = [
  { partner: 'eaeu', programmes: ['EAEU-AM', 'EAEU-BY', 'EAEU-KG', 'EAEU-RU'], idRuleOptions: {} },
  { partner: 'cn', programmes: ['CN-GACC'], idRuleOptions: {} },
  { partner: 'kr', programmes: ['KR-KCS'], idRuleOptions: {} },
  { partner: 'tr', programmes: ['TR-MOT'], idRuleOptions: {} },
];

/** A Turkish VKN with the right check digit for a 9-digit stem. */
export function vkn(stem: string): string {
  return `${stem}${vknCheckDigit(stem)}`;
}

/** A foreign AEO record that passes validateAeoRecord. `code` is the programme-specific number part. */
export function foreignRecord(
  programme: Programme,
  code: string,
  overrides: Partial<AeoRecord> = {},
): AeoRecord {
  const base = homeRecord({
    traderIds: [],
    recordVersion: 1,
    lastChangedAt: '2024-06-01T10:00:00Z',
    validFrom: '2024-01-15',
  });
  switch (programme) {
    case 'CN-GACC':
      return {
        ...base,
        programme,
        aeoId: `AEOCN${code}`,
        aeoIdNormalized: `CN${code}`,
        authorisationType: 'CN_ADVANCED_CERTIFIED',
        address: { ...base.address, country: 'CN' },
        ...overrides,
      };
    case 'KR-KCS':
      return {
        ...base,
        programme,
        aeoId: `KR${code}`,
        aeoIdNormalized: `KR${code}`,
        authorisationType: 'KR_AA',
        address: { ...base.address, country: 'KR' },
        ...overrides,
      };
    case 'TR-MOT':
      return {
        ...base,
        programme,
        aeoId: `TR${code}`,
        aeoIdNormalized: `TR${code}`,
        authorisationType: 'TR_AEO',
        address: { ...base.address, country: 'TR' },
        ...overrides,
      };
    default: {
      const country = programme.slice(5);
      const type = overrides.authorisationType?.slice(-1) ?? '3';
      const id = `${country}/${code}/ТИП ${type}`;
      return {
        ...base,
        programme,
        aeoId: id,
        aeoIdNormalized: id,
        authorisationType: `EAEU_TYPE${type}` as AeoRecord['authorisationType'],
        address: { ...base.address, country },
        ...overrides,
      };
    }
  }
}

/** RegisterFacts for unit tests of the rules. */
export function facts(overrides: Partial<RegisterFacts> = {}): RegisterFacts {
  return {
    programme: 'CN-GACC',
    aeoIdNormalized: 'CN4403960001',
    status: 'ACTIVE',
    statusEffectiveFrom: '2024-01-15',
    statusEffectiveTo: undefined,
    authorisationType: 'CN_ADVANCED_CERTIFIED',
    supplyChainRoles: ['EXPORTER', 'MANUFACTURER'],
    validFrom: '2024-01-15',
    validUntil: undefined,
    consentGranted: true,
    recordVersion: 1,
    storedAt: Date.parse('2024-06-01T10:00:00Z'),
    source: 'cn',
    sourceMessageId: 'msg-1',
    ...overrides,
  };
}
