import type { MessageType, Programme } from '@aeo/domain';
import type { SignatureAlgorithm } from './algorithms.js';

/** What was verified, for the audit log, receipts and `mra verify`. */
export interface VerificationReport {
  readonly partner: string;
  readonly kid: string;
  readonly alg: SignatureAlgorithm;
  readonly jti: string;
  readonly iss: Programme;
  readonly aud: Programme;
  /** The signer's issued-at, ISO-8601. */
  readonly iat: string;
  readonly messageType: MessageType;
  readonly contentType: string;
  readonly profileVersion: string;
  readonly encrypted: boolean;
  /** Our key the JWE was addressed to, when encrypted. */
  readonly encryptionKid?: string;
  readonly encryptionAlg?: string;
  readonly payloadBytes: number;
  /** SHA-256 (hex) of the verified payload bytes. */
  readonly payloadSha256: string;
  readonly verifiedAt: string;
}

export interface VerifiedMessage {
  /** The exact partner-format bytes that were signed; only now may business parsing start. */
  readonly payload: Uint8Array;
  readonly report: VerificationReport;
}
