import type { LoggerService, LogLevel as NestLogLevel } from '@nestjs/common';
import type { Logger } from '@aeo/observability';

type PinoMethod = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Nest's own log lines (start-up, routing, Terminus, anything calling `new Logger(...)`)
 * through the gateway's pino logger, so every line on stdout is the same JSON and carries
 * the request's correlation id. Nest passes its context (the class name) as the last
 * string argument; `error` may also pass a stack before it.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...optional: unknown[]): void {
    this.write('info', message, optional);
  }

  error(message: unknown, ...optional: unknown[]): void {
    this.write('error', message, optional);
  }

  warn(message: unknown, ...optional: unknown[]): void {
    this.write('warn', message, optional);
  }

  debug(message: unknown, ...optional: unknown[]): void {
    this.write('debug', message, optional);
  }

  verbose(message: unknown, ...optional: unknown[]): void {
    this.write('trace', message, optional);
  }

  fatal(message: unknown, ...optional: unknown[]): void {
    this.write('fatal', message, optional);
  }

  /** The level is pino's (MRA_LOG_LEVEL); Nest's own level list is not used. */
  setLogLevels(_levels: NestLogLevel[]): void {}

  private write(level: PinoMethod, message: unknown, optional: readonly unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const context = optional.length > 0 && typeof optional.at(-1) === 'string' ? (optional.at(-1) as string) : undefined;
    const stack = level === 'error' && optional.length === 2 && typeof optional[0] === 'string' ? optional[0] : undefined;
    const fields = { ...(context ? { context } : {}), ...(stack ? { stack } : {}) };
    if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'string') this.logger[level](fields, message);
    // Terminus and some Nest internals log objects; they are shallow status records, never requests.
    else this.logger[level]({ ...fields, detail: message }, context ?? 'nest');
  }
}
