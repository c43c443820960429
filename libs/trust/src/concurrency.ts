/**
 * Run `work` over `items` with at most `limit` in flight, results in input order. jose's
 * WebCrypto calls run on the libuv thread pool: one at a time wastes about half the CPU in
 * thread hops, while ~32 in flight reach 2-3x the sequential rate (bench/trust-bench.ts).
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!(limit >= 1)) throw new RangeError('limit must be at least 1');
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
