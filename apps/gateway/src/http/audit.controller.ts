import { Controller, Get, Inject, NotFoundException, Param, ParseIntPipe, Query } from '@nestjs/common';
import { getAuditEntry, parseAuditQuery, searchAudit } from '@aeo/audit';
import type { DataSource } from 'typeorm';
import { Roles } from '../auth/roles.guard.js';
import { DATA_SOURCE } from '../tokens.js';

/** Search and read the audit log (role: auditor). */
@Controller('v1/audit')
export class AuditController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  @Get()
  @Roles('auditor')
  search(@Query() query: Record<string, string | undefined>) {
    return searchAudit(this.dataSource, parseAuditQuery(query));
  }

  @Get(':seq')
  @Roles('auditor')
  async entry(@Param('seq', ParseIntPipe) seq: number) {
    const entry = await getAuditEntry(this.dataSource, seq);
    if (!entry) throw new NotFoundException({ error: { code: 'NOT_FOUND', message: `no audit entry ${seq}` } });
    return entry;
  }
}
