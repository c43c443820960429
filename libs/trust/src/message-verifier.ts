import { createHash } from 'node:crypto';
import { GatewayError, isMessageType, isProgramme, type Programme } from '@aeo/domain';
import { fromBase64urlOwned } from './base64url.js';
import type { Clock } from './clock.js';
import { parseCompact, parseJws, tokenText, type CompactJws } from './compact-token.js';
import { decryptJwe, type DecryptedJws } from './jwe.js';
import { checkJwsHeader } from './jws-header-policy.js';
import { inlineCrypto, type CryptoBackend } from './crypto-backend.js';
import { keyFitsAlgorithm } from './jws-crypto.js';
import { keyObjectOf } from './key-objects.js';
import { isRevoked, isValidAt } from './key-validity.js';
import type { DecryptionKeyProvider } from './own-key.js';
import type { PartnerKey, PartnerKeyLookup } from './partner-key-registry.js';
import type { PartnerTrustContext } from './partner-trust-context.js';
import type { ReplayStore } from './replay-store.js';
import type { MraJwsHeader } from './signing-profile.js';
import { tokenLimitsFor } from './token-limits.js';
import type { VerifiedMessage } from './verification-report.js';

export interface MessageVerifierDeps {
  readonly ourProgramme: Programme;
  readonly partnerKeys: PartnerKeyLookup;
  readonly replayStore: ReplayStore;
  readonly clock: Clock;
  /** Our private encryption keys; without them every JWE is refused with JWE_KEY_UNKNOWN. */
  readonly decryptionKeys?: DecryptionKeyProvider;
  /**
   * How long a message id is remembered, in seconds: set it longer than the partners' retry
   * horizon. It is never shorter than maxMessageAge + 2 × maxClockSkew, the longest a message
   * can stay fresh, so a purged id can never be replayed successfully.
   */
  readonly replayRetentionSeconds?: number;
  /** Where decryption and signature checks run: this thread (default) or a CryptoWorkerPool. */
  readonly crypto?: CryptoBackend;
}

export const DEFAULT_REPLAY_RETENTION_SECONDS = 7 * 86_400;

/**
 * Verifies what a partner sent, before any business parsing, in this order (each failure
 * with its own reason code):
 *
 *  1. size limit                                   PAYLOAD_TOO_LARGE
 *  2. parse: compact JWS, or JWE → decrypt → JWS   JWS_MALFORMED, JWE_* , ENCRYPTION_REQUIRED
 *  3. header: alg on the partner's allow-list      ALG_NOT_ALLOWED
 *     no embedded keys, crit, profile, members     EMBEDDED_KEY_FORBIDDEN, CRIT_*, PROFILE_VERSION_UNSUPPORTED, HEADER_CLAIM_*
 *  4. kid in that partner's JWKS, fit for alg,      KEY_UNKNOWN, KEY_PARTNER_MISMATCH, KEY_ALG_MISMATCH,
 *     not revoked, valid at iat                     KEY_REVOKED, KEY_NOT_VALID_AT_IAT
 *  5. signature                                    SIGNATURE_INVALID
 *  6. iss is the partner, aud is us, cty, type     ISSUER_MISMATCH, AUDIENCE_MISMATCH, CONTENT_TYPE_MISMATCH, UNSUPPORTED_MESSAGE_TYPE
 *  7. iat within skew and max age                  ISSUED_AT_IN_FUTURE, MESSAGE_TOO_OLD
 *  8. message id not seen before from that partner REPLAYED_MESSAGE
 *
 * The replay store is written last, so a message refused for any other reason does not
 * use up its id. The verifier holds no per-message state: call it with many messages in
 * flight. Decryption and signature checks are node:crypto, on this thread (tens to hundreds
 * of microseconds each, cheaper than a hand-off to the libuv pool) or, given a
 * CryptoWorkerPool as `crypto`, batched onto worker threads; every check and decision stays here.
 */
export class MessageVerifier {
  private readonly crypto: CryptoBackend;

  constructor(private readonly deps: MessageVerifierDeps) {
    this.crypto = deps.crypto ?? inlineCrypto;
  }

  async verify(token: Uint8Array | string, partner: PartnerTrustContext): Promise<VerifiedMessage> {
    const now = this.deps.clock.now();
    const limits = tokenLimitsFor(partner.maxPayloadBytes);
    const parsed = parseCompact(tokenText(token, limits), limits);
    if (parsed.kind === 'jws') {
      if (partner.security.encryption.required) {
        throw new GatewayError(
          'ENCRYPTION_REQUIRED',
          `partner ${partner.partner} must sign-then-encrypt; a bare JWS is not accepted`,
        );
      }
      return this.verifyJws(parsed, partner, now);
    }
    const decrypted = await decryptJwe(parsed, partner.security, this.deps.decryptionKeys, now, this.crypto);
    return this.verifyJws(parseJws(decrypted.jws, limits), partner, now, decrypted);
  }

  private async verifyJws(
    jws: CompactJws,
    partner: PartnerTrustContext,
    now: Date,
    decrypted?: DecryptedJws,
  ): Promise<VerifiedMessage> {
    const header = checkJwsHeader(jws.header, partner.security);
    const issuedAt = new Date(header.iat * 1000);
    const key = this.resolveKey(partner, header, now, issuedAt);
    const payload = await verifySignature(jws.text, key, header, this.crypto);
    checkClaims(header, partner, this.deps.ourProgramme);
    checkFreshness(issuedAt, now, partner);
    await this.checkReplay(partner, header.jti, now);
    return {
      payload,
      report: {
        partner: partner.partner,
        kid: header.kid,
        alg: header.alg,
        jti: header.jti,
        iss: header.iss,
        aud: header.aud,
        iat: issuedAt.toISOString(),
        messageType: header.mra_type,
        contentType: header.cty,
        profileVersion: header.mra_profile,
        encrypted: decrypted !== undefined,
        ...(decrypted ? { encryptionKid: decrypted.kid, encryptionAlg: decrypted.alg } : {}),
        payloadBytes: payload.byteLength,
        payloadSha256: createHash('sha256').update(payload).digest('hex'),
        verifiedAt: now.toISOString(),
      },
    };
  }

  private resolveKey(
    partner: PartnerTrustContext,
    header: MraJwsHeader,
    now: Date,
    issuedAt: Date,
  ): PartnerKey {
    const registry = this.deps.partnerKeys;
    const key = registry.find(partner.partner, header.kid);
    if (!key) {
      const holders = registry.partnersHolding(header.kid).filter((p) => p !== partner.partner);
      if (holders.length > 0) {
        throw new GatewayError(
          'KEY_PARTNER_MISMATCH',
          `kid '${header.kid}' is a key of ${holders.join(', ')}, not of ${partner.partner}`,
          '/header/kid',
        );
      }
      throw new GatewayError(
        'KEY_UNKNOWN',
        `kid '${header.kid}' is not in the JWKS of ${partner.partner}`,
        '/header/kid',
      );
    }
    if (key.use !== 'sig' || key.alg !== header.alg) {
      throw new GatewayError(
        'KEY_ALG_MISMATCH',
        `kid '${header.kid}' is a ${key.alg} ${key.use} key; the header says ${header.alg}`,
        '/header/kid',
      );
    }
    if (isRevoked(key.validity, now)) {
      throw new GatewayError(
        'KEY_REVOKED',
        `kid '${header.kid}' was revoked at ${key.validity.revokedAt!.toISOString()}`,
        '/header/kid',
      );
    }
    if (!isValidAt(key.validity, issuedAt)) {
      const { activatesAt, retiresAt } = key.validity;
      throw new GatewayError(
        'KEY_NOT_VALID_AT_IAT',
        `kid '${header.kid}' is valid from ${activatesAt?.toISOString() ?? 'the start'} until ${retiresAt?.toISOString() ?? 'revoked'}; the message was issued at ${issuedAt.toISOString()}`,
        '/header/iat',
      );
    }
    return key;
  }

  private async checkReplay(partner: PartnerTrustContext, jti: string, now: Date): Promise<void> {
    const { maxMessageAgeSeconds, maxClockSkewSeconds } = partner.security;
    const retention = Math.max(
      this.deps.replayRetentionSeconds ?? DEFAULT_REPLAY_RETENTION_SECONDS,
      maxMessageAgeSeconds + 2 * maxClockSkewSeconds,
    );
    const outcome = await this.deps.replayStore.remember({
      partner: partner.partner,
      jti,
      receivedAt: now,
      expiresAt: new Date(now.getTime() + retention * 1000),
    });
    if (outcome === 'replay')
      throw new GatewayError(
        'REPLAYED_MESSAGE',
        `message id '${jti}' from ${partner.partner} was already received`,
        '/header/jti',
      );
  }
}

/**
 * Step 5: the signature over the signing input as it arrived (header and payload segments,
 * never re-encoded), with the partner key resolved in step 4. The header checks of step 3
 * (alg on the allow-list, crit exactly our members, no b64) have already run, so what is
 * left is the cryptography; the payload is decoded only once the signature holds.
 */
async function verifySignature(text: string, key: PartnerKey, header: MraJwsHeader, crypto: CryptoBackend): Promise<Uint8Array> {
  const publicKey = keyObjectOf(key.key);
  if (!keyFitsAlgorithm(header.alg, publicKey))
    throw new GatewayError(
      'KEY_ALG_MISMATCH',
      `kid '${header.kid}' is not a key for ${header.alg}`,
      '/signature',
    );
  const payloadStart = text.indexOf('.') + 1;
  const signatureStart = text.lastIndexOf('.') + 1;
  const signingInput = Buffer.from(text.slice(0, signatureStart - 1), 'latin1');
  const signature = Buffer.from(text.slice(signatureStart), 'base64url');
  if (!(await crypto.verify(header.alg, signingInput, signature, publicKey)))
    throw new GatewayError('SIGNATURE_INVALID', 'JWS: signature verification failed', '/signature');
  return fromBase64urlOwned(text.slice(payloadStart, signatureStart - 1));
}

function checkClaims(header: MraJwsHeader, partner: PartnerTrustContext, ourProgramme: Programme): void {
  if (!isProgramme(header.iss) || header.iss !== partner.programme) {
    throw new GatewayError(
      'ISSUER_MISMATCH',
      `iss '${header.iss}' is not ${partner.partner}'s programme ${partner.programme}`,
      '/header/iss',
    );
  }
  if (header.aud !== ourProgramme)
    throw new GatewayError(
      'AUDIENCE_MISMATCH',
      `aud '${header.aud}' is not us (${ourProgramme})`,
      '/header/aud',
    );
  if (
    partner.contentType !== undefined &&
    normaliseMediaType(header.cty) !== normaliseMediaType(partner.contentType)
  ) {
    throw new GatewayError(
      'CONTENT_TYPE_MISMATCH',
      `cty '${header.cty}' is not ${partner.partner}'s wire format ${partner.contentType}`,
      '/header/cty',
    );
  }
  if (!isMessageType(header.mra_type))
    throw new GatewayError(
      'UNSUPPORTED_MESSAGE_TYPE',
      `mra_type ${JSON.stringify(header.mra_type)} is not a message type`,
      '/header/mra_type',
    );
}

/** RFC 7515 §4.1.10: "application/" may be omitted from cty; media types compare case-insensitively. */
function normaliseMediaType(value: string): string {
  const lower = value.trim().toLowerCase();
  return lower.includes('/') ? lower : `application/${lower}`;
}

function checkFreshness(issuedAt: Date, now: Date, partner: PartnerTrustContext): void {
  const { maxClockSkewSeconds, maxMessageAgeSeconds } = partner.security;
  const ageSeconds = (now.getTime() - issuedAt.getTime()) / 1000;
  if (ageSeconds < -maxClockSkewSeconds) {
    throw new GatewayError(
      'ISSUED_AT_IN_FUTURE',
      `iat ${issuedAt.toISOString()} is ${Math.round(-ageSeconds)} s ahead of our clock (allowed skew ${maxClockSkewSeconds} s)`,
      '/header/iat',
    );
  }
  if (ageSeconds > maxMessageAgeSeconds + maxClockSkewSeconds) {
    throw new GatewayError(
      'MESSAGE_TOO_OLD',
      `iat ${issuedAt.toISOString()} is ${Math.round(ageSeconds)} s old (maximum ${maxMessageAgeSeconds} s)`,
      '/header/iat',
    );
  }
}
