/**
 * DATABASE_URL decides the database: `sqlite:<file>` (the embedded default, better-sqlite3),
 * `sqlite::memory:` for throwaway use, or `postgres://user@host:port/db` for production.
 */
export type DatabaseTarget =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string };

export const DEFAULT_DATABASE_URL = 'sqlite:./data/gateway.db';

export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file === '') throw new Error('DATABASE_URL: sqlite: needs a file path or :memory:');
    return { kind: 'sqlite', file };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
  throw new Error(`DATABASE_URL: expected sqlite:<file> or postgres://…, got '${url.replace(/:[^:@/]*@/, ':***@')}'`);
}
