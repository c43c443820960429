/** How the chaos suite waits: done when the probe says so, at once on a crash, early on a stall, through failing probes. */
import { describe, expect, it } from '@jest/globals';
import { waitFor } from './waiting.js';

const alive = () => undefined;

describe('waitFor', () => {
  it('returns the value once the probe is done, looking again after a probe that failed', async () => {
    let calls = 0;
    const value = await waitFor(
      'three looks',
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('connection terminated');
        return calls === 3 ? { done: true, value: 'ready' } : { done: false, seen: calls };
      },
      { timeoutMs: 10_000, intervalMs: 1, abortIf: alive },
    );
    expect({ value, calls }).toEqual({ value: 'ready', calls: 3 });
  });

  it('gives up as soon as abortIf throws (the gateway crashed)', async () => {
    let calls = 0;
    const crashed = () => {
      if (calls >= 2) throw new Error('the gateway exited by itself');
    };
    await expect(waitFor('never', async () => ({ done: false, seen: ++calls }), { timeoutMs: 60_000, intervalMs: 1, abortIf: crashed })).rejects.toThrow('the gateway exited by itself');
    expect(calls).toBe(2);
  });

  it('gives up early when what it sees stops changing, naming what it waited for and what it saw last', async () => {
    await expect(waitFor('the outbox to drain', async () => ({ done: false, seen: { SENT: 36 } }), { timeoutMs: 60_000, stallMs: 20, intervalMs: 5, abortIf: alive })).rejects.toThrow(
      'no progress for 20 ms waiting for the outbox to drain; last seen: {"SENT":36}',
    );
  });

  it('does not call a count that keeps moving a stall, however long the whole wait', async () => {
    let n = 0;
    // About 1.5 s in all, well over stallMs, but each look sees a new count.
    const probe = async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return ++n >= 50 ? { done: true as const, value: n } : { done: false as const, seen: n };
    };
    expect(await waitFor('progress', probe, { timeoutMs: 60_000, stallMs: 1_000, intervalMs: 1, abortIf: alive })).toBe(50);
  });
});
