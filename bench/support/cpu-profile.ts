import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * A V8 CPU profile (0.5 ms sampling) of one timed phase, for `--profile PATH`: open it in
 * Chrome DevTools or speedscope. Nothing is recorded when `path` is empty.
 */
export async function startProfile(path: string): Promise<{ stop(label: string): Promise<void> }> {
  if (!path) return { stop: async () => undefined };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop(label) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(`${path}-${label}.cpuprofile`, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
