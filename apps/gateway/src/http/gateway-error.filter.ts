import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { GatewayError } from '@aeo/domain';

interface JsonResponse {
  status(code: number): JsonResponse;
  json(body: unknown): void;
}

/**
 * Every error leaves the API in one shape, `{"error":{"code","message","path"}}`, with the
 * same stable reason codes as receipts and the CLI. Domain rejections are 422; anything
 * unexpected is a 500 whose message says nothing about internals.
 */
@Catch()
export class GatewayErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(GatewayErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
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
    response.status(500).json({ error: { code: 'INTERNAL_ERROR', message: 'internal error; see the gateway log' } });
  }
}
