import { GatewayError } from '@aeo/domain';
import type { PartnerSecurityProfile } from '@aeo/partners';
import {
  CRITICAL_MEMBERS,
  JTI_PATTERN,
  MRA_JWS_TYP,
  SIGNING_PROFILE_VERSION,
  type MraJwsHeader,
} from './signing-profile.js';

/**
 * The checks on a JWS protected header that need no key, in order: algorithm on the
 * partner's allow-list; no embedded or remote keys; `crit` naming exactly our critical
 * members; no `b64`/`zip`; our profile version; every required member present and well-typed. What the
 * members *say* (issuer, audience, freshness) is checked only after the signature, so a
 * refusal for those reasons is about what the signer really wrote.
 */

/** Header members that would let a token bring its own key; keys come only from the partner's JWKS. */
const KEY_CARRYING_MEMBERS = ['jwk', 'jku', 'x5c', 'x5u', 'x5t', 'x5t#S256'];
/** Members that change how the payload is read; not part of our profile. */
const FORBIDDEN_MEMBERS = ['b64', 'zip'];

type HeaderRecord = Record<string, unknown>;

export function checkJwsHeader(header: HeaderRecord, security: PartnerSecurityProfile): MraJwsHeader {
  checkAlgorithm(header, security);
  checkNoKeyMaterial(header);
  checkCrit(header);
  checkNoForbiddenMembers(header);
  checkProfileVersion(header);
  checkMembers(header);
  return header as unknown as MraJwsHeader;
}

function checkAlgorithm(header: HeaderRecord, security: PartnerSecurityProfile): void {
  if (header.alg === undefined)
    throw new GatewayError('HEADER_CLAIM_MISSING', 'the header has no alg', '/header/alg');
  const allowed = security.signatureAlgorithms as readonly unknown[];
  if (!allowed.includes(header.alg)) {
    throw new GatewayError(
      'ALG_NOT_ALLOWED',
      `alg ${JSON.stringify(header.alg)} is not allowed for this partner (allowed: ${allowed.join(', ')})`,
      '/header/alg',
    );
  }
}

function checkNoKeyMaterial(header: HeaderRecord): void {
  for (const member of KEY_CARRYING_MEMBERS) {
    if (member in header)
      throw new GatewayError(
        'EMBEDDED_KEY_FORBIDDEN',
        `header member '${member}' is not accepted: keys come only from the partner's JWKS`,
        `/header/${member}`,
      );
  }
}

function checkNoForbiddenMembers(header: HeaderRecord): void {
  for (const member of FORBIDDEN_MEMBERS) {
    if (member in header)
      throw new GatewayError(
        'HEADER_CLAIM_INVALID',
        `header member '${member}' is not part of the MRA JOSE profile`,
        `/header/${member}`,
      );
  }
}

function checkCrit(header: HeaderRecord): void {
  const { crit } = header;
  if (crit === undefined)
    throw new GatewayError(
      'CRIT_MISSING',
      `the header has no crit (expected ${CRITICAL_MEMBERS.join(', ')})`,
      '/header/crit',
    );
  if (
    !Array.isArray(crit) ||
    crit.length === 0 ||
    crit.some((m) => typeof m !== 'string' || m === '') ||
    new Set(crit).size !== crit.length
  ) {
    throw new GatewayError(
      'HEADER_CLAIM_INVALID',
      'crit must be an array of distinct member names',
      '/header/crit',
    );
  }
  const unknown = (crit as string[]).filter((m) => !(CRITICAL_MEMBERS as readonly string[]).includes(m));
  if (unknown.length > 0)
    throw new GatewayError(
      'CRIT_UNSUPPORTED',
      `crit names members this profile does not define: ${unknown.join(', ')}`,
      '/header/crit',
    );
  const missing = CRITICAL_MEMBERS.filter((m) => !(crit as string[]).includes(m));
  if (missing.length > 0)
    throw new GatewayError('CRIT_MISSING', `crit does not list ${missing.join(', ')}`, '/header/crit');
}

function checkProfileVersion(header: HeaderRecord): void {
  if (header.mra_profile === undefined)
    throw new GatewayError('HEADER_CLAIM_MISSING', 'the header has no mra_profile', '/header/mra_profile');
  if (header.mra_profile !== SIGNING_PROFILE_VERSION) {
    throw new GatewayError(
      'PROFILE_VERSION_UNSUPPORTED',
      `signing profile ${JSON.stringify(header.mra_profile)} is not supported (supported: ${SIGNING_PROFILE_VERSION})`,
      '/header/mra_profile',
    );
  }
}

const isShortString = (max: number) => (v: unknown) =>
  typeof v === 'string' && v.length > 0 && v.length <= max;

/** Member → [rule, what it must be]. */
const MEMBER_RULES: ReadonlyArray<readonly [string, (v: unknown) => boolean, string]> = [
  ['kid', isShortString(128), 'a key id of at most 128 characters'],
  ['typ', (v) => v === MRA_JWS_TYP, `"${MRA_JWS_TYP}"`],
  ['cty', isShortString(255), 'a media type'],
  ['iss', isShortString(32), 'a programme code'],
  ['aud', isShortString(32), 'one programme code'],
  ['iat', (v) => Number.isSafeInteger(v) && (v as number) >= 0, 'a NumericDate (whole seconds)'],
  [
    'jti',
    (v) => typeof v === 'string' && JTI_PATTERN.test(v),
    'a message id of at most 128 characters [A-Za-z0-9._:-]',
  ],
  ['mra_type', isShortString(64), 'a message type'],
];

function checkMembers(header: HeaderRecord): void {
  for (const [member] of MEMBER_RULES) {
    if (header[member] === undefined)
      throw new GatewayError('HEADER_CLAIM_MISSING', `the header has no ${member}`, `/header/${member}`);
  }
  for (const [member, rule, expected] of MEMBER_RULES) {
    if (!rule(header[member]))
      throw new GatewayError(
        'HEADER_CLAIM_INVALID',
        `header member ${member} must be ${expected}`,
        `/header/${member}`,
      );
  }
}
