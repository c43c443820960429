import { describe, expect, it } from '@jest/globals';
import { GatewayError } from './gateway-error.js';
import { OUTBOUND_STATES, allowedTransitions, assertTransition, canTransition, type OutboundState } from './outbound-state.js';

const LEGAL: Array<[OutboundState, OutboundState]> = [
  ['QUEUED', 'SENT'],
  ['QUEUED', 'RETRYING'],
  ['QUEUED', 'ACKNOWLEDGED'],
  ['QUEUED', 'REJECTED'],
  ['RETRYING', 'ACKNOWLEDGED'],
  ['RETRYING', 'REJECTED'],
  ['RETRYING', 'SENT'],
  ['RETRYING', 'RETRYING'],
  ['RETRYING', 'DEAD_LETTERED'],
  ['SENT', 'ACKNOWLEDGED'],
  ['SENT', 'REJECTED'],
  ['SENT', 'EXPIRED'],
  ['SENT', 'QUEUED'],
  ['EXPIRED', 'ACKNOWLEDGED'],
  ['EXPIRED', 'REJECTED'],
  ['EXPIRED', 'QUEUED'],
  ['REJECTED', 'QUEUED'],
  ['DEAD_LETTERED', 'QUEUED'],
];

describe('outbound message state machine', () => {
  it('allows exactly the documented transitions', () => {
    const all = OUTBOUND_STATES.flatMap((from) => OUTBOUND_STATES.map((to) => [from, to] as [OutboundState, OutboundState]));
    const allowed = all.filter(([from, to]) => canTransition(from, to));
    expect(allowed).toEqual(expect.arrayContaining(LEGAL));
    expect(allowed).toHaveLength(LEGAL.length);
  });

  it.each(
    OUTBOUND_STATES.flatMap((from) => OUTBOUND_STATES.map((to) => [from, to] as const)).filter(
      ([from, to]) => !LEGAL.some(([f, t]) => f === from && t === to),
    ),
  )('refuses %s → %s with ILLEGAL_STATE_TRANSITION', (from, to) => {
    expect(() => assertTransition(from, to)).toThrow(GatewayError);
    try {
      assertTransition(from, to);
    } catch (error) {
      expect((error as GatewayError).code).toBe('ILLEGAL_STATE_TRANSITION');
    }
  });

  it('keeps ACKNOWLEDGED final', () => {
    expect(allowedTransitions('ACKNOWLEDGED')).toEqual([]);
  });
});
