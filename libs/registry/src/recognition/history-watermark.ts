/** Inclusive range of history row ids. */
export interface IdRange {
  readonly from: number;
  readonly to: number;
}

interface Gap extends IdRange {
  /** When the gap was first seen; it is given up gapTimeoutMs later. */
  readonly since: number;
}

/**
 * The coherence counter across gateway instances: the highest foreign_aeo_history id seen.
 * The table only grows, so "rows with id above the mark" are exactly the changes since the
 * last look — with one catch. PostgreSQL hands out SERIAL ids at INSERT time, not at commit:
 * a transaction holding id 100 can commit after one holding id 101, and a reader that moved
 * its mark to 101 would never see row 100. So the ids skipped when the mark moves are kept
 * as gaps and asked for again on every poll until they turn up or `gapTimeoutMs` passes
 * (longer than any register transaction: after that the gap is a rolled-back insert, which
 * PostgreSQL never fills). SQLite commits one writer at a time, so there it sees no gaps
 * but the rolled-back kind, and the extra range query costs nothing.
 */
export class HistoryWatermark {
  private highest = 0;
  private gaps: Gap[] = [];

  constructor(
    private readonly gapTimeoutMs: number,
    /** Beyond this many separate gaps they are merged into one range (re-reading rows is harmless). */
    private readonly maxGaps = 64,
  ) {}

  get high(): number {
    return this.highest;
  }

  /**
   * Start from a load: every id up to `floor` is accounted for by the full load; `idsAboveFloor`
   * are the ids that exist above it, and the ones missing between them may still commit.
   */
  start(floor: number, idsAboveFloor: readonly number[], now: number): void {
    this.highest = Math.max(0, floor);
    this.gaps = [];
    this.observe(idsAboveFloor, now);
  }

  /** The gaps still worth asking for; expired ones are dropped here. */
  pendingRanges(now: number): IdRange[] {
    this.gaps = this.gaps.filter((gap) => now - gap.since <= this.gapTimeoutMs);
    return this.gaps.map(({ from, to }) => ({ from, to }));
  }

  /** Record the ids of rows just read: fills gaps, moves the mark and notes what it skipped. */
  observe(ids: readonly number[], now: number): void {
    for (const id of [...ids].sort((a, b) => a - b)) {
      if (id > this.highest) {
        if (id > this.highest + 1) this.gaps.push({ from: this.highest + 1, to: id - 1, since: now });
        this.highest = id;
      } else {
        this.fill(id);
      }
    }
    if (this.gaps.length > this.maxGaps) {
      this.gaps = [
        {
          from: Math.min(...this.gaps.map((g) => g.from)),
          to: Math.max(...this.gaps.map((g) => g.to)),
          since: Math.max(...this.gaps.map((g) => g.since)),
        },
      ];
    }
  }

  private fill(id: number): void {
    const at = this.gaps.findIndex((gap) => gap.from <= id && id <= gap.to);
    if (at < 0) return;
    const gap = this.gaps[at];
    const pieces: Gap[] = [];
    if (gap.from < id) pieces.push({ from: gap.from, to: id - 1, since: gap.since });
    if (id < gap.to) pieces.push({ from: id + 1, to: gap.to, since: gap.since });
    this.gaps.splice(at, 1, ...pieces);
  }
}
