import { Controller, Get, Inject, NotFoundException, Param, Req, Res } from '@nestjs/common';
import type { GatewaySettings } from '@aeo/config';
import { GatewayError } from '@aeo/domain';
import type { ExchangeRuntime } from '@aeo/runtime';
import { Roles, type AuthenticatedRequest } from '../auth/roles.guard.js';
import { EXCHANGE_RUNTIME, GATEWAY_SETTINGS } from '../tokens.js';
import { TestRunReportsDirectory, type ReportFile } from './testrun-reports.js';

interface FileResponse {
  setHeader(name: string, value: string): void;
  send(body: Buffer): void;
}

/**
 * The reports of MRA negotiation test runs (operator, auditor): list them, fetch one. An
 * HTML report is self-contained (inline styles), so it is sent as a download under a
 * sandboxing policy rather than rendered inside the console's origin.
 */
@Controller('v1/testrun-reports')
export class TestRunReportsController {
  private readonly reports: TestRunReportsDirectory;

  constructor(
    @Inject(GATEWAY_SETTINGS) settings: GatewaySettings,
    @Inject(EXCHANGE_RUNTIME) private readonly exchange: ExchangeRuntime,
  ) {
    this.reports = new TestRunReportsDirectory(settings.testrunReportsDir);
  }

  @Get()
  @Roles('operator', 'auditor')
  list(): { reports: ReportFile[] } {
    return { reports: this.reports.list() };
  }

  @Get(':name')
  @Roles('operator', 'auditor')
  async one(
    @Param('name') name: string,
    @Req() request: AuthenticatedRequest,
    @Res() response: FileResponse,
  ): Promise<void> {
    const found = this.reports.read(name);
    if (found.kind === 'invalid-name') {
      // Not a report name: a mistake or a path-traversal attempt; either way the auditor should see it.
      await this.exchange.audit.appendOne({
        direction: 'INTERNAL',
        type: 'ACCESS_DENIED',
        outcome: 'INVALID_VALUE',
        actor: request.principal!.name,
        details: { method: request.method, path: '/v1/testrun-reports/{name}', name: name.slice(0, 200) },
      });
      throw new GatewayError(
        'INVALID_VALUE',
        'name must be a report file name (letters, digits, . _ -, ending .html or .json)',
        '/name',
      );
    }
    if (found.kind === 'missing')
      throw new NotFoundException({
        error: { code: 'NOT_FOUND', message: 'no such test-run report', path: '/name' },
      });
    if (found.file.format === 'html') {
      response.setHeader('Content-Type', 'text/html; charset=utf-8');
      response.setHeader('Content-Disposition', `attachment; filename="${found.file.name}"`);
      response.setHeader(
        'Content-Security-Policy',
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      );
    } else {
      response.setHeader('Content-Type', 'application/json; charset=utf-8');
    }
    response.send(found.content);
  }
}
