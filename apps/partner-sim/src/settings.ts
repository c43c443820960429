import { SettingError, enumSetting, integerSetting, urlSetting } from '@aeo/config';

/** The simulator's command-line options, as commander hands them over (all text). */
export interface SimulatorOptions {
  readonly partner: string;
  readonly amqp: string;
  readonly prefix: string;
  readonly gatewayJwks: string;
  readonly keys?: string;
  readonly port: string;
  readonly registerSize: string;
}

export interface SimulatorSettings {
  readonly partner: string;
  readonly amqpUrl: string;
  readonly prefix: string;
  /** An http(s) URL to fetch, or a file to read. */
  readonly gatewayJwks: string;
  readonly keysFile?: string;
  readonly port: number;
  readonly registerSize: number;
}

/**
 * Validate the simulator's options before anything starts, with the same rules and messages
 * as the gateway's settings: a wrong value stops the process naming the option, instead of a
 * NaN register size or a crash deep inside amqplib.
 */
export function loadSimulatorSettings(options: SimulatorOptions, partners: readonly string[]): SimulatorSettings {
  const asEnv = {
    '--partner': options.partner,
    '--amqp': options.amqp,
    '--port': options.port,
    '--register-size': options.registerSize,
  };
  if (!/^[A-Za-z][A-Za-z0-9._-]{0,63}$/.test(options.prefix)) {
    throw new SettingError('--prefix', 'a topology prefix of letters, digits, dots, underscores and hyphens (at most 64)', options.prefix);
  }
  return {
    partner: enumSetting(asEnv, '--partner', partners, partners[0]),
    amqpUrl: urlSetting(asEnv, '--amqp', 'amqp://guest:guest@127.0.0.1:5672', ['amqp', 'amqps']),
    prefix: options.prefix,
    gatewayJwks: options.gatewayJwks,
    ...(options.keys ? { keysFile: options.keys } : {}),
    port: integerSetting(asEnv, '--port', 0, 0, 65535),
    registerSize: integerSetting(asEnv, '--register-size', 20, 1, 1_000_000),
  };
}
