import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '@aeo/config';
import { GatewayError } from '@aeo/domain';
import { parseMraConfig } from '@aeo/registry';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

/**
 * The configuration the run's gateway reads (MRA_HOME): the repository's schemas and partner
 * profiles as they are, and an MRA configuration that names only the partner under test, so
 * the run's gateway sends to no one else. Its receipt SLA may be shortened for the run (the
 * schema's minimum is one minute) so the expired-receipt scenario finishes in a test run.
 */
export interface RunHome {
  readonly dir: string;
  readonly receiptSlaMinutes: number;
  readonly configuredSlaMinutes: number;
}

export function createRunHome(
  runDir: string,
  partner: string,
  receiptSlaMinutes: number | undefined,
): RunHome {
  const source = repoPath('config', 'mra', `${partner}.yaml`);
  if (!existsSync(source))
    throw new GatewayError(
      'INVALID_VALUE',
      `no MRA configuration for partner '${partner}' (config/mra/${partner}.yaml)`,
      '/--partner',
    );
  const dir = join(runDir, 'home');
  mkdirSync(join(dir, 'config', 'mra'), { recursive: true });
  for (const link of ['schemas', join('config', 'partners'), join('config', 'safe')]) {
    if (!existsSync(join(dir, link))) symlinkSync(repoPath(link), join(dir, link));
  }
  copyFileSync(repoPath('package.json'), join(dir, 'package.json'));
  const text = readFileSync(source, 'utf8');
  const configured = parseMraConfig(text, source).receiptSlaMinutes;
  const sla = receiptSlaMinutes ?? configured;
  const data = parseYaml(text) as Record<string, unknown>;
  data.receiptSlaMinutes = sla;
  const written = `# Test-run copy of config/mra/${partner}.yaml (receiptSlaMinutes ${sla}; configured ${configured}).\n${stringifyYaml(data)}`;
  parseMraConfig(written, `test-run copy of ${source}`);
  writeFileSync(join(dir, 'config', 'mra', `${partner}.yaml`), written);
  return { dir, receiptSlaMinutes: sla, configuredSlaMinutes: configured };
}
