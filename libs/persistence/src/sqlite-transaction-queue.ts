import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource } from 'typeorm';

/**
 * TypeORM's better-sqlite3 driver gives a DataSource exactly ONE connection (one query
 * runner). Two `dataSource.transaction(...)` calls that overlap in time — the outbox relay's
 * claim and a register change, or two partners' inbound batches — would therefore run on the
 * same connection and interleave their BEGIN / SAVEPOINT / COMMIT: under load that fails with
 * "cannot start a transaction within a transaction", or worse, commits one caller's writes
 * inside another caller's transaction.
 *
 * SQLite has a single writer anyway, so nothing is lost by running the top-level transactions
 * of one DataSource one after another. This queue does that for every caller (the
 * `dataSource.transaction` and `dataSource.manager.transaction` entry points both land here).
 * A transaction opened from inside a queued one — AsyncLocalStorage tells — runs directly and
 * TypeORM nests it as a savepoint, exactly as before.
 *
 * Cross-process contention (two gateways on one file) is SQLite's write lock and busy_timeout;
 * this queue is about one process. PostgreSQL has a connection pool and is left alone.
 */
type TransactionCall = (...args: unknown[]) => Promise<unknown>;

const insideQueuedTransaction = new AsyncLocalStorage<DataSource>();
const installed = new WeakSet<DataSource>();

export function queueSqliteTransactions(dataSource: DataSource): void {
  if (dataSource.options.type !== 'better-sqlite3' || installed.has(dataSource)) return;
  installed.add(dataSource);
  const manager = dataSource.manager as unknown as { transaction: TransactionCall };
  const startTransaction: TransactionCall = manager.transaction.bind(manager);
  let tail: Promise<unknown> = Promise.resolve();
  manager.transaction = (...args: unknown[]) => {
    if (insideQueuedTransaction.getStore() === dataSource) return startTransaction(...args);
    const run = () => insideQueuedTransaction.run(dataSource, () => startTransaction(...args));
    const result = tail.then(run, run);
    tail = result.catch(() => undefined);
    return result;
  };
}

/** True while the caller runs inside one of `dataSource`'s queued transactions. */
export function isInsideQueuedTransaction(dataSource: DataSource): boolean {
  return insideQueuedTransaction.getStore() === dataSource;
}
