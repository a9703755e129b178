// One card's hold (book now, pay later), without React: what the buyer sees follows from the answers and
// events that arrived, in whatever order they came. A hold's final states (CONFIRMED, CANCELLED, EXPIRED,
// FAILED) are final on the server, so they are final here too: a late HELD (a slow answer, a poll that
// crossed an event) never brings a released hold back to life.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import type { ConfirmResult, HoldResult } from '../../server/contract';
import type { ApiFailure, HoldRequest } from '../api/api-client';

// What the buyer is doing to a HELD hold: nothing, paying, or cancelling. 'waiting' is a pay or cancel the
// server accepted (202) but had not decided within the wait: the answer comes by hold.changed or polling.
export type HoldAction = { kind: 'none' } | { kind: 'paying' | 'cancelling'; waiting: boolean } | { kind: 'problem'; message: string };

export type HoldState =
  | { phase: 'idle' }
  | { phase: 'placing'; request: HoldRequest }
  // Accepted (202) but not decided within the wait.
  | { phase: 'pending'; request: HoldRequest }
  | { phase: 'held'; request: HoldRequest; hold: HoldResult; action: HoldAction }
  | { phase: 'confirmed'; request: HoldRequest; hold: HoldResult }
  // paidTooLate: the buyer's Pay reached the server after expiresAt (ConfirmResult FAILED HOLD_EXPIRED).
  | { phase: 'expired'; request: HoldRequest; hold: HoldResult; paidTooLate: boolean }
  | { phase: 'cancelled'; request: HoldRequest; hold: HoldResult }
  // The hold could not be placed (OUT_OF_STOCK, UNKNOWN_ITEM).
  | { phase: 'failed'; request: HoldRequest; hold: HoldResult }
  // Refused before anything was appended (429 too many holds, 400, 409): sending it again would not help.
  | { phase: 'refused'; request: HoldRequest; failure: Exclude<ApiFailure, { kind: 'unavailable' }> }
  // Unknown whether the hold was placed: a retry sends the same holdId.
  | { phase: 'unavailable'; request: HoldRequest; message: string };

export type HoldPhase = HoldState['phase'];

// A hold the buyer can still act on (or is about to): the card shows the countdown and Pay and Cancel.
export function isActive(state: HoldState): state is Extract<HoldState, { phase: 'placing' | 'pending' | 'held' }> {
  return state.phase === 'placing' || state.phase === 'pending' || state.phase === 'held';
}

export function isFinal(state: HoldState): boolean {
  return state.phase === 'confirmed' || state.phase === 'expired' || state.phase === 'cancelled' || state.phase === 'failed';
}

export function requestOf(state: HoldState): HoldRequest | undefined {
  return state.phase === 'idle' ? undefined : state.request;
}

// A decided hold, from any source (the place, cancel or confirm answer, hold.changed, a poll, a reload).
export function applyHold(state: HoldState, hold: HoldResult, paidTooLate = false): HoldState {
  const request = requestOf(state);
  if (request === undefined || request.holdId !== hold.holdId || isFinal(state)) return state;
  switch (hold.status) {
    case 'HELD':
      // An event about the hold the card already holds keeps what the buyer is doing with it.
      return { phase: 'held', request, hold, action: state.phase === 'held' ? state.action : { kind: 'none' } };
    case 'CONFIRMED':
      return { phase: 'confirmed', request, hold };
    case 'EXPIRED':
      return { phase: 'expired', request, hold, paidTooLate };
    case 'CANCELLED':
      return { phase: 'cancelled', request, hold };
    case 'FAILED':
      return { phase: 'failed', request, hold };
    default: {
      const unreachable: never = hold.status;
      throw new Error(`unknown hold status ${JSON.stringify(unreachable)}`);
    }
  }
}

// The answer to Pay. A FAILED confirm carries the hold's own final state, which says the rest.
export function applyConfirm(state: HoldState, confirm: ConfirmResult): HoldState {
  if (confirm.status === 'CONFIRMED') return applyHold(state, confirm.hold);
  return applyHold(state, confirm.hold, confirm.reason === 'HOLD_EXPIRED');
}

// Pay or Cancel pressed, answered 202, or failed without a decision: only a HELD hold has an action.
export function withAction(state: HoldState, action: HoldAction): HoldState {
  return state.phase === 'held' ? { ...state, action } : state;
}

// What the countdown shows: whole seconds left until expiresAt, never below zero. Rounded down, so a fresh
// ten-minute hold reads 9:59, as a ticket shop's does.
export function secondsLeft(expiresAt: string, nowMs: number): number {
  return Math.max(0, Math.floor((Date.parse(expiresAt) - nowMs) / 1000));
}

// m:ss, e.g. 9:59 or 0:07; past an hour, h:mm:ss.
export function formatCountdown(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}
