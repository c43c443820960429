/**
 * Issue #9 item 3 (d): the outbound message state machine (libs/domain outbound-state.ts)
 * under random interleavings of attempted transitions. A tracked message only ever moves
 * along an allowed edge, a refused attempt changes nothing and is refused with
 * ILLEGAL_STATE_TRANSITION, and ACKNOWLEDGED is absorbing.
 *
 * 1. Model-based: random command sequences against several messages, each attempt checked
 *    with assertTransition before the write, compared step by step with canTransition.
 * 2. Concurrent actors (relay, receipt handler, expiry job, operator) that decide from a
 *    stale read and write with the check-and-conditional-update the outbox uses
 *    (assertTransition(from, to), then UPDATE … WHERE state = from); fast-check's scheduler
 *    explores the interleavings of their awaits.
 * 3. The graph itself: allowedTransitions agrees with canTransition, every state is reachable
 *    from QUEUED, and every state but ACKNOWLEDGED can still reach ACKNOWLEDGED.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  allowedTransitions,
  assertTransition,
  canTransition,
  GatewayError,
  OUTBOUND_STATES,
  type OutboundState,
} from '@aeo/domain';
import { fuzzParameters } from './support/fuzz-parameters.js';

const stateArb = fc.constantFrom(...OUTBOUND_STATES);

/** Every tracked message starts queued. */
const allQueued = (count: number): OutboundState[] => new Array<OutboundState>(count).fill('QUEUED');

/** What the tracker does: check, then write; a refused check writes nothing. */
class Tracker {
  readonly states: OutboundState[];
  readonly moves: Array<[number, OutboundState, OutboundState]> = [];

  constructor(count: number) {
    this.states = allQueued(count);
  }

  attempt(message: number, to: OutboundState): 'moved' | 'refused' {
    const from = this.states[message];
    try {
      assertTransition(from, to);
    } catch (error) {
      if (!(error instanceof GatewayError) || error.code !== 'ILLEGAL_STATE_TRANSITION') throw error;
      return 'refused';
    }
    this.states[message] = to;
    this.moves.push([message, from, to]);
    return 'moved';
  }
}

interface Model {
  readonly states: OutboundState[];
}

class Attempt implements fc.Command<Model, Tracker> {
  constructor(
    readonly message: number,
    readonly to: OutboundState,
  ) {}

  check(): boolean {
    return true;
  }

  run(model: Model, real: Tracker): void {
    const from = model.states[this.message];
    const outcome = real.attempt(this.message, this.to);
    expect(outcome).toBe(canTransition(from, this.to) ? 'moved' : 'refused');
    expect(canTransition(from, this.to)).toBe(allowedTransitions(from).includes(this.to));
    if (from === 'ACKNOWLEDGED') expect(outcome).toBe('refused');
    if (outcome === 'moved') model.states[this.message] = this.to;
    expect(real.states).toEqual(model.states);
  }

  toString(): string {
    return `attempt(#${this.message} → ${this.to})`;
  }
}

describe('outbound state machine under random interleavings', () => {
  it('model-based: every attempt is refused or moves along an allowed edge; ACKNOWLEDGED is absorbing', () => {
    const MESSAGES = 3;
    const commands = fc.commands(
      [fc.tuple(fc.nat(MESSAGES - 1), stateArb).map(([message, to]) => new Attempt(message, to))],
      { maxCommands: 60 },
    );
    fc.assert(
      fc.property(commands, (cmds) => {
        const real = new Tracker(MESSAGES);
        fc.modelRun(() => ({ model: { states: allQueued(MESSAGES) }, real }), cmds);
        for (const [, from, to] of real.moves) expect(canTransition(from, to)).toBe(true);
        for (let m = 0; m < MESSAGES; m++) {
          const path = real.moves.filter(([id]) => id === m);
          const acknowledged = path.findIndex(([, , to]) => to === 'ACKNOWLEDGED');
          if (acknowledged >= 0) expect(path.length - 1).toBe(acknowledged);
        }
      }),
      fuzzParameters(0x5a01, 300),
    );
  });

  it('concurrent actors deciding from stale reads never make an illegal transition', async () => {
    /** What each actor wants to do, given the state it read; undefined: nothing to do. */
    type Actor = (read: OutboundState, choice: number) => OutboundState | undefined;
    const ACTORS: Record<string, Actor> = {
      relay: (read, c) =>
        read === 'QUEUED' || read === 'RETRYING'
          ? (['SENT', 'RETRYING', 'DEAD_LETTERED'] as const)[c % 3]
          : undefined,
      // A receipt may come at any time, even before the broker's confirm was recorded.
      receipts: (_read, c) => (['ACKNOWLEDGED', 'REJECTED'] as const)[c % 2],
      expiry: (read) => (read === 'SENT' ? 'EXPIRED' : undefined),
      operator: () => 'QUEUED',
      // A confused component that asks for any state at all.
      chaos: (_read, c) => OUTBOUND_STATES[c % OUTBOUND_STATES.length],
    };
    const plan = fc.array(fc.tuple(fc.constantFrom(...Object.keys(ACTORS)), fc.nat(20)), {
      minLength: 1,
      maxLength: 24,
    });

    await fc.assert(
      fc.asyncProperty(fc.scheduler(), plan, async (s, steps) => {
        // One row, written only by a check-then-conditional-update, as OutboxStore.move does.
        const row = { state: 'QUEUED' as OutboundState };
        const history: OutboundState[] = ['QUEUED'];
        const move = (from: OutboundState, to: OutboundState): boolean => {
          assertTransition(from, to);
          if (row.state !== from) return false; // someone else moved it first: the UPDATE matches no row
          row.state = to;
          history.push(to);
          return true;
        };
        const work = steps.map(async ([name, choice]) => {
          const read = await s.schedule(Promise.resolve(row.state), `${name} reads`);
          const to = ACTORS[name](read, choice);
          if (to === undefined) return;
          await s.schedule(Promise.resolve(), `${name} writes ${read} → ${to}`);
          try {
            move(read, to);
          } catch (error) {
            if (!(error instanceof GatewayError) || error.code !== 'ILLEGAL_STATE_TRANSITION') throw error;
            expect(canTransition(read, to)).toBe(false);
          }
        });
        await s.waitFor(Promise.all(work));
        for (let i = 1; i < history.length; i++) expect(canTransition(history[i - 1], history[i])).toBe(true);
        const acknowledged = history.indexOf('ACKNOWLEDGED');
        if (acknowledged >= 0) expect(history.length - 1).toBe(acknowledged);
        expect(row.state).toBe(history[history.length - 1]);
      }),
      fuzzParameters(0x5a02, 300),
    );
  });

  it('the graph: allowedTransitions matches canTransition, all states are reachable, and every unsettled state can still be acknowledged', () => {
    for (const from of OUTBOUND_STATES) {
      expect([...allowedTransitions(from)].sort()).toEqual(
        OUTBOUND_STATES.filter((to) => canTransition(from, to)).sort(),
      );
    }
    const reachable = (start: OutboundState): Set<OutboundState> => {
      const seen = new Set<OutboundState>([start]);
      const queue = [start];
      while (queue.length > 0) {
        for (const next of allowedTransitions(queue.shift()!)) {
          if (seen.has(next)) continue;
          seen.add(next);
          queue.push(next);
        }
      }
      return seen;
    };
    expect([...reachable('QUEUED')].sort()).toEqual([...OUTBOUND_STATES].sort());
    for (const state of OUTBOUND_STATES) {
      if (state === 'ACKNOWLEDGED') expect([...reachable(state)]).toEqual(['ACKNOWLEDGED']);
      else expect(reachable(state).has('ACKNOWLEDGED')).toBe(true);
    }
    // And a random walk of any length from any state stays on the graph.
    fc.assert(
      fc.property(stateArb, fc.array(fc.nat(), { maxLength: 50 }), (start, choices) => {
        let state = start;
        for (const c of choices) {
          const next = allowedTransitions(state);
          if (next.length === 0) {
            expect(state).toBe('ACKNOWLEDGED');
            break;
          }
          const to = next[c % next.length];
          expect(() => assertTransition(state, to)).not.toThrow();
          state = to;
        }
      }),
      fuzzParameters(0x5a03, 200),
    );
  });
});
