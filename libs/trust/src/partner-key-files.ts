import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { GatewayError } from '@aeo/domain';
import { repoPath } from '@aeo/config';
import { listPartnerCodes, loadPartnerProfile, partnerProfilePath } from '@aeo/partners';
import { jwkThumbprint } from './jwk-keys.js';
import { PartnerKeyRegistry } from './partner-key-registry.js';
import { parsePartnerJwks, type JwksDocument } from './partner-jwks.js';

/**
 * Partners' JWKS files under config/. Each partner profile names its file
 * (security.jwksFile, relative to the repository root); a partner without a profile yet uses
 * config/partners/keys/<partner>.jwks.json.
 */
export function partnerJwksPath(partner: string): string {
  const file = existsSync(partnerProfilePath(partner))
    ? loadPartnerProfile(partner).security.jwksFile
    : `config/partners/keys/${partner}.jwks.json`;
  return isAbsolute(file) ? file : repoPath(file);
}

export function readJwksFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new GatewayError('PARTNER_KEYS_INVALID', `cannot read JWKS file ${path}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError('PARTNER_KEYS_INVALID', `${path} is not JSON`);
  }
}

/**
 * The registry of every configured partner's keys. `overrides` maps a partner code to
 * another JWKS file (e.g. `mra verify --jwks FILE`).
 */
export async function loadPartnerKeyRegistry(
  options: { partners?: readonly string[]; overrides?: Readonly<Record<string, string>> } = {},
): Promise<PartnerKeyRegistry> {
  const partners = new Set([
    ...(options.partners ?? listPartnerCodes()),
    ...Object.keys(options.overrides ?? {}),
  ]);
  const documents: Record<string, unknown> = {};
  for (const partner of partners) {
    const path = options.overrides?.[partner] ?? partnerJwksPath(partner);
    if (options.overrides?.[partner] !== undefined || existsSync(path))
      documents[partner] = readJwksFile(path);
  }
  return PartnerKeyRegistry.fromJwks(documents);
}

export interface JwksImportSummary {
  readonly partner: string;
  readonly file: string;
  readonly added: string[];
  readonly updated: string[];
  readonly unchanged: string[];
  /** Keys we had that the imported document no longer lists; kept so older messages still verify. */
  readonly kept: string[];
}

/**
 * Merge a partner's published JWKS into our copy. New kids are added; a kid we know with the
 * same key material takes the imported metadata (validity dates); a known kid with different
 * key material is refused (a kid must never be reused); keys the partner no longer publishes
 * are kept, so messages issued before their retirement still verify.
 */
export async function mergePartnerJwks(
  existing: unknown,
  incoming: unknown,
  partner: string,
): Promise<{ document: JwksDocument; summary: Omit<JwksImportSummary, 'file'> }> {
  const current = existing === undefined ? [] : parsePartnerJwks(existing, partner);
  const imported = parsePartnerJwks(incoming, partner);
  const summary = {
    partner,
    added: [] as string[],
    updated: [] as string[],
    unchanged: [] as string[],
    kept: [] as string[],
  };
  const merged = new Map(current.map((k) => [k.kid, k.jwk]));
  for (const key of imported) {
    const known = merged.get(key.kid);
    if (!known) {
      summary.added.push(key.kid);
    } else if ((await jwkThumbprint(known)) !== (await jwkThumbprint(key.jwk))) {
      throw new GatewayError(
        'PARTNER_KEYS_INVALID',
        `kid '${key.kid}' of ${partner} already names a different key; a kid must never be reused`,
        `/keys/${key.kid}`,
      );
    } else if (JSON.stringify(known) === JSON.stringify(key.jwk)) {
      summary.unchanged.push(key.kid);
    } else {
      summary.updated.push(key.kid);
    }
    merged.set(key.kid, key.jwk);
  }
  summary.kept.push(...current.map((k) => k.kid).filter((kid) => !imported.some((k) => k.kid === kid)));
  return { document: { keys: [...merged.values()] }, summary };
}

/** `mra keys import --partner <p> FILE`: validate, merge and write the partner's JWKS file. */
export async function importPartnerJwks(
  partner: string,
  incoming: unknown,
  path: string = partnerJwksPath(partner),
): Promise<JwksImportSummary> {
  const existing = existsSync(path) ? readJwksFile(path) : undefined;
  const { document, summary } = await mergePartnerJwks(existing, incoming, partner);
  await PartnerKeyRegistry.fromJwks({ [partner]: document });
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(document, null, 2)}\n`);
  renameSync(temporary, path);
  return { ...summary, file: path };
}
