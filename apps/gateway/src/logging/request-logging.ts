import type { IncomingMessage, ServerResponse } from 'node:http';
import { correlationIdFrom, runWithLogContext, type Logger } from '@aeo/observability';

export const CORRELATION_HEADER = 'x-correlation-id';

/** Probes and scrapes come every few seconds: logged at debug so they do not drown the requests that matter. */
const QUIET_PATHS = /^\/(health|metrics)(\/|$)/;

/**
 * Express middleware, first in the chain: gives the request a correlation id (the caller's,
 * if it is a sane token, else a new UUID), echoes it in the response, runs the rest of the
 * request inside a log context so every line written while handling it carries the id, and
 * writes one line when the response is finished. Only the method, the path without its
 * query, the status and the duration are logged: never headers (the Authorization header
 * holds the API key), never bodies.
 */
export function requestLogging(logger: Logger) {
  return (request: IncomingMessage & { originalUrl?: string }, response: ServerResponse, next: () => void): void => {
    const correlationId = correlationIdFrom(request.headers[CORRELATION_HEADER]);
    response.setHeader('X-Correlation-Id', correlationId);
    const started = process.hrtime.bigint();
    // The query may carry search terms; the path alone identifies the endpoint. Capped: a path is caller-chosen.
    const path = (request.originalUrl ?? request.url ?? '').split('?')[0].slice(0, 256);
    response.once('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const level = QUIET_PATHS.test(path) && response.statusCode < 500 ? 'debug' : response.statusCode >= 500 ? 'error' : 'info';
      logger[level]({ correlationId, method: request.method, path, status: response.statusCode, durationMs: Math.round(durationMs * 10) / 10 }, 'request completed');
    });
    runWithLogContext({ correlationId }, next);
  };
}
