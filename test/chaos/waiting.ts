/**
 * Waiting in the chaos suite: poll a probe until it says done, but give up at once if the
 * gateway crashed (nothing will change any more), and on a timeout say what was last seen,
 * so a stuck outbox or a stalled consumer reads as such in the failure.
 */
export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** Throws when waiting is pointless (the gateway process is gone). */
  readonly abortIf: () => void;
  /** Called with each observation, e.g. to print progress. */
  readonly onObservation?: (value: unknown) => void;
  /**
   * Give up early when what the probe sees has not changed for this long: a slow machine
   * may take its time, but a stalled consumer or a stuck outbox never gets there.
   */
  readonly stallMs?: number;
}

export async function waitFor<T>(what: string, probe: () => Promise<{ done: true; value: T } | { done: false; seen: unknown }>, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let last: unknown = 'nothing yet';
  let lastChange = Date.now();
  for (;;) {
    options.abortIf();
    try {
      const result = await probe();
      if (result.done) return result.value;
      if (JSON.stringify(result.seen) !== JSON.stringify(last)) lastChange = Date.now();
      last = result.seen;
      options.onObservation?.(result.seen);
    } catch (error) {
      // A probe may hit a fault itself (a terminated connection, a gateway restarting): look again.
      last = `probe failed: ${(error as Error).message}`;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    if (options.stallMs !== undefined && Date.now() - lastChange > options.stallMs) {
      throw new Error(`no progress for ${options.stallMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
