import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { ApiKeys } from '../auth/api-keys.js';
import { basicPassword, bearerToken } from '../auth/credentials.js';
import { RateLimitPolicy, rateLimitedBody } from '../auth/rate-limit.js';
import { buildApiDocument } from './openapi.js';

export const DOCS_PATH = '/docs';
export const DOCS_JSON_PATH = '/docs-json';

interface DocsRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly ip?: string;
}

interface DocsResponse {
  setHeader(name: string, value: string | string[]): void;
  status(code: number): DocsResponse;
  json(body: unknown): void;
}

/**
 * Express routes match without regard to case and with an optional trailing slash, so the
 * check must too: `/DOCS-JSON` or `/docs-json/` reach the same handler as `/docs-json`.
 */
function isDocsPath(path: string): boolean {
  const normalised = path.toLowerCase().replace(/\/+$/, '');
  return normalised === DOCS_PATH || normalised.startsWith(`${DOCS_PATH}/`) || normalised === DOCS_JSON_PATH;
}

/**
 * /docs is not for the world: the document maps our whole attack surface. Any valid API key
 * opens it, as a bearer token (scripts) or as the password of HTTP Basic (a browser shows its
 * own log-in prompt for that). Attempts spend the same per-second budgets as the API, so the
 * prompt is no way round the limit on guessing keys.
 */
export function docsAccess(keys: ApiKeys, policy: RateLimitPolicy) {
  return (request: DocsRequest, response: DocsResponse, next: (error?: unknown) => void): void => {
    if (!isDocsPath(request.path)) return next();
    const header = typeof request.headers.authorization === 'string' ? request.headers.authorization : undefined;
    const token = bearerToken(header) ?? basicPassword(header);
    const principal = token ? keys.authenticate(token) : undefined;
    const bucket = policy.forPrincipal(principal, request);
    const { allowed, retryAfterSeconds } = policy.spend(bucket);
    if (!allowed) {
      response.setHeader('Retry-After', String(retryAfterSeconds));
      response.status(429).json(rateLimitedBody(bucket.limit, retryAfterSeconds));
    } else if (!principal) {
      response.setHeader('WWW-Authenticate', ['Basic realm="MRA gateway API documentation", charset="UTF-8"', 'Bearer realm="MRA gateway API documentation"']);
      response.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'an API key is required: as a bearer token, or as the password of HTTP Basic' } });
    } else {
      response.setHeader('Cache-Control', 'no-store');
      next();
    }
  };
}

/** Swagger UI at /docs and the OpenAPI document at /docs-json, both behind docsAccess. Call before listen(). */
export function setupApiDocs(app: NestExpressApplication, keys: ApiKeys): void {
  app.use(docsAccess(keys, app.get(RateLimitPolicy)));
  // Built on first request, when every module's routes are known.
  SwaggerModule.setup(DOCS_PATH.slice(1), app, () => buildApiDocument(app), {
    jsonDocumentUrl: DOCS_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'MRA gateway API',
  });
}
