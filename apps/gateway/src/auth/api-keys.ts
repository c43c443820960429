import { createHash, timingSafeEqual } from 'node:crypto';
import { SettingError } from '@aeo/config';

export const ROLES = ['operator', 'auditor', 'risk-system', 'security-officer'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiPrincipal {
  readonly name: string;
  readonly role: Role;
}

interface ApiKeyEntry extends ApiPrincipal {
  readonly digest: Buffer;
}

/**
 * Bearer API keys from the environment: MRA_API_KEYS="name:role:token,name:role:token".
 * Only SHA-256 digests are kept in memory, compared in constant time; the tokens themselves
 * are never logged. A name identifies the caller in audit entries.
 */
export class ApiKeys {
  private constructor(private readonly entries: readonly ApiKeyEntry[]) {}

  static fromEnv(env: NodeJS.ProcessEnv): ApiKeys {
    const raw = env.MRA_API_KEYS ?? '';
    const entries = raw
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
      .map((item) => {
        const [name, role, ...rest] = item.split(':');
        const token = rest.join(':');
        if (!name || !(ROLES as readonly string[]).includes(role ?? '') || token.length < 16) {
          throw new SettingError('MRA_API_KEYS', `name:role:token entries with a role in ${ROLES.join('|')} and a token of 16+ characters`, item.replace(/:[^:]*$/, ':***'), false);
        }
        return { name, role: role as Role, digest: digest(token) };
      });
    return new ApiKeys(entries);
  }

  authenticate(token: string): ApiPrincipal | undefined {
    const presented = digest(token);
    const match = this.entries.find((entry) => timingSafeEqual(entry.digest, presented));
    return match ? { name: match.name, role: match.role } : undefined;
  }

  get size(): number {
    return this.entries.length;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
