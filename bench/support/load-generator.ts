/**
 * A small HTTP load generator (autocannon is not installed): node:http with a keep-alive
 * agent, latency measured per request.
 *   - fixedRate: open loop, request i is due at t0 + i / rate; every millisecond tick sends
 *     what is due. "latency" runs from handing the request to node:http to the end of the
 *     response body (what autocannon reports); "corrected" runs from the moment the request
 *     was due, so a server that falls behind is charged for the queue it causes
 *     (coordinated omission). Achieved rate = completed requests / time until the last one.
 *   - closedLoop: `connections` requests in flight, each sent when the previous one
 *     answered; the maximum throughput at that concurrency.
 * A request that has no answer after `timeoutMs` (default 2 s) is abandoned and counted with
 * status 0 and its time so far, so a server that cannot keep up ends the run in bounded time
 * (its percentiles then show the timeout, which is what the caller saw).
 */
import http from 'node:http';
import { percentile } from './kit.js';

export interface LoadTarget {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The JSON body of request i. */
  readonly body: (i: number) => string;
}

export interface LoadResult {
  readonly requests: number;
  readonly ok: number;
  readonly statuses: Record<string, number>;
  readonly seconds: number;
  readonly achievedRps: number;
  /** Answers with status 200 per second. */
  readonly okRps: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly p50CorrectedMs: number;
  readonly p99CorrectedMs: number;
}

interface Outcome {
  readonly status: number;
  readonly latency: number;
  readonly corrected: number;
  readonly end: number;
}

function requester(
  target: LoadTarget,
  sockets: number,
  timeoutMs: number,
): { send(i: number, due: number): Promise<Outcome>; close(): void } {
  const url = new URL(target.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  return {
    send(i, due) {
      const body = target.body(i);
      return new Promise((resolve) => {
        const start = performance.now();
        let settled = false;
        const done = (status: number) => {
          if (settled) return;
          settled = true;
          const end = performance.now();
          resolve({ status, latency: end - start, corrected: end - due, end });
        };
        const request = http.request(
          {
            agent,
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              ...target.headers,
            },
            signal: AbortSignal.timeout(timeoutMs),
          },
          (response) => {
            response.on('data', () => undefined);
            response.on('end', () => done(response.statusCode ?? 0));
            response.on('error', () => done(0));
          },
        );
        request.on('error', () => done(0));
        request.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

function summarise(outcomes: readonly Outcome[], start: number): LoadResult {
  const latencies = Float64Array.from(outcomes.map((o) => o.latency)).sort();
  const corrected = Float64Array.from(outcomes.map((o) => o.corrected)).sort();
  const statuses: Record<string, number> = {};
  for (const o of outcomes) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
  const last = outcomes.reduce((max, o) => Math.max(max, o.end), start);
  const seconds = (last - start) / 1000;
  const round3 = (n: number) => Math.round(n * 1000) / 1000;
  return {
    requests: outcomes.length,
    ok: outcomes.filter((o) => o.status === 200).length,
    statuses,
    seconds: round3(seconds),
    achievedRps: Math.round(outcomes.length / seconds),
    okRps: Math.round(outcomes.filter((o) => o.status === 200).length / seconds),
    p50Ms: round3(percentile(latencies, 0.5)),
    p90Ms: round3(percentile(latencies, 0.9)),
    p99Ms: round3(percentile(latencies, 0.99)),
    maxMs: round3(latencies[latencies.length - 1] ?? Number.NaN),
    p50CorrectedMs: round3(percentile(corrected, 0.5)),
    p99CorrectedMs: round3(percentile(corrected, 0.99)),
  };
}

/** Open loop at `rate` requests/s for `durationMs`; request numbers start at `firstIndex`. */
export async function fixedRate(
  target: LoadTarget,
  rate: number,
  durationMs: number,
  firstIndex = 0,
  sockets = 256,
  timeoutMs = 2_000,
): Promise<LoadResult> {
  const client = requester(target, sockets, timeoutMs);
  const total = Math.round((rate * durationMs) / 1000);
  const interval = 1000 / rate;
  const pending: Promise<Outcome>[] = [];
  const start = performance.now();
  await new Promise<void>((resolve) => {
    let i = 0;
    const tick = () => {
      const now = performance.now();
      while (i < total && start + i * interval <= now) {
        pending.push(client.send(firstIndex + i, start + i * interval));
        i++;
      }
      if (i < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const outcomes = await Promise.all(pending);
  client.close();
  return summarise(outcomes, start);
}

/** `connections` requests in flight for `durationMs`. */
export async function closedLoop(
  target: LoadTarget,
  connections: number,
  durationMs: number,
  firstIndex = 0,
  timeoutMs = 2_000,
): Promise<LoadResult> {
  const client = requester(target, connections, timeoutMs);
  const outcomes: Outcome[] = [];
  const start = performance.now();
  const end = start + durationMs;
  let next = firstIndex;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const now = performance.now();
        outcomes.push(await client.send(next++, now));
      }
    }),
  );
  client.close();
  return summarise(outcomes, start);
}
