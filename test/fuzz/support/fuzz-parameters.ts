/**
 * Every property runs with a fixed seed, so a CI failure replays exactly on any machine
 * (fast-check prints the seed, the path and the shrunk counterexample). The run counts are
 * modest so that the whole folder stays under a minute on two cores; FUZZ_SCALE multiplies
 * them for a longer campaign on a workstation (e.g. FUZZ_SCALE=50), with the same seeds.
 */
import type { Parameters } from 'fast-check';

const SCALE = Number(process.env.FUZZ_SCALE ?? '1');

export function fuzzParameters<T>(seed: number, numRuns: number): Parameters<T> {
  return {
    seed,
    numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(SCALE) && SCALE > 0 ? SCALE : 1))),
    endOnFailure: true,
    verbose: 1,
  };
}
