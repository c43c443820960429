import { GatewayError } from './gateway-error.js';
import {
  CN_CUSTOMS_CODE,
  TR_VKN,
  formatError,
  parseEaeuCertificate,
  formatEaeuCertificate,
  patternRule,
  type IdentifierRule,
  type PatternRuleSpec,
} from './identifiers/index.js';
import type { Programme } from './programme.js';

/**
 * Which identifier rule an AEO id of each programme follows. KZ and the EAEU members issue
 * EAEU certificates, and the country element must be the issuing member. Türkiye's YYS
 * certificate layout is not public: we identify Turkish AEOs by `TR` + the holder's VKN
 * (check digit verified). Korea's layout is a configured pattern (see kr.ts).
 */
export const DEFAULT_KR_AEO_ID: PatternRuleSpec = {
  scheme: 'KR-AEO',
  description: "Korean AEO id as agreed for this MRA (assumed 'KR' or 'AEOKR' + 10-digit BRN; configure per profile)",
  pattern: '^(?:AEOKR|KR)?(\\d{10})$',
  normalisedTemplate: 'KR$1',
};

function eaeuMemberRule(member: string): IdentifierRule {
  return {
    scheme: 'EAEU-AEO',
    description: `EAEU certificate issued by ${member}`,
    normalise(raw) {
      const cert = parseEaeuCertificate(raw);
      if (cert.country !== member) throw formatError('EAEU-AEO', raw, `a certificate issued by ${member}`);
      return { scheme: 'EAEU-AEO', raw, normalised: formatEaeuCertificate(cert) };
    },
  };
}

const TR_AEO_ID: IdentifierRule = {
  scheme: 'TR-AEO',
  description: "Turkish AEO identified by 'TR' + VKN (10 digits with check digit)",
  normalise(raw) {
    const match = /^(?:TR)?(\d{10})$/.exec(raw.trim().toUpperCase());
    if (!match) throw formatError('TR-AEO', raw, "'TR' + 10-digit VKN");
    return { scheme: 'TR-AEO', raw, normalised: `TR${TR_VKN.normalise(match[1]).normalised}` };
  },
};

const WCO_REFERENCE_ID: IdentifierRule = {
  scheme: 'WCO-R143',
  description: 'WCO R143 AEO mutual recognition party identifier: ISO country code + up to 15 alphanumerics (an..17)',
  normalise(raw) {
    const value = raw.trim().toUpperCase();
    if (!/^[A-Z]{2}[0-9A-Z]{1,15}$/.test(value)) throw formatError('WCO-R143', raw, 'an..17 with a country prefix');
    return { scheme: 'WCO-R143', raw, normalised: value };
  },
};

export interface AeoIdRuleOptions {
  /** Override Korea's pattern from the partner profile. */
  readonly krAeoId?: PatternRuleSpec;
}

export function aeoIdRuleFor(programme: Programme, options: AeoIdRuleOptions = {}): IdentifierRule {
  switch (programme) {
    case 'KZ-SRC':
      return eaeuMemberRule('KZ');
    case 'EAEU-AM':
    case 'EAEU-BY':
    case 'EAEU-KG':
    case 'EAEU-RU':
      return eaeuMemberRule(programme.slice(5));
    case 'CN-GACC':
      return CN_CUSTOMS_CODE;
    case 'KR-KCS':
      return patternRule(options.krAeoId ?? DEFAULT_KR_AEO_ID);
    case 'TR-MOT':
      return TR_AEO_ID;
    case 'WCO-REF':
      return WCO_REFERENCE_ID;
    case 'EAEU-EEC':
      throw new GatewayError('UNKNOWN_PROGRAMME', 'EAEU-EEC keeps the common register and issues no AEO ids');
  }
}

/**
 * Work out which programme an id declared at the border belongs to, trying each partner
 * programme's rule in turn. Used by recognition on arrival, where the declaration carries
 * the id in any accepted spelling and nothing else.
 */
export function detectProgramme(
  rawId: string,
  candidates: readonly Programme[],
  options: AeoIdRuleOptions = {},
): { programme: Programme; normalised: string } | undefined {
  for (const programme of candidates) {
    try {
      return { programme, normalised: aeoIdRuleFor(programme, options).normalise(rawId).normalised };
    } catch {
      // not this programme's spelling; try the next
    }
  }
  return undefined;
}
