/**
 * Headers on every response. The console renders API data, so API data must never be
 * cached by a browser or a proxy (no-store), nor sniffed into another type (nosniff); the
 * console's own pages get the strict content-security policy of console.controller.ts.
 * Handlers that may be cached (the JWKS) set their own Cache-Control, which wins.
 */
interface HeaderTarget {
  setHeader(name: string, value: string): void;
}

export function securityHeaders(_request: unknown, response: HeaderTarget, next: () => void): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('Referrer-Policy', 'no-referrer');
  next();
}
