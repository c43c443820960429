/**
 * Group commit: many callers, each with one item to make durable, share transactions.
 *
 * While one batch is being committed, newly submitted items wait; when it finishes, everything
 * that waited (up to `maxBatch` items) goes out as the next batch, in submission order. Each
 * caller's promise settles only when the batch holding its item has settled: resolved with
 * that item's result after the commit, or rejected with the batch's error — every caller of a
 * failed batch gets the error, and later batches are unaffected.
 *
 * Why: a transaction per item pays a commit (an fsync on SQLite; BEGIN, lock, head read,
 * INSERT, COMMIT round trips on PostgreSQL) per item, all serialised by the audit chain lock.
 * With the same lock and the same durability, the commit cost is paid once per batch.
 *
 * One batch is in flight at a time: the chain is serial anyway, and a second transaction
 * would only wait for the lock. Each batch starts with `setImmediate`, i.e. after the I/O
 * callbacks of the current event-loop turn (the requests that arrived together) have
 * submitted. A microtask would be too early: on SQLite the driver is synchronous, so a whole
 * transaction completes between two I/O callbacks and nothing would ever be grouped.
 */
export type BatchCommit<Item, Result> = (items: readonly Item[]) => Promise<readonly Result[]>;

interface Waiting<Item, Result> {
  readonly item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

export class GroupCommit<Item, Result> {
  private waiting: Array<Waiting<Item, Result>> = [];
  /** A batch is scheduled or being committed. */
  private busy = false;

  constructor(
    private readonly commit: BatchCommit<Item, Result>,
    private readonly maxBatch: number,
  ) {
    if (!Number.isSafeInteger(maxBatch) || maxBatch < 1)
      throw new RangeError('group commit: maxBatch must be an integer >= 1');
  }

  /** Resolves with this item's result once the batch holding it has committed. */
  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.busy) this.scheduleBatch();
    });
  }

  /** Items submitted and not yet settled in a batch (for metrics and tests). */
  get pending(): number {
    return this.waiting.length;
  }

  private scheduleBatch(): void {
    this.busy = true;
    setImmediate(() => void this.commitBatch());
  }

  private async commitBatch(): Promise<void> {
    const batch = this.waiting.splice(0, this.maxBatch);
    try {
      const results = await this.commit(batch.map((waiting) => waiting.item));
      if (results.length !== batch.length)
        throw new Error(`group commit: ${results.length} results for a batch of ${batch.length}`);
      batch.forEach((waiting, index) => waiting.resolve(results[index]));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
    if (this.waiting.length > 0) this.scheduleBatch();
    else this.busy = false;
  }
}
