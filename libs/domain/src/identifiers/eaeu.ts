import { formatError, type IdentifierRule } from './identifier-rule.js';

/**
 * EAEU AEO certificate number `CC/NNNN/ТИП n` (EEC Board Decision No. 129 of 26 Sep 2017):
 * issuing member state, serial number, certificate type 1–3. Partners write the type word
 * in Cyrillic (ТИП) or Latin (TIP) and vary spacing and case; the canonical spelling is
 * the Cyrillic one with single spaces. The serial's digit count is not public: 1–10 digits
 * are accepted and kept as written (leading zeros are significant in the register).
 */
export const EAEU_MEMBER_STATES = ['AM', 'BY', 'KZ', 'KG', 'RU'] as const;
export type EaeuMemberState = (typeof EAEU_MEMBER_STATES)[number];

export interface EaeuCertificateNumber {
  readonly country: EaeuMemberState;
  readonly serial: string;
  readonly type: 1 | 2 | 3;
}

const EAEU_PATTERN = /^([A-Z]{2})\s*\/\s*(\d{1,10})\s*\/\s*(?:ТИП|TIP)\s*([0-9])$/u;

export function parseEaeuCertificate(raw: string): EaeuCertificateNumber {
  const match = EAEU_PATTERN.exec(raw.trim().toUpperCase());
  if (!match) throw formatError('EAEU-AEO', raw, "an EAEU certificate number 'CC/NNNN/ТИП n'");
  const country = match[1];
  if (!(EAEU_MEMBER_STATES as readonly string[]).includes(country)) {
    throw formatError('EAEU-AEO', raw, 'issued by AM, BY, KZ, KG or RU');
  }
  const type = Number(match[3]);
  if (type < 1 || type > 3) throw formatError('EAEU-AEO', raw, 'of certificate type 1, 2 or 3');
  return { country: country as EaeuMemberState, serial: match[2], type: type as 1 | 2 | 3 };
}

export function formatEaeuCertificate(cert: EaeuCertificateNumber, script: 'cyrillic' | 'latin' = 'cyrillic'): string {
  return `${cert.country}/${cert.serial}/${script === 'cyrillic' ? 'ТИП' : 'TIP'} ${cert.type}`;
}

export const EAEU_CERTIFICATE: IdentifierRule = {
  scheme: 'EAEU-AEO',
  description: "EAEU AEO certificate number 'CC/NNNN/ТИП n' (Cyrillic or Latin TIP), CC in AM BY KZ KG RU, type 1-3",
  normalise(raw) {
    return { scheme: 'EAEU-AEO', raw, normalised: formatEaeuCertificate(parseEaeuCertificate(raw)) };
  },
};
