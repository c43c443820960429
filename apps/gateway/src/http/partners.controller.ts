import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { loadMraConfigs, type MraConfig } from '@aeo/registry';
import type { DataSource } from 'typeorm';
import { Roles } from '../auth/roles.guard.js';
import { DATA_SOURCE } from '../tokens.js';
import { partnerOverviews, type PartnerOverview } from './partner-overview.js';

/** Each MRA partner: the arrangement and its traffic at a glance (operator, auditor). */
@Controller('v1/partners')
export class PartnersController {
  // The same files the exchange runtime loaded at start-up (config/mra), read once.
  private readonly configs: ReadonlyMap<string, MraConfig> = loadMraConfigs();

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  @Get()
  @Roles('operator', 'auditor')
  async list(): Promise<{ partners: PartnerOverview[] }> {
    return { partners: await partnerOverviews(this.dataSource, [...this.configs.values()], Date.now()) };
  }

  @Get(':partner')
  @Roles('operator', 'auditor')
  async one(@Param('partner') partner: string): Promise<PartnerOverview> {
    const config = this.configs.get(partner);
    if (!config)
      throw new NotFoundException({
        error: { code: 'NOT_FOUND', message: 'no MRA partner with that code', path: '/partner' },
      });
    const [overview] = await partnerOverviews(this.dataSource, [config], Date.now());
    return overview;
  }
}
