import { GatewayError } from './gateway-error.js';

/**
 * The life of a message we send (issue #4). Persisted with every change, so a restart
 * resumes exactly where the gateway stopped.
 *
 *   QUEUED ──confirm──▶ SENT ──receipt+──▶ ACKNOWLEDGED
 *     │  ▲               │  └──receipt−──▶ REJECTED
 *     │  │               └──no receipt within SLA──▶ EXPIRED ──late receipt──▶ ACKNOWLEDGED | REJECTED
 *     ▼  │
 *   RETRYING ──attempts exhausted──▶ DEAD_LETTERED
 *
 * A receipt may overtake the broker's confirm (the partner answers before we recorded SENT),
 * so QUEUED and RETRYING may also settle directly: the receipt's hash proves delivery.
 *
 * An operator (or a duplicate from the partner asking for our receipt again) may put a SENT,
 * EXPIRED, REJECTED or DEAD_LETTERED message back to QUEUED; that is a resend, audited.
 * ACKNOWLEDGED is final: nothing un-acknowledges a message.
 */
export const OUTBOUND_STATES = ['QUEUED', 'SENT', 'ACKNOWLEDGED', 'REJECTED', 'RETRYING', 'EXPIRED', 'DEAD_LETTERED'] as const;
export type OutboundState = (typeof OUTBOUND_STATES)[number];

const TRANSITIONS: Readonly<Record<OutboundState, readonly OutboundState[]>> = {
  QUEUED: ['SENT', 'RETRYING', 'ACKNOWLEDGED', 'REJECTED'],
  RETRYING: ['SENT', 'RETRYING', 'DEAD_LETTERED', 'ACKNOWLEDGED', 'REJECTED'],
  SENT: ['ACKNOWLEDGED', 'REJECTED', 'EXPIRED', 'QUEUED'],
  EXPIRED: ['ACKNOWLEDGED', 'REJECTED', 'QUEUED'],
  REJECTED: ['QUEUED'],
  DEAD_LETTERED: ['QUEUED'],
  ACKNOWLEDGED: [],
};

export function canTransition(from: OutboundState, to: OutboundState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws ILLEGAL_STATE_TRANSITION; callers make this check and the write in one transaction. */
export function assertTransition(from: OutboundState, to: OutboundState): void {
  if (!canTransition(from, to)) {
    throw new GatewayError('ILLEGAL_STATE_TRANSITION', `an outbound message cannot go from ${from} to ${to}`);
  }
}

export function allowedTransitions(from: OutboundState): readonly OutboundState[] {
  return TRANSITIONS[from];
}
