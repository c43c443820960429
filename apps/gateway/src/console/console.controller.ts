import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { Public } from '../auth/roles.guard.js';
import { loadConsoleAssets, type ConsoleAsset } from './console-assets.js';

/**
 * Only files from this origin; no inline script or style, no eval, no framing, no plugins,
 * forms and base URLs locked. The console's scripts reach the API with fetch (connect-src).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface AssetResponse {
  setHeader(name: string, value: string): void;
  send(body: Buffer): void;
}

/**
 * The web console's static files (public: they hold no data — every datum comes from the
 * /v1 API with the user's own key). Served from memory with a strict policy.
 */
@Controller('console')
export class ConsoleController {
  private readonly assets = loadConsoleAssets();

  @Get()
  @Public()
  index(@Res() response: AssetResponse): void {
    this.send(response, this.assets.get('index.html'));
  }

  @Get(':file')
  @Public()
  file(@Param('file') file: string, @Res() response: AssetResponse): void {
    this.send(response, this.assets.get(file));
  }

  private send(response: AssetResponse, asset: ConsoleAsset | undefined): void {
    if (!asset)
      throw new NotFoundException({ error: { code: 'NOT_FOUND', message: 'no such console file' } });
    response.setHeader('Content-Type', asset.contentType);
    response.setHeader('Content-Security-Policy', CONSOLE_CSP);
    response.setHeader('X-Frame-Options', 'DENY');
    response.setHeader('Cache-Control', 'no-cache');
    response.send(asset.body);
  }
}
