/**
 * The seeded fault plan of the chaos suite: which faults fire, and at which point of the
 * inbound stream (the number of partner messages the gateway has applied, read from its
 * database). The same seed always gives the same plan, so a failing run can be replayed
 * with CHAOS_SEED=<the printed seed>.
 */
import { createHash } from 'node:crypto';

export const FAULT_KINDS = ['kill', 'pgterm', 'rabbit'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface PlannedFault {
  /** Fire once at least this many stream messages are applied. */
  readonly at: number;
  readonly kind: FaultKind;
  /** 1-based number of this fault among the faults of its kind. */
  readonly ordinal: number;
}

export interface ChaosSettings {
  readonly seed: string;
  readonly messages: number;
  readonly faults: readonly FaultKind[];
  /** How many faults of each kind a plan holds when that kind is enabled. */
  readonly counts: Readonly<Record<FaultKind, number>>;
  readonly databases: readonly ('sqlite' | 'postgres')[];
  /** The gateway's MRA_CRYPTO_WORKERS: 0 keeps the crypto on the event loop (the default on 2 cores). */
  readonly cryptoWorkers: number;
}

/** Faults land between these fractions of the stream: never before the gateway is busy, never after it is done. */
const WINDOW = { from: 0.1, to: 0.85 } as const;

export const DEFAULT_SEED = 'mra-chaos-2026';

function integerSetting(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  // Plain digits only: `1e5` or `100_000` in a CI variable is more likely a typo than a wish.
  const value = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value > max) throw new Error(`${name} must be an integer 0..${max}, not ${JSON.stringify(raw)}`);
  return value;
}

function listOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T[] {
  if (raw === undefined || raw.trim() === '') return [...allowed];
  // A baseline run: the same load with no faults, to tell a fault's damage from the load's.
  if (raw.trim() === 'none') return [];
  const items = raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
  const unknown = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (unknown.length > 0) throw new Error(`${name}: unknown ${unknown.join(', ')} (allowed: ${allowed.join(', ')})`);
  return allowed.filter((item) => items.includes(item));
}

/** The suite's settings from the environment; a wrong value stops the suite naming the variable. */
export function chaosSettings(env: NodeJS.ProcessEnv = process.env): ChaosSettings {
  const seed = env.CHAOS_SEED?.trim() || DEFAULT_SEED;
  if (seed.length > 100) throw new Error('CHAOS_SEED must be at most 100 characters');
  const messages = integerSetting('CHAOS_MESSAGES', env.CHAOS_MESSAGES, 100_000, 1_000_000);
  if (messages < 100) throw new Error('CHAOS_MESSAGES must be at least 100, so that faults land inside the stream');
  return {
    seed,
    messages,
    faults: listOf('CHAOS_FAULTS', env.CHAOS_FAULTS, FAULT_KINDS),
    counts: {
      kill: integerSetting('CHAOS_KILLS', env.CHAOS_KILLS, 3, 50),
      pgterm: integerSetting('CHAOS_PGTERMS', env.CHAOS_PGTERMS, 3, 50),
      rabbit: integerSetting('CHAOS_RABBIT_RESTARTS', env.CHAOS_RABBIT_RESTARTS, 1, 10),
    },
    databases: listOf('CHAOS_DATABASES', env.CHAOS_DATABASES, ['sqlite', 'postgres'] as const),
    cryptoWorkers: integerSetting('CHAOS_CRYPTO_WORKERS', env.CHAOS_CRYPTO_WORKERS, 0, 16),
  };
}

/**
 * A number in [0, 1) that depends only on the seed and the label. Each fault's position
 * comes from its own label, so enabling or disabling one kind of fault does not move the
 * others: a run without the RabbitMQ restart kills the gateway at the same points.
 */
export function seededFraction(seed: string, label: string): number {
  const digest = createHash('sha256').update(`${seed}\u0000${label}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** Faults that make sense on this database: terminating backends is a PostgreSQL fault. */
export function faultsFor(database: 'sqlite' | 'postgres', enabled: readonly FaultKind[]): FaultKind[] {
  return enabled.filter((kind) => kind !== 'pgterm' || database === 'postgres');
}

export function planFaults(settings: Pick<ChaosSettings, 'seed' | 'messages' | 'counts'>, kinds: readonly FaultKind[]): PlannedFault[] {
  const span = settings.messages * (WINDOW.to - WINDOW.from);
  const start = settings.messages * WINDOW.from;
  const plan: PlannedFault[] = [];
  for (const kind of kinds) {
    for (let ordinal = 1; ordinal <= settings.counts[kind]; ordinal++) {
      const at = Math.floor(start + span * seededFraction(settings.seed, `${kind}#${ordinal}`));
      plan.push({ at, kind, ordinal });
    }
  }
  return plan.sort((a, b) => a.at - b.at || FAULT_KINDS.indexOf(a.kind) - FAULT_KINDS.indexOf(b.kind) || a.ordinal - b.ordinal);
}

export function describePlan(plan: readonly PlannedFault[]): string {
  return plan.length === 0 ? '(no faults)' : plan.map((fault) => `${fault.kind}#${fault.ordinal}@${fault.at}`).join(', ');
}
