/**
 * The JSON body parser fails before Nest sees the request; this Express error handler gives
 * those failures the API's error body and stable codes instead of a generic HTTP_4xx.
 * Registered right after the body parser. Messages never echo the body back.
 */
interface BodyParserError {
  readonly type?: string;
  readonly body?: unknown;
}

interface ErrorResponse {
  status(code: number): ErrorResponse;
  json(body: unknown): void;
}

function parsesToNonObject(raw: unknown): boolean {
  if (typeof raw !== 'string') return false;
  try {
    const value: unknown = JSON.parse(raw);
    return value === null || typeof value !== 'object';
  } catch {
    return false;
  }
}

export function bodyParserErrors(error: unknown, _request: unknown, response: ErrorResponse, next: (error?: unknown) => void): void {
  const failure = (error ?? {}) as BodyParserError;
  const answer = (status: number, code: string, message: string) => response.status(status).json({ error: { code, message, path: '/' } });
  switch (failure.type) {
    case 'entity.too.large':
      return answer(413, 'PAYLOAD_TOO_LARGE', 'the JSON body is larger than 2 MiB');
    case 'entity.parse.failed':
      // The parser's strict mode refuses top-level strings and numbers: well-formed, but not an object.
      return parsesToNonObject(failure.body)
        ? answer(422, 'SCHEMA_VIOLATION', 'the request body must be a JSON object')
        : answer(400, 'MALFORMED_JSON', 'the body is not well-formed JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return answer(415, 'INVALID_ENCODING', 'JSON bodies must be UTF-8');
    case 'request.aborted':
    case 'request.size.invalid':
      return answer(400, 'MALFORMED_JSON', 'the body ended before its declared length');
    default:
      return next(error);
  }
}
