import {
  formatEaeuCertificate,
  krBrnCheckDigit,
  usccCheckCharacter,
  vknCheckDigit,
  type AeoRecord,
  type AuthorisationType,
  type Programme,
} from '@aeo/domain';

/**
 * A partner's own AEO register, invented: every record says "(fictional)" in its names and
 * every identifier is generated with a correct check digit, so the gateway's validation
 * treats it exactly like real data. Deterministic for a given seed.
 */
interface ProgrammeShape {
  readonly country: string;
  readonly city: string;
  readonly authorisationType: AuthorisationType;
  readonly validYears?: number;
  ids(serial: number): Pick<AeoRecord, 'aeoId' | 'aeoIdNormalized' | 'traderIds'>;
}

function digits(serial: number, length: number, prefix = ''): string {
  return `${prefix}${String(serial).padStart(length - prefix.length, '0')}`.slice(0, length);
}

const SHAPES: Partial<Record<Programme, ProgrammeShape>> = {
  'CN-GACC': {
    country: 'CN',
    city: 'Shenzhen',
    authorisationType: 'CN_ADVANCED_CERTIFIED',
    ids: (serial) => {
      const code = digits(serial, 10, '44039');
      const uscc17 = `91440300${digits(serial, 9, 'MA')}`;
      return {
        aeoId: `AEOCN${code}`,
        aeoIdNormalized: `CN${code}`,
        traderIds: [
          { scheme: 'CN-CUSTOMS10', value: code },
          { scheme: 'CN-USCC18', value: `${uscc17}${usccCheckCharacter(uscc17)}` },
        ],
      };
    },
  },
  'KR-KCS': {
    country: 'KR',
    city: 'Busan',
    authorisationType: 'KR_AA',
    validYears: 3,
    ids: (serial) => {
      const first9 = digits(serial, 9, '2148');
      const brn = `${first9}${krBrnCheckDigit(first9)}`;
      return { aeoId: `AEOKR${brn}`, aeoIdNormalized: `KR${brn}`, traderIds: [{ scheme: 'KR-BRN', value: brn }] };
    },
  },
  'TR-MOT': {
    country: 'TR',
    city: 'Istanbul',
    authorisationType: 'TR_AEO',
    ids: (serial) => {
      const first9 = digits(serial, 9, '38');
      const vkn = `${first9}${vknCheckDigit(first9)}`;
      return { aeoId: `TR${vkn}`, aeoIdNormalized: `TR${vkn}`, traderIds: [{ scheme: 'TR-VKN', value: vkn }] };
    },
  },
};

for (const [member, city] of [['AM', 'Yerevan'], ['BY', 'Minsk'], ['KG', 'Bishkek'], ['RU', 'Moscow']] as const) {
  SHAPES[`EAEU-${member}`] = {
    country: member,
    city,
    authorisationType: 'EAEU_TYPE3',
    ids: (serial) => {
      const id = formatEaeuCertificate({ country: member, serial: digits(serial, 5), type: 3 });
      return { aeoId: id, aeoIdNormalized: id, traderIds: [{ scheme: 'OTHER', value: digits(serial, 9, '59') }] };
    },
  };
}

export function fictionalRecord(programme: Programme, serial: number): AeoRecord {
  const shape = SHAPES[programme];
  if (!shape) throw new Error(`no fictional register shape for ${programme}`);
  return {
    programme,
    ...shape.ids(serial),
    legalName: `Fictional Trader ${serial} (fictional)`,
    nameLatin: `Fictional Trader ${serial} (fictional)`,
    address: { street: `Example Street ${serial}`, city: shape.city, postcode: '100000', country: shape.country },
    status: 'ACTIVE',
    statusEffectiveFrom: '2024-03-01',
    authorisationType: shape.authorisationType,
    supplyChainRoles: ['EXPORTER'],
    authorisationDate: '2024-03-01',
    validFrom: '2024-03-01',
    ...(shape.validYears ? { validUntil: `${2024 + shape.validYears}-02-28` } : {}),
    lastChangedAt: '2024-03-01T00:00:00Z',
    recordVersion: 1,
    consent: { granted: true, recordedOn: '2024-03-01' },
  };
}

/** `count` records spread over the programmes the partner speaks for. */
export function fictionalRegister(programmes: readonly Programme[], count: number, firstSerial = 1): AeoRecord[] {
  return Array.from({ length: count }, (_, i) => fictionalRecord(programmes[i % programmes.length], firstSerial + i));
}
