import { HOME_PROGRAMME } from '@aeo/domain';
import { fixedClock, InMemoryReplayStore, MessageVerifier, trustContextOf, type KeyRing } from '@aeo/trust';
import type { Command } from 'commander';
import { action, readInput, writeStdout } from '../cli-io.js';
import {
  defaultTrustCliDeps,
  parseInstant,
  partnerOption,
  writeReport,
  type TrustCliDeps,
} from './trust-cli-deps.js';

/**
 * `mra verify --partner <p> [--jwks FILE] [FILE|-]`: the gateway's checks on a message from a
 * partner (decrypt, signature, signing profile, freshness). Prints the verified payload on
 * stdout and `{"verification": {...}}` on stderr; on failure exits 2 with
 * `{"error": {"code": ...}}`. It never records the message id in the gateway's replay store,
 * so checking a message by hand does not make the gateway refuse it later.
 */
export function registerVerifyCommands(program: Command, deps: TrustCliDeps = defaultTrustCliDeps()): void {
  program
    .command('verify')
    .description(
      'verify a message from a partner; prints the payload (stdout) and a JSON verification report (stderr); exit 2 with the reason code on failure',
    )
    .addOption(partnerOption(deps))
    .option('--jwks <file>', "the partner's public keys from this JWKS file instead of its configured one")
    .option('--at <instant>', 'verify as of this instant instead of now (for older messages)', parseInstant)
    .argument('[file]', 'the message as received (compact JWS or JWE), or - for standard input')
    .action(
      action(async (file: string | undefined, options: { partner: string; jwks?: string; at?: Date }) => {
        const profile = deps.profileFor(options.partner);
        const token = withoutTrailingWhitespace(readInput(file));
        const encrypted = token.split('.').length === 5;
        const decryptionKeys: KeyRing | undefined = encrypted ? await deps.keyStore().open() : undefined;
        const verifier = new MessageVerifier({
          ourProgramme: HOME_PROGRAMME,
          partnerKeys: await deps.partnerKeys(options.jwks ? { [options.partner]: options.jwks } : undefined),
          replayStore: new InMemoryReplayStore(),
          clock: options.at ? fixedClock(options.at) : deps.clock,
          ...(decryptionKeys ? { decryptionKeys } : {}),
        });
        const { payload, report } = await verifier.verify(token, trustContextOf(profile));
        writeStdout(payload);
        writeReport({
          verification: {
            valid: true,
            ...report,
            replayCheck: 'not recorded: mra verify does not write to the gateway replay store',
          },
        });
      }),
    );
}

/** A file saved by an editor or `echo` ends in a newline; the token itself never contains whitespace. */
function withoutTrailingWhitespace(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[\r\n\t ]+$/, '');
}
