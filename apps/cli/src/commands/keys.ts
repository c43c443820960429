import { readFileSync } from 'node:fs';
import {
  DEFAULT_KEY_LIFETIME_DAYS,
  DEFAULT_ROTATION_OVERLAP_HOURS,
  importPartnerJwks,
  KEY_TYPE_NAMES,
  keyState,
  ownKeyExpiry,
  type KeyType,
} from '@aeo/trust';
import { GatewayError } from '@aeo/domain';
import { Option, type Command } from 'commander';
import { action, writeStdout } from '../cli-io.js';
import {
  defaultTrustCliDeps,
  parseInstant,
  parsePositiveNumber,
  partnerOption,
  type TrustCliDeps,
} from './trust-cli-deps.js';

/**
 * `mra keys generate|rotate|list|revoke|import` and `mra jwks`: our keys (MRA_KEYS_DIR,
 * private keys sealed with MRA_KEY_PASSPHRASE) and partners' public keys (config/partners/keys).
 */
export function registerKeysCommands(program: Command, deps: TrustCliDeps = defaultTrustCliDeps()): void {
  const keys = program
    .command('keys')
    .description("our signing and encryption keys, and partners' public keys");

  keys
    .command('generate')
    .description('create our first key of each type that has none (or of --type); needs MRA_KEY_PASSPHRASE')
    .addOption(new Option('--type <type>', 'key type').choices(KEY_TYPE_NAMES))
    .option('--activates-at <instant>', 'when the key starts to sign (default: now)', parseInstant)
    .option(
      '--lifetime-days <days>',
      'days from activation to retirement',
      parsePositiveNumber,
      DEFAULT_KEY_LIFETIME_DAYS,
    )
    .action(
      action(async (options: { type?: KeyType; activatesAt?: Date; lifetimeDays: number }) => {
        const store = deps.keyStore();
        const now = deps.clock.now();
        const held = new Set(
          store
            .list()
            .filter((r) => ['active', 'pending'].includes(keyState(r, now)))
            .map((r) => r.type),
        );
        const types = options.type ? [options.type] : KEY_TYPE_NAMES.filter((type) => !held.has(type));
        const created = [];
        for (const type of types) {
          const record = await store.generate({
            type,
            lifetimeDays: options.lifetimeDays,
            ...(options.activatesAt ? { activatesAt: options.activatesAt } : {}),
          });
          created.push({
            kid: record.kid,
            type,
            activatesAt: record.activatesAt,
            retiresAt: record.retiresAt,
          });
        }
        writeStdout(
          `${JSON.stringify({ dir: store.dir, created, alreadyHeld: KEY_TYPE_NAMES.filter((t) => held.has(t)) }, null, 2)}\n`,
        );
      }),
    );

  keys
    .command('rotate')
    .description(
      'create the next key of a type: published now, signs after the overlap; the current key retires one overlap later',
    )
    .addOption(new Option('--type <type>', 'key type').choices(KEY_TYPE_NAMES).makeOptionMandatory())
    .option(
      '--overlap-hours <hours>',
      'publication lead and verification grace',
      parsePositiveNumber,
      DEFAULT_ROTATION_OVERLAP_HOURS,
    )
    .option(
      '--lifetime-days <days>',
      'days from activation to retirement of the new key',
      parsePositiveNumber,
      DEFAULT_KEY_LIFETIME_DAYS,
    )
    .action(
      action(async (options: { type: KeyType; overlapHours: number; lifetimeDays: number }) => {
        const { previous, next } = await deps.keyStore().rotate(options);
        writeStdout(
          `${JSON.stringify({ next: { kid: next.kid, activatesAt: next.activatesAt, retiresAt: next.retiresAt }, previous: { kid: previous.kid, retiresAt: previous.retiresAt } }, null, 2)}\n`,
        );
      }),
    );

  keys
    .command('list')
    .description('our keys with their state and days to expiry (no passphrase needed)')
    .option('--json', 'print JSON instead of a table')
    .action(
      action((options: { json?: boolean }) => {
        const records = deps.keyStore().list();
        const now = deps.clock.now();
        const expiry = new Map(ownKeyExpiry(records, now).map((e) => [e.kid, e]));
        const rows = records.map((r) => ({
          kid: r.kid,
          type: r.type,
          state: keyState(r, now),
          activatesAt: r.activatesAt.toISOString(),
          retiresAt: r.retiresAt.toISOString(),
          daysToExpiry: expiry.get(r.kid)?.daysToExpiry ?? null,
          warning: expiry.get(r.kid)?.warning ?? null,
        }));
        writeStdout(options.json ? `${JSON.stringify(rows, null, 2)}\n` : table(rows));
      }),
    );

  keys
    .command('revoke')
    .description(
      'stop using one of our keys at once (compromise): no signing, no decryption, gone from the JWKS',
    )
    .argument('<kid>', 'key id')
    .action(
      action((kid: string) => {
        const record = deps.keyStore().revoke(kid, deps.clock.now());
        writeStdout(`${JSON.stringify({ revoked: record.kid, revokedAt: record.revokedAt }, null, 2)}\n`);
      }),
    );

  keys
    .command('import')
    .description("merge a partner's published JWKS into config/partners/keys/<partner>.jwks.json")
    .addOption(partnerOption(deps))
    .argument('<file>', 'JWKS file')
    .action(
      action(async (file: string, options: { partner: string }) => {
        let document: unknown;
        try {
          document = JSON.parse(readFileSync(file, 'utf8'));
        } catch (error) {
          throw new GatewayError('PARTNER_KEYS_INVALID', `${file}: ${(error as Error).message}`);
        }
        const summary = await importPartnerJwks(options.partner, document, deps.jwksPathFor(options.partner));
        writeStdout(`${JSON.stringify(summary, null, 2)}\n`);
      }),
    );

  program
    .command('jwks')
    .description('print our public JWKS, as GET /.well-known/jwks.json serves it (no passphrase needed)')
    .action(
      action(() => {
        writeStdout(`${JSON.stringify(deps.keyStore().jwks(deps.clock.now()), null, 2)}\n`);
      }),
    );
}

function table(rows: Record<string, string | number | null>[]): string {
  if (rows.length === 0) return 'no keys (mra keys generate creates them)\n';
  const columns = Object.keys(rows[0]);
  const cell = (v: string | number | null | undefined): string =>
    v === null || v === undefined ? '-' : String(v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return `${[line(columns), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n')}\n`;
}
