import { resolve } from 'node:path';

/**
 * Typed, validated settings from the environment. A wrong value stops the process with a
 * message naming the setting and what was expected; secrets are never echoed back.
 */
export class SettingError extends Error {
  override readonly name = 'SettingError';
  constructor(
    readonly setting: string,
    expected: string,
    got: string | undefined,
    secret = false,
  ) {
    super(`${setting}: expected ${expected}, got ${got === undefined ? 'nothing' : secret ? '(hidden)' : `'${got}'`}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function stringSetting(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

export function integerSetting(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SettingError(name, `an integer from ${min} to ${max}`, raw);
  }
  return value;
}

export function enumSetting<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new SettingError(name, `one of ${allowed.join(', ')}`, raw);
  return raw as T;
}

export function urlSetting(env: Env, name: string, fallback: string, schemes: readonly string[]): string {
  const raw = stringSetting(env, name, fallback);
  const scheme = raw.split(':')[0] ?? '';
  if (!schemes.includes(scheme)) throw new SettingError(name, `a URL starting ${schemes.map((s) => `${s}:`).join(' or ')}`, maskUrl(raw));
  return raw;
}

/** A directory path, made absolute against the working directory; control characters are refused. */
export function directorySetting(env: Env, name: string, fallback: string): string {
  const raw = stringSetting(env, name, fallback);
  if (/[\u0000-\u001f]/.test(raw)) throw new SettingError(name, 'a directory path without control characters', JSON.stringify(raw));
  return resolve(raw);
}

/** URLs may carry passwords: `amqp://user:secret@host` is logged as `amqp://user:***@host`. */
export function maskUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
