import { readFileSync, readdirSync } from 'node:fs';
import { repoPath } from '@aeo/config';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { codeListsOf } from '../common/code-lists.js';
import type { PartnerProfile } from './partner-profile.js';

/** A profile that fails validation stops start-up with this, naming the file and the setting. */
export class ProfileError extends Error {
  override readonly name = 'ProfileError';
}

let validateProfile: ReturnType<Ajv2020['compile']> | undefined;

function profileValidator() {
  if (validateProfile) return validateProfile;
  const schema = JSON.parse(readFileSync(repoPath('schemas', 'v1', 'config', 'partner-profile.schema.json'), 'utf8')) as object;
  validateProfile = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
  return validateProfile;
}

/** Parse and validate one profile document; `source` names it in errors. */
export function parsePartnerProfile(text: string, source: string): PartnerProfile {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new ProfileError(`${source}: not valid YAML: ${(error as Error).message}`);
  }
  const validate = profileValidator();
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
    throw new ProfileError(`${source}: ${problems.join('; ')}`);
  }
  const profile = data as PartnerProfile;
  try {
    codeListsOf(profile);
  } catch (error) {
    throw new ProfileError(`${source}: ${(error as Error).message}`);
  }
  return profile;
}

export function partnerProfilePath(partner: string): string {
  return repoPath('config', 'partners', `${partner}.yaml`);
}

export function loadPartnerProfile(partner: string): PartnerProfile {
  if (!/^[a-z][a-z0-9-]{1,15}$/.test(partner)) throw new ProfileError(`'${partner}' is not a partner code`);
  const file = partnerProfilePath(partner);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ProfileError(`no profile for partner '${partner}' (expected ${file})`);
  }
  const profile = parsePartnerProfile(text, file);
  if (profile.partner !== partner) throw new ProfileError(`${file}: partner is '${profile.partner}', expected '${partner}'`);
  return profile;
}

export function listPartnerCodes(): string[] {
  return readdirSync(repoPath('config', 'partners'))
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => file.slice(0, -'.yaml'.length))
    .sort();
}
