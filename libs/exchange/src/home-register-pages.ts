import type { AeoRecord, Environment } from '@aeo/domain';
import { HomeAeoEntity, keyOf } from '@aeo/registry';
import type { EntityManager } from 'typeorm';

/** A position in the home register's (programme, aeoIdNormalized) order. */
export interface RegisterKey {
  readonly programme: string;
  readonly aeoIdNormalized: string;
}

/**
 * The home register read a page at a time, in the order of its primary key (environment,
 * programme, normalised AEO id), so a full snapshot of 100,000 records holds one page of
 * parsed records at a time instead of all of them. Keyset paging (`key > last key`) costs
 * the same for the last page as for the first, and a record changed meanwhile is neither
 * skipped nor read twice. The row comparisons and the ORDER BY name the whole primary key,
 * so both databases walk the index from the key instead of sorting or filtering. Plain SQL:
 * only the record JSON is needed, and TypeORM's raw-result handling cost more than the
 * query itself here.
 */
export async function* homeRegisterPages(
  manager: EntityManager,
  environment: Environment,
  pageSize: number,
  range: { from?: RegisterKey; upTo?: RegisterKey } = {},
): AsyncGenerator<AeoRecord[]> {
  const postgres = manager.connection.options.type === 'postgres';
  const table = manager.connection.getMetadata(HomeAeoEntity).tableName;
  const key = '("environment", "programme", "aeo_id_normalized")';
  let after: RegisterKey | undefined;
  for (;;) {
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return postgres ? `$${params.length}` : '?';
    };
    const where = [`"environment" = ${p(environment)}`];
    const start = after ?? range.from;
    if (start) where.push(`${key} ${after ? '>' : '>='} (${p(environment)}, ${p(start.programme)}, ${p(start.aeoIdNormalized)})`);
    if (range.upTo) where.push(`${key} <= (${p(environment)}, ${p(range.upTo.programme)}, ${p(range.upTo.aeoIdNormalized)})`);
    const rows = await manager.query<{ record_json: string; programme: string; aeo_id_normalized: string }[]>(
      `SELECT "record_json", "programme", "aeo_id_normalized" FROM "${table}" WHERE ${where.join(' AND ')} ` +
        `ORDER BY "environment", "programme", "aeo_id_normalized" LIMIT ${p(pageSize)}`,
      params,
    );
    if (rows.length === 0) return;
    yield rows.map((row) => JSON.parse(row.record_json) as AeoRecord);
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    after = { programme: last.programme, aeoIdNormalized: last.aeo_id_normalized };
  }
}

/**
 * The stored version of each of these home records (absent: never stored), keyed by
 * keyOf(programme, aeoIdNormalized). Only key and version are read: a change needs nothing
 * else of the stored row, and hydrating whole rows was most of the read's time.
 */
export async function homeRecordVersions(
  manager: EntityManager,
  environment: Environment,
  records: readonly Pick<AeoRecord, 'programme' | 'aeoIdNormalized'>[],
): Promise<Map<string, number>> {
  const postgres = manager.connection.options.type === 'postgres';
  const table = manager.connection.getMetadata(HomeAeoEntity).tableName;
  const byProgramme = new Map<string, Set<string>>();
  for (const r of records) byProgramme.set(r.programme, (byProgramme.get(r.programme) ?? new Set()).add(r.aeoIdNormalized));
  const versions = new Map<string, number>();
  for (const [programme, idSet] of byProgramme) {
    const ids = [...idSet];
    for (let i = 0; i < ids.length; i += 1_000) {
      const slice = ids.slice(i, i + 1_000);
      const list = slice.map((_, k) => (postgres ? `$${k + 3}` : '?')).join(', ');
      const rows = await manager.query<{ aeo_id_normalized: string; record_version: number | string }[]>(
        `SELECT "aeo_id_normalized", "record_version" FROM "${table}" WHERE "environment" = ${postgres ? '$1' : '?'} AND "programme" = ${postgres ? '$2' : '?'} AND "aeo_id_normalized" IN (${list})`,
        [environment, programme, ...slice],
      );
      for (const row of rows) versions.set(keyOf(programme, row.aeo_id_normalized), Number(row.record_version));
    }
  }
  return versions;
}
