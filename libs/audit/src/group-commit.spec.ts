import { describe, expect, it } from '@jest/globals';
import { GroupCommit } from './group-commit.js';

/** A commit the test finishes by hand, recording every batch it was given. */
function controlledCommit() {
  const batches: number[][] = [];
  const finishers: Array<{ ok(): void; fail(error: Error): void }> = [];
  const commit = (items: readonly number[]) => {
    batches.push([...items]);
    return new Promise<number[]>((resolve, reject) => {
      finishers.push({ ok: () => resolve(items.map((item) => item * 10)), fail: reject });
    });
  };
  return { batches, finishers, commit };
}

/** Two event-loop turns: a batch finished in this turn schedules the next one for the next. */
const settle = async () => {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
};

describe('GroupCommit', () => {
  it('sends what arrives in one tick as one batch, and what arrives meanwhile as the next', async () => {
    const { batches, finishers, commit } = controlledCommit();
    const group = new GroupCommit(commit, 100);
    const first = [1, 2, 3].map((item) => group.submit(item));
    await settle();
    expect(batches).toEqual([[1, 2, 3]]);
    const second = [4, 5].map((item) => group.submit(item));
    await settle();
    expect(batches).toHaveLength(1); // 4 and 5 wait for the batch in flight
    finishers[0].ok();
    expect(await Promise.all(first)).toEqual([10, 20, 30]);
    await settle();
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    finishers[1].ok();
    expect(await Promise.all(second)).toEqual([40, 50]);
  });

  it('resolves a caller only after its batch committed', async () => {
    const { finishers, commit } = controlledCommit();
    const group = new GroupCommit(commit, 10);
    let resolved = false;
    const result = group.submit(7).then((value) => {
      resolved = true;
      return value;
    });
    await settle();
    expect(resolved).toBe(false);
    finishers[0].ok();
    expect(await result).toBe(70);
    expect(resolved).toBe(true);
  });

  it('never puts more than maxBatch items in one batch, and keeps submission order', async () => {
    const { batches, finishers, commit } = controlledCommit();
    const group = new GroupCommit(commit, 4);
    const results = Array.from({ length: 11 }, (_, i) => group.submit(i));
    for (let round = 0; round < 3; round++) {
      await settle();
      finishers[round].ok();
    }
    expect(await Promise.all(results)).toEqual(Array.from({ length: 11 }, (_, i) => i * 10));
    expect(batches).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9, 10],
    ]);
    expect(group.pending).toBe(0);
  });

  it('rejects every caller of a failed batch with its error, and the next batch still commits', async () => {
    const { batches, finishers, commit } = controlledCommit();
    const group = new GroupCommit(commit, 10);
    const failed = [1, 2, 3].map((item) => group.submit(item));
    await settle();
    const later = group.submit(4);
    const boom = new Error('database went away');
    finishers[0].fail(boom);
    const outcomes = await Promise.allSettled(failed);
    expect(outcomes).toEqual([1, 2, 3].map(() => ({ status: 'rejected', reason: boom })));
    await settle();
    finishers[1].ok();
    expect(await later).toBe(40);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('rejects a batch whose commit returns the wrong number of results', async () => {
    const group = new GroupCommit(async (items: readonly number[]) => items.slice(1), 10);
    await expect(Promise.all([group.submit(1), group.submit(2)])).rejects.toThrow(
      /1 results for a batch of 2/,
    );
  });

  it('refuses a batch bound that is not a positive integer', () => {
    expect(() => new GroupCommit(async () => [], 0)).toThrow(RangeError);
    expect(() => new GroupCommit(async () => [], 1.5)).toThrow(RangeError);
  });
});
