import { GatewayError } from '@aeo/domain';
import { base64url, compactVerify, type JWK } from 'jose';
import { isSha256Hex } from './audit-entry.js';
import { canonicalJson } from './canonical-json.js';

/**
 * Signing goes through this port; the trust library implements it with the gateway's key
 * (software key, KMS or HSM). `sign` returns a compact JWS over exactly `payload` whose
 * protected header carries `kid` (= this.kid) and an asymmetric `alg`.
 */
export interface CheckpointSigner {
  readonly kid: string;
  sign(payload: Uint8Array): Promise<string>;
}

/** The public JWK for a key id, or undefined when the key is unknown. */
export type AuditKeyResolver = (kid: string) => JWK | undefined | Promise<JWK | undefined>;

/** Asymmetric algorithms only: a checkpoint must be verifiable by someone who cannot sign. */
export const CHECKPOINT_ALGORITHMS = ['ES256', 'ES384', 'EdDSA', 'Ed25519', 'PS256', 'RS256'] as const;

/**
 * What a checkpoint signs: "log `log` had `seq` entries and entry `seq` hashed to `headHash`
 * at `createdAt`". Encoded as canonical JSON (sorted keys, no whitespace), so a partner or an
 * auditor can read it without our code.
 */
export interface CheckpointStatement {
  readonly v: 1;
  readonly log: string;
  readonly seq: number;
  readonly headHash: string;
  readonly createdAt: number;
}

export interface DecodedCheckpoint {
  readonly kid: string;
  readonly alg: string;
  readonly statement: CheckpointStatement;
}

export function checkpointPayload(statement: CheckpointStatement): Uint8Array {
  return Buffer.from(canonicalJson(statement), 'utf8');
}

/** Parse a checkpoint JWS without checking its signature. */
export function decodeCheckpointJws(jws: string): DecodedCheckpoint {
  const parts = jws.split('.');
  if (parts.length !== 3) throw malformed('a compact JWS has three dot-separated parts', 'JWS_MALFORMED');
  let header: Record<string, unknown>;
  let statement: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(base64url.decode(parts[0])).toString('utf8')) as Record<string, unknown>;
    statement = JSON.parse(Buffer.from(base64url.decode(parts[1])).toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch (error) {
    throw malformed('header or payload is not base64url-encoded JSON', 'JWS_MALFORMED', error);
  }
  const { kid, alg } = header;
  if (typeof kid !== 'string' || kid === '')
    throw malformed('the protected header has no kid', 'HEADER_CLAIM_MISSING');
  if (typeof alg !== 'string' || !(CHECKPOINT_ALGORITHMS as readonly string[]).includes(alg)) {
    throw malformed(
      `alg '${String(alg)}' is not one of ${CHECKPOINT_ALGORITHMS.join(', ')}`,
      'ALG_NOT_ALLOWED',
    );
  }
  if (
    statement.v !== 1 ||
    typeof statement.log !== 'string' ||
    !Number.isSafeInteger(statement.seq) ||
    (statement.seq as number) < 1 ||
    typeof statement.headHash !== 'string' ||
    !isSha256Hex(statement.headHash) ||
    !Number.isSafeInteger(statement.createdAt)
  ) {
    throw malformed(
      'the payload is not a checkpoint statement {v:1, log, seq, headHash, createdAt}',
      'CHECKPOINT_MALFORMED',
    );
  }
  return { kid, alg, statement: statement as unknown as CheckpointStatement };
}

/**
 * Verify a checkpoint (ours, or a partner's in mutual audit) with the key its kid names.
 * Throws GatewayError JWS_MALFORMED, HEADER_CLAIM_MISSING, ALG_NOT_ALLOWED, CHECKPOINT_MALFORMED,
 * KEY_UNKNOWN or SIGNATURE_INVALID.
 */
export async function verifyCheckpointJws(
  jws: string,
  resolveKey: AuditKeyResolver,
): Promise<DecodedCheckpoint> {
  const decoded = decodeCheckpointJws(jws);
  const jwk = await resolveKey(decoded.kid);
  if (!jwk) throw new GatewayError('KEY_UNKNOWN', `no public key for kid '${decoded.kid}'`);
  try {
    await compactVerify(jws, jwk, { algorithms: [...CHECKPOINT_ALGORITHMS] });
  } catch (error) {
    throw new GatewayError(
      'SIGNATURE_INVALID',
      `checkpoint seq ${decoded.statement.seq}: signature does not verify with key '${decoded.kid}'`,
      undefined,
      { cause: error },
    );
  }
  return decoded;
}

/** A resolver over a JWKS document ({keys:[...]}) matched by kid. */
export function jwksKeyResolver(jwks: { keys: readonly JWK[] }): AuditKeyResolver {
  const byKid = new Map<string, JWK>();
  for (const key of jwks.keys) if (typeof key.kid === 'string') byKid.set(key.kid, publicPart(key));
  return (kid) => byKid.get(kid);
}

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'];

/** The public members of a JWK (a JWKS handed to an auditor must not carry `d` and friends). */
export function publicPart(jwk: JWK): JWK {
  const copy: Record<string, unknown> = { ...jwk };
  for (const member of PRIVATE_JWK_MEMBERS) delete copy[member];
  return copy;
}

function malformed(reason: string, code: string, cause?: unknown): GatewayError {
  return new GatewayError(code, `checkpoint JWS: ${reason}`, undefined, cause ? { cause } : undefined);
}
