/**
 * The outbound half of the chaos run: an operator changing our register through the HTTP
 * API while the faults fire. One request at a time (so versions are the gateway's to give),
 * each a few records switching between ACTIVE and SUSPENDED. A request that fails — gateway
 * killed mid-request, database connections cut — may or may not have been committed: the
 * gateway's register is the truth that every partner must end up with, and every change
 * the gateway did confirm (201) must be there with all its deltas.
 */
import type { AeoRecord } from '@aeo/domain';
import { homeRecord } from '../support/builders.js';
import { OPERATOR_TOKEN, http } from '../support/processes.js';

export interface ConfirmedChange {
  readonly versions: readonly string[];
  readonly queued: readonly { partner: string; messageId: string }[];
}

type HomeRecordChange = Omit<AeoRecord, 'recordVersion' | 'lastChangedAt'>;

/**
 * Records every partner can carry: type 3 is in every MRA's shared scope, and a TR-YFKS
 * trader id lets Türkiye's format name them (fictional numbers).
 */
export function homeChange(serial: number, status: 'ACTIVE' | 'SUSPENDED'): HomeRecordChange {
  const base = homeRecord({}, serial);
  const { recordVersion: _v, lastChangedAt: _t, ...change } = base;
  return {
    ...change,
    traderIds: [...base.traderIds, { scheme: 'TR-YFKS', value: `YF2026${String(serial).padStart(6, '0')}` }],
    status,
    ...(status === 'SUSPENDED' ? { statusReason: 'chaos run (fictional)' } : {}),
  };
}

export class HomeRegisterLoad {
  readonly confirmed: ConfirmedChange[] = [];
  /**
   * Requests without a 201, by HTTP status, or `no answer` (gateway down or killed mid-request).
   * A 5xx during a fault leaves the outcome unknown to the operator; a 4xx would mean the
   * gateway refused a valid change.
   */
  readonly unconfirmed: Record<string, number> = {};
  private running = false;
  private loop: Promise<void> | undefined;
  private round = 0;

  constructor(
    private readonly gatewayUrl: () => string,
    private readonly options: { readonly records: number; readonly perChange: number; readonly pauseMs: number },
  ) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await this.changeOnce();
        await new Promise((resolve) => setTimeout(resolve, this.options.pauseMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** One request: the next few records of the cycle, with the status of this round. */
  async changeOnce(): Promise<void> {
    const round = this.round++;
    const status = Math.floor((round * this.options.perChange) / this.options.records) % 2 === 0 ? 'SUSPENDED' : 'ACTIVE';
    const serials = Array.from({ length: this.options.perChange }, (_, i) => ((round * this.options.perChange + i) % this.options.records) + 1);
    try {
      const response = await http<{ records: { aeoIdNormalized: string; recordVersion: number }[]; queued: { partner: string; messageId: string }[] }>(
        'POST',
        `${this.gatewayUrl()}/v1/register/records`,
        { records: serials.map((serial) => homeChange(serial, status)) },
        OPERATOR_TOKEN,
      );
      if (response.status !== 201) {
        this.note(String(response.status));
        return;
      }
      this.confirmed.push({ versions: response.body.records.map((r) => `${r.aeoIdNormalized}@${r.recordVersion}`), queued: response.body.queued });
    } catch {
      this.note('no answer');
    }
  }

  private note(outcome: string): void {
    this.unconfirmed[outcome] = (this.unconfirmed[outcome] ?? 0) + 1;
  }
}
