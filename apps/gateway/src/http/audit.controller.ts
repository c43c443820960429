import { Controller, Get, Inject, NotFoundException, Param, ParseIntPipe, Query } from '@nestjs/common';
import { getAuditEntry, parseAuditQuery, searchAudit } from '@aeo/audit';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { AUDIT_QUERY, AUDIT_SEQ_PARAMS, ERROR_REF, RESPONSES, ref } from './api-schemas.js';
import { ApiInput } from './input-validation.js';
import { Roles } from '../auth/roles.guard.js';
import { DATA_SOURCE } from '../tokens.js';

/** Search and read the audit log (role: auditor). */
@ApiTags('Audit')
@Controller('v1/audit')
export class AuditController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  @Get()
  @Roles('auditor')
  @ApiOperation({ summary: 'Search the audit log', description: 'Filter by partner, AEO id, message id, correlation id, type, outcome, direction and time; pages by sequence number (cursor).' })
  @ApiInput({ query: AUDIT_QUERY })
  @ApiOkResponse({ description: 'One page of entries', schema: RESPONSES.auditPage })
  search(@Query() query: Record<string, string | undefined>) {
    return searchAudit(this.dataSource, parseAuditQuery(query));
  }

  @Get(':seq')
  @Roles('auditor')
  @ApiOperation({ summary: 'One audit entry by sequence number' })
  @ApiInput({ params: AUDIT_SEQ_PARAMS })
  @ApiOkResponse({ description: 'The entry with its hash-chain links', schema: ref('AuditEntry') })
  @ApiNotFoundResponse({ description: 'No such entry (NOT_FOUND)', schema: ERROR_REF })
  async entry(@Param('seq', ParseIntPipe) seq: number) {
    const entry = await getAuditEntry(this.dataSource, seq);
    if (!entry) throw new NotFoundException({ error: { code: 'NOT_FOUND', message: `no audit entry ${seq}` } });
    return entry;
  }
}
