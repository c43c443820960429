import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every log line written while handling one HTTP request carries. */
export interface LogContext {
  readonly correlationId: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `work` (and everything it awaits or schedules) with `context` attached to its log lines. */
export function runWithLogContext<T>(context: LogContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}

/**
 * A caller's correlation id is echoed into our headers and logs, so only a short token of
 * safe characters is taken: anything else (spaces, quotes, newlines that would forge log
 * lines or headers, or a huge value) is replaced by a fresh UUID.
 */
const SANE_CORRELATION_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function correlationIdFrom(header: string | readonly string[] | undefined): string {
  const candidate = typeof header === 'string' ? header : undefined;
  return candidate !== undefined && SANE_CORRELATION_ID.test(candidate) ? candidate : randomUUID();
}
