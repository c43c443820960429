import type { OutboxMessage, SimulatorStats } from './clients.js';
import type { LatencyRow } from './report.js';

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface LatencySample {
  readonly direction: 'out' | 'in';
  readonly messageType: string;
  readonly ms: number;
}

/**
 * Round trips of the run: ours from the outbox (committed → the partner's receipt applied),
 * the partner's from the simulator (published → our receipt received). Receipts themselves
 * are not answered, so they have no round trip.
 */
export function latencySamples(
  outbox: readonly OutboxMessage[],
  stats: SimulatorStats | undefined,
): LatencySample[] {
  const samples: LatencySample[] = [];
  for (const message of outbox) {
    if (message.settledAt === null || message.messageType === 'RECEIPT') continue;
    samples.push({
      direction: 'out',
      messageType: message.messageType,
      ms: Math.max(0, message.settledAt - message.createdAt),
    });
  }
  for (const sent of Object.values(stats?.sent ?? {})) {
    if (!sent.receipt || sent.type === 'RECEIPT') continue;
    samples.push({ direction: 'in', messageType: sent.type, ms: Math.max(0, sent.receipt.at - sent.sentAt) });
  }
  return samples;
}

export function latencyTable(samples: readonly LatencySample[]): LatencyRow[] {
  const groups = new Map<string, number[]>();
  for (const s of samples) {
    const key = `${s.direction} ${s.messageType}`;
    groups.set(key, [...(groups.get(key) ?? []), s.ms]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, values]) => {
      const [direction, messageType] = key.split(' ') as ['out' | 'in', string];
      const sorted = [...values].sort((a, b) => a - b);
      return {
        direction,
        messageType,
        count: sorted.length,
        p50Ms: percentile(sorted, 50),
        p95Ms: percentile(sorted, 95),
        maxMs: sorted[sorted.length - 1],
      };
    });
}
