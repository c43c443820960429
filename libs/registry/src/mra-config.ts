import { readFileSync, readdirSync } from 'node:fs';
import { repoPath } from '@aeo/config';
import type { AeoRecord, AuthorisationType, Environment } from '@aeo/domain';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';

export type MraState = 'negotiating' | 'pilot' | 'in-force' | 'suspended';
export type Benefit =
  | 'LOWER_RISK_SCORE'
  | 'FEWER_DOCUMENT_CHECKS'
  | 'FEWER_INSPECTIONS'
  | 'PRIORITY_CLEARANCE'
  | 'BUSINESS_CONTINUITY_PRIORITY'
  | 'LIAISON_OFFICER';

/** One partner's arrangement, from config/mra/<partner>.yaml (schema: schemas/v1/config/mra-config.schema.json). */
export interface MraConfig {
  readonly partner: string;
  readonly version: number;
  readonly legalBasis?: string;
  readonly state: MraState;
  readonly inForceFrom?: string;
  readonly inForceUntil?: string;
  readonly outbound: { readonly sharedAuthorisationTypes: readonly AuthorisationType[] };
  readonly inbound: {
    readonly recognisedProgrammes?: readonly string[];
    readonly recognisedAuthorisationTypes: readonly AuthorisationType[];
    readonly benefits: readonly Benefit[];
  };
  readonly snapshot: { readonly cron: string; readonly chunkSize: number; readonly missingRecordRule: 'mark-expired' | 'keep-and-report' };
  readonly freshnessSlaHours: number;
  readonly receiptSlaMinutes: number;
  readonly consent: { readonly required: boolean };
  readonly lookups: { readonly supported: boolean; readonly timeoutMs: number };
}

export class MraConfigError extends Error {
  override readonly name = 'MraConfigError';
}

let validator: ReturnType<Ajv2020['compile']> | undefined;

export function parseMraConfig(text: string, source: string): MraConfig {
  validator ??= new Ajv2020({ allErrors: true, strict: true }).compile(
    JSON.parse(readFileSync(repoPath('schemas', 'v1', 'config', 'mra-config.schema.json'), 'utf8')) as object,
  );
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new MraConfigError(`${source}: not valid YAML: ${(error as Error).message}`);
  }
  if (!validator(data)) {
    throw new MraConfigError(`${source}: ${(validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ')}`);
  }
  const config = data as MraConfig;
  if (config.inForceFrom && config.inForceUntil && config.inForceUntil < config.inForceFrom) {
    throw new MraConfigError(`${source}: inForceUntil is before inForceFrom`);
  }
  return config;
}

export function loadMraConfigs(dir = repoPath('config', 'mra')): Map<string, MraConfig> {
  const configs = new Map<string, MraConfig>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const config = parseMraConfig(readFileSync(`${dir}/${file}`, 'utf8'), `${dir}/${file}`);
    if (`${config.partner}.yaml` !== file) throw new MraConfigError(`${dir}/${file}: partner is '${config.partner}'`);
    configs.set(config.partner, config);
  }
  return configs;
}

/** Whether the arrangement is operative on a calendar date (YYYY-MM-DD): pilot or in force, within its dates. */
export function mraOperative(config: MraConfig, date: string): boolean {
  if (config.state !== 'pilot' && config.state !== 'in-force') return false;
  if (config.inForceFrom && date < config.inForceFrom) return false;
  if (config.inForceUntil && date > config.inForceUntil) return false;
  return true;
}

/**
 * Which of our records a partner may receive: the MRA must be operative (production) or at
 * least not suspended (pilot runs rehearse during negotiation); the authorisation type must
 * be in the partner's recognised scope; with consent required, only consenting holders are
 * shared — and the withdrawal itself, so the partner removes the record.
 */
export function mraShares(config: MraConfig, record: AeoRecord, environment: Environment, today: string): boolean {
  const open = environment === 'production' ? mraOperative(config, today) : config.state !== 'suspended';
  if (!open) return false;
  if (!config.outbound.sharedAuthorisationTypes.includes(record.authorisationType)) return false;
  if (config.consent.required && !record.consent.granted && record.status !== 'CONSENT_WITHDRAWN') return false;
  return true;
}

/** Partners a change goes to in this environment (before the per-record scope check). */
export function mraRecipients(configs: ReadonlyMap<string, MraConfig>, environment: Environment, today: string): string[] {
  return [...configs.values()]
    .filter((c) => (environment === 'production' ? mraOperative(c, today) : c.state !== 'suspended'))
    .map((c) => c.partner);
}
