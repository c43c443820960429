import { pino, type DestinationStream, type Logger } from 'pino';
import { currentLogContext } from './log-context.js';

export type { DestinationStream, Logger };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where the JSON lines go: stdout by default; tests pass a stream that captures them. */
  readonly destination?: DestinationStream;
  /** The `service` field of every line. */
  readonly service?: string;
}

/**
 * Keys that must never reach a log line, wherever they sit (top level or one object down,
 * plus request headers). This is the safety net: the code already avoids passing headers,
 * tokens, passphrases, key material or message payloads to the logger at all.
 */
export const REDACTED_LOG_PATHS: readonly string[] = [
  'authorization',
  'cookie',
  'token',
  'apiKey',
  'apiKeys',
  'passphrase',
  'password',
  'privateKey',
  'privateJwk',
  'jwk',
  'body',
  'payload',
  'MRA_API_KEYS',
  'MRA_KEY_PASSPHRASE',
].flatMap((key) => [key, `*.${key}`]).concat(['headers', 'req.headers', 'request.headers', 'env']);

/**
 * Errors are logged as type, message, code and stack only. pino's default serializer copies
 * every enumerable property, and some errors carry what we must not log (a TypeORM
 * QueryFailedError holds the query parameters, i.e. message bodies).
 */
export function safeError(value: unknown): Record<string, unknown> {
  if (!(value instanceof Error)) return { message: String(value) };
  const code = (value as { code?: unknown }).code;
  return {
    type: value.name,
    message: value.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(value.stack ? { stack: value.stack } : {}),
  };
}

/**
 * The one logger factory: JSON lines with `level` as a word, `time` as ISO-8601, the text
 * under `message` (the key the gateway has always used; start-up scripts wait for
 * `"message":"gateway started"`), and the correlation id of the HTTP request being handled,
 * when there is one.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level,
    messageKey: 'message',
    base: { service: options.service ?? 'mra-gateway' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: [...REDACTED_LOG_PATHS], censor: '[redacted]' },
    serializers: { err: safeError, error: safeError },
    // The line's own fields win over the context: an explicit correlationId is kept.
    mixin: () => ({ ...currentLogContext() }),
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/**
 * Start-up and shut-down lines are the process's lifecycle signal: supervisors and the test
 * harness wait for "gateway started". They are written at info even when the configured
 * level is warn or error, and only `silent` suppresses them.
 */
export function lifecycleLogger(logger: Logger): Logger {
  return logger.level === 'silent' || logger.isLevelEnabled('info') ? logger : logger.child({}, { level: 'info' });
}
