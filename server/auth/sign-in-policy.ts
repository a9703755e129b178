// When a seller sign-in may be tried, decided from the failures so far; pure, with time passed in. Two limits:
// - per client address: signInFailuresMax failures within signInWindowMs pause that address until the window
//   (counted from its first failure) has passed;
// - for the seller account over all addresses: after signInAccountFailuresFree failures in a row, each further
//   failure pauses password sign-in from everywhere, twice as long each time, capped at signInAccountPauseMsMax.
//   Guesses spread over many addresses hit this one. It only ever pauses sign-in with the password: the bearer
//   token and sessions already open keep working, so an attacker can delay the seller's next sign-in, never lock
//   the seller's API out.
// While paused, every attempt is refused unchecked, the right password included: answering a right password
// differently would tell the guesser it was right, and the pause would slow nothing.
import { limits } from '../limits';

export type Throttle = { failures: number; firstFailureAtMs: number; lastFailureAtMs: number; pausedUntilMs: number | null };

export const accountScope = 'account';
export const addressScope = (address: string) => `address:${address}`;

export type SignInPolicy = {
  addressFailuresMax: number;
  addressWindowMs: number;
  accountFailuresFree: number;
  accountPauseMsMin: number;
  accountPauseMsMax: number;
  accountResetMs: number;
};

export const signInPolicy: SignInPolicy = {
  addressFailuresMax: limits.signInFailuresMax,
  addressWindowMs: limits.signInWindowMs,
  accountFailuresFree: limits.signInAccountFailuresFree,
  accountPauseMsMin: limits.signInAccountPauseMsMin,
  accountPauseMsMax: limits.signInAccountPauseMsMax,
  accountResetMs: limits.signInAccountResetMs,
};

// Milliseconds until an attempt may be made under this throttle; 0 when it may be made now.
export function pauseLeftMs(throttle: Throttle | undefined, nowMs: number): number {
  return Math.max(0, (throttle?.pausedUntilMs ?? 0) - nowMs);
}

export function afterAddressFailure(previous: Throttle | undefined, nowMs: number, policy: SignInPolicy = signInPolicy): Throttle {
  const windowOver = previous === undefined || previous.failures === 0 || nowMs - previous.firstFailureAtMs >= policy.addressWindowMs;
  const failures = windowOver ? 1 : previous.failures + 1;
  const firstFailureAtMs = windowOver ? nowMs : previous.firstFailureAtMs;
  const pausedUntilMs = failures >= policy.addressFailuresMax ? firstFailureAtMs + policy.addressWindowMs : null;
  return { failures, firstFailureAtMs, lastFailureAtMs: nowMs, pausedUntilMs };
}

export function afterAccountFailure(previous: Throttle | undefined, nowMs: number, policy: SignInPolicy = signInPolicy): Throttle {
  const forgotten = previous === undefined || previous.failures === 0 || nowMs - previous.lastFailureAtMs >= policy.accountResetMs;
  const failures = forgotten ? 1 : previous.failures + 1;
  const beyondFree = failures - policy.accountFailuresFree;
  // Past 2^20 pauses the cap has long been reached; the bound keeps the power finite.
  const pauseMs = beyondFree > 0 ? Math.min(policy.accountPauseMsMin * 2 ** Math.min(beyondFree - 1, 20), policy.accountPauseMsMax) : 0;
  return { failures, firstFailureAtMs: forgotten ? nowMs : previous.firstFailureAtMs, lastFailureAtMs: nowMs, pausedUntilMs: pauseMs > 0 ? nowMs + pauseMs : null };
}

// The whole decision for one attempt, before the password is looked at: how long it must wait, or 0.
export function signInWaitMs(account: Throttle | undefined, address: Throttle | undefined, nowMs: number): number {
  return Math.max(pauseLeftMs(account, nowMs), pauseLeftMs(address, nowMs));
}
