import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import type { CryptoKey } from 'jose';
import { HOME_PROGRAMME, type Programme } from '@aeo/domain';
import { isKeyAlgorithm, type KeyAlgorithm, type KeyUse, type PublicJwk } from './algorithms.js';
import { systemClock, type Clock } from './clock.js';
import { generateKeyPairJwk, kidFor } from './key-generation.js';
import { importKey, jwkThumbprint, publicPartOf } from './jwk-keys.js';
import { KeyRing, type OwnKey } from './key-ring.js';
import { keyState } from './key-validity.js';
import { jwksDocument } from './jwks-document.js';
import { isKeyType, KEY_TYPES, newestFirst, type KeyType, type OwnKeyRecord } from './own-key.js';
import type { JwksDocument } from './partner-jwks.js';
import {
  DEFAULT_SCRYPT,
  openSecret,
  sealSecret,
  SecretSealingError,
  type ScryptParams,
  type SealedSecret,
} from './secret-sealing.js';

/**
 * Our signing and encryption keys, one JSON file per key in MRA_KEYS_DIR (default ./keys,
 * git-ignored). Each file holds the key's metadata and public JWK in clear, and its private
 * JWK sealed with AES-256-GCM under a key derived by scrypt from MRA_KEY_PASSPHRASE. The
 * files are written 0600 in a 0700 directory, and a key file readable by group or others is
 * refused. Listing keys and publishing the JWKS need no passphrase; creating keys and
 * unlocking them (open) do, and are refused without one.
 */
export class KeyStoreError extends Error {
  override readonly name = 'KeyStoreError';
}

export const KEY_FILE_FORMAT = 'mra-key/1';
export const MIN_PASSPHRASE_LENGTH = 12;
export const DEFAULT_KEY_LIFETIME_DAYS = 365;
export const DEFAULT_ROTATION_OVERLAP_HOURS = 24;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

interface KeyFile {
  readonly format: typeof KEY_FILE_FORMAT;
  readonly kid: string;
  readonly type: KeyType;
  readonly alg: KeyAlgorithm;
  readonly use: KeyUse;
  readonly createdAt: string;
  readonly activatesAt: string;
  readonly retiresAt: string;
  readonly revokedAt?: string;
  readonly publicJwk: PublicJwk;
  readonly privateKey: SealedSecret;
}

export interface KeyStoreOptions {
  readonly dir: string;
  readonly passphrase?: string;
  readonly programme?: Programme;
  readonly clock?: Clock;
  /** scrypt cost for newly sealed keys (tests lower it to the minimum). */
  readonly scrypt?: ScryptParams;
}

export interface GenerateOptions {
  readonly type: KeyType;
  readonly activatesAt?: Date;
  readonly lifetimeDays?: number;
}

export interface RotateOptions {
  readonly type: KeyType;
  /** How long the new key is published before it signs, and the old one verifies after. */
  readonly overlapHours?: number;
  readonly lifetimeDays?: number;
}

export class KeyStore {
  readonly dir: string;
  private readonly programme: Programme;
  private readonly clock: Clock;

  constructor(private readonly options: KeyStoreOptions) {
    this.dir = resolve(options.dir);
    this.programme = options.programme ?? HOME_PROGRAMME;
    this.clock = options.clock ?? systemClock;
  }

  /** Every key's metadata, newest first within each type. No private material is read. */
  list(): OwnKeyRecord[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => recordOf(this.readKeyFile(join(this.dir, name))))
      .sort((a, b) => a.type.localeCompare(b.type) || newestFirst(a, b));
  }

  /** The JWKS to publish at GET /.well-known/jwks.json. */
  jwks(at: Date = this.clock.now()): JwksDocument {
    return jwksDocument(this.list(), at);
  }

  /**
   * A first key of a type. Refused when the type already has an active or pending key: a
   * second key that signs at once would reach partners before they know it; use rotate.
   */
  async generate(options: GenerateOptions): Promise<OwnKeyRecord> {
    const passphrase = this.requirePassphrase();
    const existing = this.list().find(
      (r) => r.type === options.type && ['active', 'pending'].includes(keyState(r, this.clock.now())),
    );
    if (existing)
      throw new KeyStoreError(
        `a ${options.type} key already exists (${existing.kid}); use "mra keys rotate --type ${options.type}"`,
      );
    return this.create(options, passphrase);
  }

  /**
   * Rotation with overlap: the next key is created now but activates only after the overlap
   * (partners fetch it from our JWKS meanwhile); the current key keeps signing until then and
   * retires one overlap later, so messages it signed just before the switch still verify.
   */
  async rotate(options: RotateOptions): Promise<{ previous: OwnKeyRecord; next: OwnKeyRecord }> {
    const passphrase = this.requirePassphrase();
    const now = this.clock.now();
    const ofType = this.list().filter((r) => r.type === options.type);
    const pending = ofType.find((r) => keyState(r, now) === 'pending');
    if (pending)
      throw new KeyStoreError(
        `a rotation of ${options.type} is already pending: ${pending.kid} activates at ${pending.activatesAt.toISOString()}`,
      );
    const current = ofType.filter((r) => keyState(r, now) === 'active').sort(newestFirst)[0];
    if (!current)
      throw new KeyStoreError(
        `no active ${options.type} key to rotate; use "mra keys generate --type ${options.type}"`,
      );
    const overlapMs = (options.overlapHours ?? DEFAULT_ROTATION_OVERLAP_HOURS) * HOUR_MS;
    if (!(overlapMs > 0)) throw new KeyStoreError('the rotation overlap must be positive');
    const activatesAt = new Date(now.getTime() + overlapMs);
    const next = await this.create(
      {
        type: options.type,
        activatesAt,
        ...(options.lifetimeDays ? { lifetimeDays: options.lifetimeDays } : {}),
      },
      passphrase,
    );
    const retiresAt = new Date(Math.min(current.retiresAt.getTime(), activatesAt.getTime() + overlapMs));
    const previous = this.updateMetadata(current.kid, { retiresAt: retiresAt.toISOString() });
    return { previous, next };
  }

  /** Stop using a key at once (compromise): it no longer signs, decrypts or appears in the JWKS. */
  revoke(kid: string, at: Date = this.clock.now()): OwnKeyRecord {
    return this.updateMetadata(kid, { revokedAt: at.toISOString() });
  }

  /** Unlock every key that is not revoked into a KeyRing. Needs the passphrase. */
  async open(): Promise<KeyRing> {
    const passphrase = this.requirePassphrase();
    const now = this.clock.now();
    const keys: OwnKey[] = [];
    for (const name of existsSync(this.dir) ? readdirSync(this.dir).filter((n) => n.endsWith('.json')) : []) {
      const path = join(this.dir, name);
      const file = this.readKeyFile(path);
      const record = recordOf(file);
      if (keyState(record, now) === 'revoked') continue;
      this.refuseLoosePermissions(path);
      keys.push({ record, privateKey: await this.unseal(file, passphrase) });
    }
    return new KeyRing(keys);
  }

  private async create(options: GenerateOptions, passphrase: string): Promise<OwnKeyRecord> {
    const { alg, use } = KEY_TYPES[options.type];
    const now = this.clock.now();
    const activatesAt = options.activatesAt ?? now;
    const lifetimeDays = options.lifetimeDays ?? DEFAULT_KEY_LIFETIME_DAYS;
    if (!(lifetimeDays > 0)) throw new KeyStoreError('the key lifetime must be positive');
    const pair = await generateKeyPairJwk(options.type);
    const kid = kidFor(this.programme, options.type, activatesAt, pair.thumbprint);
    const file: KeyFile = {
      format: KEY_FILE_FORMAT,
      kid,
      type: options.type,
      alg,
      use,
      createdAt: now.toISOString(),
      activatesAt: activatesAt.toISOString(),
      retiresAt: new Date(activatesAt.getTime() + lifetimeDays * DAY_MS).toISOString(),
      publicJwk: pair.publicJwk,
      privateKey: await sealSecret(
        Buffer.from(JSON.stringify(pair.privateJwk), 'utf8'),
        passphrase,
        sealingContext(kid, alg, use, pair.thumbprint),
        this.options.scrypt ?? DEFAULT_SCRYPT,
      ),
    };
    this.writeKeyFile(file);
    return recordOf(file);
  }

  private async unseal(file: KeyFile, passphrase: string): Promise<CryptoKey> {
    const thumbprint = await jwkThumbprint(file.publicJwk as unknown as Record<string, unknown>);
    let privateJwk: Record<string, unknown>;
    try {
      privateJwk = JSON.parse(
        (
          await openSecret(
            file.privateKey,
            passphrase,
            sealingContext(file.kid, file.alg, file.use, thumbprint),
          )
        ).toString('utf8'),
      ) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof SecretSealingError)
        throw new KeyStoreError(`key ${file.kid}: ${error.message} (check MRA_KEY_PASSPHRASE)`);
      throw error;
    }
    if ((await jwkThumbprint(privateJwk)) !== thumbprint)
      throw new KeyStoreError(`key ${file.kid}: the private key does not match the public key`);
    return importKey(privateJwk, file.alg, 'private');
  }

  private updateMetadata(
    kid: string,
    changes: Partial<Pick<KeyFile, 'retiresAt' | 'revokedAt'>>,
  ): OwnKeyRecord {
    const path = this.pathOf(kid);
    if (!existsSync(path)) throw new KeyStoreError(`no key ${kid} in ${this.dir}`);
    const file: KeyFile = { ...this.readKeyFile(path), ...changes };
    this.writeKeyFile(file);
    return recordOf(file);
  }

  private requirePassphrase(): string {
    const { passphrase } = this.options;
    if (!passphrase)
      throw new KeyStoreError(
        'MRA_KEY_PASSPHRASE is not set: private keys are never created or used unencrypted',
      );
    if (passphrase.length < MIN_PASSPHRASE_LENGTH)
      throw new KeyStoreError(`MRA_KEY_PASSPHRASE must be at least ${MIN_PASSPHRASE_LENGTH} characters`);
    return passphrase;
  }

  private pathOf(kid: string): string {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(kid)) throw new KeyStoreError(`'${kid}' is not a key id of ours`);
    return join(this.dir, `${kid}.json`);
  }

  private writeKeyFile(file: KeyFile): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const path = this.pathOf(file.kid);
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  }

  private readKeyFile(path: string): KeyFile {
    let file: KeyFile;
    try {
      file = JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
    } catch (error) {
      throw new KeyStoreError(`${path}: not a key file (${(error as Error).message})`);
    }
    if (
      file.format !== KEY_FILE_FORMAT ||
      !isKeyType(file.type) ||
      !isKeyAlgorithm(file.alg) ||
      typeof file.kid !== 'string'
    ) {
      throw new KeyStoreError(`${path}: not a ${KEY_FILE_FORMAT} key file`);
    }
    return file;
  }

  private refuseLoosePermissions(path: string): void {
    if (process.platform === 'win32') return;
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0)
      throw new KeyStoreError(`${path} is readable by others (mode ${mode.toString(8)}); run chmod 600`);
  }
}

/** What the AES-GCM tag authenticates besides the ciphertext. */
function sealingContext(kid: string, alg: string, use: string, thumbprint: string): string {
  return `${KEY_FILE_FORMAT}|${kid}|${alg}|${use}|${thumbprint}`;
}

function recordOf(file: KeyFile): OwnKeyRecord {
  return {
    kid: file.kid,
    type: file.type,
    alg: file.alg,
    use: file.use,
    createdAt: new Date(file.createdAt),
    activatesAt: new Date(file.activatesAt),
    retiresAt: new Date(file.retiresAt),
    ...(file.revokedAt ? { revokedAt: new Date(file.revokedAt) } : {}),
    publicJwk: publicPartOf(file.publicJwk as unknown as Record<string, unknown>),
  };
}

export const DEFAULT_KEYS_DIR = './keys';

/** The key store the environment configures: MRA_KEYS_DIR (default ./keys) and MRA_KEY_PASSPHRASE. */
export function keyStoreFromEnv(env: NodeJS.ProcessEnv = process.env, clock: Clock = systemClock): KeyStore {
  return new KeyStore({
    dir: env.MRA_KEYS_DIR || DEFAULT_KEYS_DIR,
    ...(env.MRA_KEY_PASSPHRASE ? { passphrase: env.MRA_KEY_PASSPHRASE } : {}),
    clock,
  });
}
