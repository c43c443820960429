import type { DataSource, EntityManager } from 'typeorm';

/**
 * The key of the PostgreSQL advisory lock that serialises appenders: the ASCII bytes
 * "MRAAUDIT" read as a signed 64-bit integer. Any process appending to the same database
 * takes it, so several gateway instances produce one chain.
 */
export const AUDIT_CHAIN_LOCK_KEY = '5571587437869943124';

/**
 * Within one process on SQLite, TypeORM shares a single connection, so the database cannot
 * tell two appenders apart (two appends may even run concurrently inside one transaction).
 * A promise queue per DataSource serialises them; across processes SQLite's write lock does (and the
 * seq primary key turns any lost race into an error, never into a fork).
 */
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Run `body` inside a transaction while holding the chain lock, so that reading the head and
 * inserting after it cannot interleave with another appender.
 *
 * - With the caller's transaction (`manager` inside one): the exchange writes its outbox row,
 *   register change and audit entries atomically, and the lock is held until it commits.
 * - PostgreSQL: pg_advisory_xact_lock, released by COMMIT or ROLLBACK, i.e. after the new
 *   entries are visible, so the next appender reads the new head. The transaction must run
 *   at READ COMMITTED (the default) so the head read after the lock sees every earlier commit.
 * - SQLite, transaction of our own: the DataSource's transaction queue (libs/persistence)
 *   keeps concurrent transactions from interleaving on the one connection; the chain queue is
 *   taken inside the transaction, as for a caller's transaction. The whole transaction is retried when another process holds the write lock or committed under our
 *   read snapshot (SQLITE_BUSY*): nothing was written, so trying again is safe.
 */
export async function runWithChainLock<T>(
  dataSource: DataSource,
  manager: EntityManager | undefined,
  body: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const source = manager?.connection ?? dataSource;
  const postgres = source.options.type === 'postgres';
  if (manager?.queryRunner?.isTransactionActive) {
    if (postgres) {
      await advisoryLock(manager);
      return body(manager);
    }
    return serialised(source, () => body(manager));
  }
  if (postgres) {
    return source.transaction(async (transactional) => {
      await advisoryLock(transactional);
      return body(transactional);
    });
  }
  // The transaction queue (libs/persistence) is entered first and the chain queue second,
  // the same order as a caller that already holds a transaction: one lock order, no deadlock.
  for (let attempt = 1; ; attempt++) {
    try {
      return await source.transaction((transactional) => serialised(source, () => body(transactional)));
    } catch (error) {
      if (attempt >= 10 || !isSqliteBusy(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}

async function advisoryLock(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
}

function serialised<T>(source: DataSource, body: () => Promise<T>): Promise<T> {
  const previous = sqliteQueues.get(source) ?? Promise.resolve();
  const run = previous.then(body, body);
  sqliteQueues.set(
    source,
    run.then(
      () => undefined,
      () => undefined,
    ),
  );
  return run;
}

function isSqliteBusy(error: unknown): boolean {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = candidate?.driverError?.code ?? candidate?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
