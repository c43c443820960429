import { describe, expect, it } from '@jest/globals';
import { GroupedCommit } from './grouped-commit.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('GroupedCommit', () => {
  it('commits what arrives in the same turn together, and what arrives during a commit in the next one', async () => {
    const groups: string[][] = [];
    const firstCommit = deferred();
    const commits = new GroupedCommit<string, string>(async (items) => {
      groups.push([...items]);
      if (groups.length === 1) await firstCommit.promise;
      return items.map((item) => `${item} committed`);
    }, 10);
    const a = commits.submit('a');
    const b = commits.submit('b');
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const c = commits.submit('c');
    const d = commits.submit('d');
    firstCommit.resolve();
    expect(await Promise.all([a, b, c, d])).toEqual(['a committed', 'b committed', 'c committed', 'd committed']);
    expect(groups).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('answers an item only after the commit holding it finished', async () => {
    const commit = deferred();
    let committed = false;
    const commits = new GroupedCommit<string, string>(async (items) => {
      await commit.promise;
      committed = true;
      return [...items];
    }, 10);
    let answered = false;
    const a = commits.submit('a').then((value) => {
      answered = true;
      expect(committed).toBe(true);
      return value;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    commit.resolve();
    expect(await a).toBe('a');
  });

  it('never puts more than maxGroup items in one commit', async () => {
    const groups: number[][] = [];
    const first = deferred();
    const commits = new GroupedCommit<number, number>(async (items) => {
      groups.push([...items]);
      if (groups.length === 1) await first.promise;
      return [...items];
    }, 2);
    const all = [1, 2, 3, 4, 5].map((n) => commits.submit(n));
    first.resolve();
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5]);
    expect(groups).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('rejects only the items the commit decided against', async () => {
    const commits = new GroupedCommit<number, number>(async (items) => items.map((n) => (n % 2 ? new Error(`odd ${n}`) : n)), 10);
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((n) => commits.submit(n)));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual(['odd 1', 2, 'odd 3', 4]);
  });

  it('when a group commit throws, tries each item alone, so only the item that fails is rejected', async () => {
    const groups: string[][] = [];
    const first = deferred();
    const commits = new GroupedCommit<string, string>(async (items) => {
      groups.push([...items]);
      if (groups.length === 1) await first.promise;
      if (items.includes('bad')) throw new Error('constraint violated');
      return items.map((i) => i.toUpperCase());
    }, 10);
    const held = commits.submit('x');
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const outcomes = Promise.allSettled(['y', 'bad', 'z'].map((item) => commits.submit(item)));
    first.resolve();
    expect(await held).toBe('X');
    expect((await outcomes).map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual(['Y', 'constraint violated', 'Z']);
    expect(groups).toEqual([['x'], ['y', 'bad', 'z'], ['y'], ['bad'], ['z']]);
  });
});
