import { CanonicalJsonCodec } from '@aeo/codecs';
import { GatewayError, HOME_PROGRAMME } from '@aeo/domain';
import { idRuleOptions } from '@aeo/partners';
import { MessageSealer, trustContextOf } from '@aeo/trust';
import type { Command } from 'commander';
import { action, readInput, writeStdout } from '../cli-io.js';
import { partnerOption, writeReport, type SignCliDeps } from './trust-cli-deps.js';

/**
 * `mra sign --partner <p> [FILE|-]`: a canonical message (JSON) in, exactly what would be
 * sent to that partner out: encoded in its format, signed, and encrypted if its profile says
 * so (--sign-only stops before encryption). The signing report goes to stderr.
 */
export function registerSignCommands(program: Command, deps: SignCliDeps): void {
  program
    .command('sign')
    .description(
      "encode a canonical message in the partner's format, sign it and encrypt it if the partner's profile asks; prints what would be sent",
    )
    .addOption(partnerOption(deps))
    .option('--sign-only', 'stop before encryption')
    .argument('[file]', 'canonical message (JSON), or - for standard input')
    .action(
      action(async (file: string | undefined, options: { partner: string; signOnly?: boolean }) => {
        const adapter = deps.adapterFor(options.partner);
        const { profile } = adapter;
        const message = CanonicalJsonCodec.decode(readInput(file), profile.limits, idRuleOptions(profile));
        const { envelope } = message;
        if (envelope.sender !== HOME_PROGRAMME) {
          throw new GatewayError(
            'SENDER_MISMATCH',
            `we sign as ${HOME_PROGRAMME}; the envelope's sender is ${envelope.sender}`,
            '/envelope/sender',
          );
        }
        if (envelope.recipient !== profile.programme) {
          throw new GatewayError(
            'WRONG_RECIPIENT',
            `partner ${profile.partner} is ${profile.programme}; the envelope's recipient is ${envelope.recipient}`,
            '/envelope/recipient',
          );
        }
        const { bytes, losses } = adapter.encode(message);
        const sealer = new MessageSealer({
          ourProgramme: HOME_PROGRAMME,
          signingKeys: await deps.keyStore().open(),
          partnerKeys: await deps.partnerKeys(),
          clock: deps.clock,
        });
        const { token, report } = await sealer.seal({
          payload: bytes,
          partner: trustContextOf(profile),
          messageId: envelope.messageId,
          messageType: envelope.messageType,
          signOnly: options.signOnly === true,
        });
        // Exactly the bytes that would travel; a newline only for a human at a terminal.
        writeStdout(process.stdout.isTTY ? `${token}\n` : token);
        writeReport({
          signed: report,
          ...(losses.length > 0 ? { mappingReport: { partner: profile.partner, losses } } : {}),
        });
      }),
    );
}
