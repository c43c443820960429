import { CanonicalJsonCodec, encodeJson } from '@aeo/codecs';
import { recordsOf } from '@aeo/domain';
import { adapterFor, idRuleOptions, listPartnerCodes } from '@aeo/partners';
import { Option, type Command } from 'commander';
import { action, readInput, writeStdout } from '../cli-io.js';

function partnerOption(): Option {
  return new Option('--partner <partner>', 'partner code').choices(listPartnerCodes()).makeOptionMandatory();
}

/** `mra convert`, `mra validate`, `mra mapping-report`: format work, no database, no keys. */
export function registerConvertCommands(program: Command): void {
  program
    .command('convert')
    .description('convert a message between a partner format and the canonical JSON form (stdout)')
    .addOption(partnerOption())
    .addOption(new Option('--to <form>', 'target form').choices(['canonical', 'partner']).makeOptionMandatory())
    .argument('[file]', 'input file, or - for standard input')
    .action(
      action(async (file: string | undefined, options: { partner: string; to: 'canonical' | 'partner' }) => {
        const adapter = adapterFor(options.partner);
        const input = readInput(file);
        if (options.to === 'canonical') {
          writeStdout(encodeJson(await adapter.decode(input)));
          return;
        }
        const message = CanonicalJsonCodec.decode(input, adapter.profile.limits, idRuleOptions(adapter.profile));
        const { bytes, losses } = adapter.encode(message);
        writeStdout(bytes);
        // What the partner format could not carry goes to stderr, so stdout stays the message itself.
        if (losses.length > 0) process.stderr.write(`${JSON.stringify({ mappingReport: { partner: options.partner, losses } })}\n`);
      }),
    );

  program
    .command('validate')
    .description("check a message in a partner's format: hardening, schema, code lists, identifiers, business rules")
    .addOption(partnerOption())
    .argument('[file]', 'input file, or - for standard input')
    .action(
      action(async (file: string | undefined, options: { partner: string }) => {
        const message = await adapterFor(options.partner).decode(readInput(file));
        const summary = {
          valid: true,
          partner: options.partner,
          messageType: message.envelope.messageType,
          messageId: message.envelope.messageId,
          records: recordsOf(message).length,
        };
        writeStdout(`${JSON.stringify(summary)}\n`);
      }),
    );

  program
    .command('mapping-report')
    .description('what a partner format can and cannot carry (fields, code-list values)')
    .addOption(partnerOption())
    .action(
      action((options: { partner: string }) => {
        writeStdout(`${JSON.stringify(adapterFor(options.partner).capabilities(), null, 2)}\n`);
      }),
    );
}
