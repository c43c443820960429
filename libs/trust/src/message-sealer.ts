import { createHash } from 'node:crypto';
import { GatewayError, type MessageType, type Programme } from '@aeo/domain';
import type { SignatureAlgorithm } from './algorithms.js';
import type { Clock } from './clock.js';
import { inlineCrypto, type CryptoBackend } from './crypto-backend.js';
import { jweHeaderFor } from './jwe.js';
import { jwsSigningInput } from './jws-signer.js';
import { keyObjectOf } from './key-objects.js';
import { buildJwsHeader } from './signing-profile.js';
import type { SigningKeyProvider } from './own-key.js';
import type { PartnerKeyLookup } from './partner-key-registry.js';
import type { PartnerTrustContext } from './partner-trust-context.js';

export interface SealerDeps {
  readonly ourProgramme: Programme;
  readonly signingKeys: SigningKeyProvider;
  readonly partnerKeys: PartnerKeyLookup;
  readonly clock: Clock;
  /** Where signing and encryption run: this thread (default) or a CryptoWorkerPool. */
  readonly crypto?: CryptoBackend;
}

export interface SealRequest {
  /** The partner-format bytes, exactly as they will travel. */
  readonly payload: Uint8Array;
  readonly partner: PartnerTrustContext;
  readonly messageId: string;
  readonly messageType: MessageType;
  /** Stop after signing even when the partner's profile asks for encryption (diagnostics). */
  readonly signOnly?: boolean;
}

export interface SealReport {
  readonly partner: string;
  readonly kid: string;
  readonly alg: SignatureAlgorithm;
  readonly jti: string;
  readonly iss: Programme;
  readonly aud: Programme;
  readonly iat: string;
  readonly messageType: MessageType;
  readonly contentType: string;
  readonly encrypted: boolean;
  readonly encryptionKid?: string;
  readonly payloadBytes: number;
  readonly payloadSha256: string;
}

export interface SealedMessage {
  /** The compact JWS, or the compact JWE around it: the bytes to send. */
  readonly token: string;
  readonly report: SealReport;
}

/**
 * Outbound: sign with our newest active key of the partner's outbound algorithm, then, when
 * the partner's profile requires it, encrypt to the partner's current encryption key.
 */
export class MessageSealer {
  private readonly crypto: CryptoBackend;

  constructor(private readonly deps: SealerDeps) {
    this.crypto = deps.crypto ?? inlineCrypto;
  }

  async seal(request: SealRequest): Promise<SealedMessage> {
    const { partner } = request;
    if (!partner.contentType)
      throw new TypeError(`partner ${partner.partner}: the trust context needs the wire media type to sign`);
    const now = this.deps.clock.now();
    const key = this.deps.signingKeys.signingKey(partner.security.outboundSignatureAlgorithm, now);
    const header = buildJwsHeader(
      {
        contentType: partner.contentType,
        messageId: request.messageId,
        messageType: request.messageType,
        issuer: this.deps.ourProgramme,
        audience: partner.programme,
        issuedAt: now,
      },
      key.alg,
      key.kid,
    );
    const sealJob = { signingInput: jwsSigningInput(request.payload, header), alg: key.alg, privateKey: keyObjectOf(key.privateKey) };
    const report = {
      partner: partner.partner,
      kid: key.kid,
      alg: key.alg,
      jti: request.messageId,
      iss: this.deps.ourProgramme,
      aud: partner.programme,
      iat: new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString(),
      messageType: request.messageType,
      contentType: partner.contentType,
      payloadBytes: request.payload.byteLength,
      payloadSha256: createHash('sha256').update(request.payload).digest('hex'),
    };
    if (!partner.security.encryption.required || request.signOnly)
      return { token: await this.crypto.seal(sealJob), report: { ...report, encrypted: false } };
    const recipient = this.deps.partnerKeys.encryptionKeyFor(partner.partner, now);
    if (!recipient) {
      throw new GatewayError(
        'ENCRYPTION_KEY_UNAVAILABLE',
        `partner ${partner.partner} requires encryption but its JWKS has no encryption key valid now`,
      );
    }
    const token = await this.crypto.seal({ ...sealJob, encryptTo: { header: jweHeaderFor(recipient.kid), recipient: keyObjectOf(recipient.key) } });
    return { token, report: { ...report, encrypted: true, encryptionKid: recipient.kid } };
  }
}
