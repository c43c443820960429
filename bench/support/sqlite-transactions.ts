/**
 * Work-around for the benchmarks, not product code: on SQLite, TypeORM's better-sqlite3
 * driver has ONE query runner for the whole DataSource, so two `dataSource.transaction(...)`
 * calls that overlap in time (the outbox relay's claim and a register change, or two
 * partners' inbound batches) run on the same connection and interleave BEGIN / SAVEPOINT /
 * COMMIT. Under load that fails with "cannot start a transaction within a transaction" and
 * "Transaction is not started yet" (seen at once in pipeline-bench without this shim).
 *
 * This queues the DataSource's top-level transactions one after another, which is what the
 * product needs to do itself (see bench/README.md, "Product findings"). A transaction
 * started from inside a queued one (AsyncLocalStorage tells) runs directly, as TypeORM would
 * nest it. PostgreSQL has a pool and needs none of this.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditLog } from '@aeo/audit';
import type { DataSource } from 'typeorm';

type TransactionCall = (...args: unknown[]) => Promise<unknown>;

const inside = new AsyncLocalStorage<true>();
const queued = new WeakSet<DataSource>();

export function serialiseSqliteTransactions(dataSource: DataSource): void {
  if (dataSource.options.type !== 'better-sqlite3' || queued.has(dataSource)) return;
  queued.add(dataSource);
  const manager = dataSource.manager as unknown as { transaction: TransactionCall };
  const original: TransactionCall = manager.transaction.bind(manager);
  let tail: Promise<unknown> = Promise.resolve();
  manager.transaction = (...args: unknown[]) => {
    if (inside.getStore()) return original(...args);
    const run = tail.then(
      () => inside.run(true, () => original(...args)),
      () => inside.run(true, () => original(...args)),
    );
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * The audit log takes its own in-process chain lock and THEN opens a transaction when it is
 * called outside one (checkpoints, recognition decisions), while everything else holds a
 * transaction and then takes the chain lock. With the queue above that order inversion
 * could deadlock, so on SQLite these calls first enter a queued transaction: one lock
 * order everywhere.
 */
export function serialiseAuditLog(audit: AuditLog, dataSource: DataSource): void {
  if (dataSource.options.type !== 'better-sqlite3') return;
  const append = audit.append.bind(audit);
  const checkpoint = audit.checkpoint.bind(audit);
  audit.append = (inputs, manager) =>
    manager
      ? append(inputs, manager)
      : dataSource.transaction((transactional) => append(inputs, transactional));
  audit.checkpoint = (signer, manager) =>
    manager
      ? checkpoint(signer, manager)
      : dataSource.transaction((transactional) => checkpoint(signer, transactional));
}
