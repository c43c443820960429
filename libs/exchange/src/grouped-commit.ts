/**
 * Group commit: work items that arrive while a transaction is committing wait, and go
 * together in the next one. On SQLite every COMMIT is an fsync on the one connection, and on
 * PostgreSQL a round trip plus the audit chain's lock, so eight changes in flight cost one
 * commit instead of eight. An item is answered only after the transaction holding it
 * committed. Before taking a group the flush yields one turn of the event loop
 * (setImmediate): callers whose work became runnable meanwhile — on SQLite their reads waited
 * for the previous transaction — get to submit first, else every group would hold one item.
 *
 * `commitGroup` decides per item: it returns, for each, either a value (written, committed
 * with the group) or an Error (not written: rejected on its own, e.g. a stale version). If
 * it throws, nothing of the group was written; a group of one then fails with that error,
 * and a larger group is split and each item tried alone, so one item's failure is never
 * blamed on the others.
 */
export class GroupedCommit<T, R> {
  private pending: { item: T; resolve: (value: R) => void; reject: (error: unknown) => void }[] = [];
  private flushing = false;

  constructor(
    private readonly commitGroup: (items: readonly T[]) => Promise<readonly (R | Error)[]>,
    private readonly maxGroup: number,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        const group = this.pending.splice(0, this.maxGroup);
        await this.commit(group);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async commit(group: typeof this.pending): Promise<void> {
    let outcomes: readonly (R | Error)[];
    try {
      outcomes = await this.commitGroup(group.map((g) => g.item));
    } catch (error) {
      if (group.length === 1) {
        group[0].reject(error);
        return;
      }
      for (const one of group) await this.commit([one]);
      return;
    }
    group.forEach((g, i) => {
      const outcome = outcomes[i];
      if (outcome instanceof Error) g.reject(outcome);
      else g.resolve(outcome);
    });
  }
}
