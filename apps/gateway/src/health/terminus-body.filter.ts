import { Catch, ServiceUnavailableException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';

interface JsonResponse {
  status(code: number): JsonResponse;
  json(body: unknown): void;
}

/**
 * Readiness answers 503 with Terminus' standard body ({status, info, error, details}), which
 * load balancers and Kubernetes tooling read. The gateway's global filter would rewrite it to
 * the API error shape, so the health controller uses this one instead.
 */
@Catch(ServiceUnavailableException)
export class TerminusBodyFilter implements ExceptionFilter {
  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<JsonResponse>().status(503).json(exception.getResponse());
  }
}
