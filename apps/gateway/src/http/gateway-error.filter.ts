import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { GatewayError } from '@aeo/domain';

interface JsonResponse {
  status(code: number): JsonResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
}

/**
 * PostgreSQL SQLSTATEs meaning "the connection or the server went away, try again": class 08
 * (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now),
 * 40001/40P01 (serialization failure, deadlock detected: the transaction was rolled back).
 */
function isTransientDatabaseError(exception: unknown): boolean {
  const candidate = exception as { code?: unknown; driverError?: { code?: unknown }; message?: unknown } | null;
  const code = candidate?.driverError?.code ?? candidate?.code;
  if (typeof code === 'string' && (/^08/.test(code) || /^57P0[123]$/.test(code) || code === '40001' || code === '40P01' || code.startsWith('SQLITE_BUSY'))) return true;
  return typeof candidate?.message === 'string' && /Connection terminated|connection is closed|ECONNREFUSED|ECONNRESET/i.test(candidate.message);
}

/**
 * Every error leaves the API in one shape, `{"error":{"code","message","path"}}`, with the
 * same stable reason codes as receipts and the CLI. Domain rejections are 422; a transient
 * failure (TRANSIENT_FAILURE, a dropped database connection) is 503 with Retry-After; anything
 * unexpected is a 500 whose message says nothing about internals.
 */
@Catch()
export class GatewayErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(GatewayErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    if (exception instanceof GatewayError && exception.code === 'TRANSIENT_FAILURE') {
      // Not the caller's fault and worth repeating: 503 with a hint when.
      response.setHeader('Retry-After', '1');
      response.status(503).json({ error: exception.toJSON() });
      return;
    }
    if (exception instanceof GatewayError) {
      response.status(422).json({ error: exception.toJSON() });
      return;
    }
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const error =
        typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object'
          ? (body).error
          : { code: `HTTP_${exception.getStatus()}`, message: exception.message };
      response.status(exception.getStatus()).json({ error });
      return;
    }
    // The caller is told nothing about internals; the log gets the error (type, message, stack) under the request's correlation id.
    this.logger.error(exception instanceof Error ? exception : new Error(String(exception)));
    if (isTransientDatabaseError(exception)) {
      // The database connection dropped (failover, restart, a killed backend): nothing was
      // committed by this request, and the same request will work once the pool reconnects.
      response.setHeader('Retry-After', '1');
      response.status(503).json({ error: { code: 'TRANSIENT_FAILURE', message: 'the database is briefly unavailable; nothing was changed, try again' } });
      return;
    }
    response.status(500).json({ error: { code: 'INTERNAL_ERROR', message: 'internal error; see the gateway log' } });
  }
}
