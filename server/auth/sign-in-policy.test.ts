// Goal: failed sign-ins pause an address after its limit within the window, and the seller account after its free
// failures with doubling pauses capped at the maximum, whatever the addresses; quiet time and successes forget them.
import { describe, expect, it } from 'vitest';
import { afterAccountFailure, afterAddressFailure, pauseLeftMs, signInWaitMs, type SignInPolicy, type Throttle } from './sign-in-policy';

const policy: SignInPolicy = { addressFailuresMax: 3, addressWindowMs: 60_000, accountFailuresFree: 4, accountPauseMsMin: 1_000, accountPauseMsMax: 10_000, accountResetMs: 3_600_000 };

function failures(count: number, step: (previous: Throttle | undefined, nowMs: number, policy: SignInPolicy) => Throttle, startMs = 0, gapMs = 1): Throttle | undefined {
  let throttle: Throttle | undefined;
  for (let index = 0; index < count; index += 1) throttle = step(throttle, startMs + index * gapMs, policy);
  return throttle;
}

describe('per-address limit', () => {
  it('given failuresMax - 1 failures, an attempt may still be made', () => {
    expect(pauseLeftMs(failures(2, afterAddressFailure), 10)).toBe(0);
  });

  it('given failuresMax failures within the window, the address waits until the window from its first failure has passed', () => {
    const throttle = failures(3, afterAddressFailure, 1_000);
    expect(pauseLeftMs(throttle, 2_000)).toBe(60_000 - 1_000);
    expect(pauseLeftMs(throttle, 61_000)).toBe(0);
  });

  it('given a failure after the window, counting starts again', () => {
    const old = failures(2, afterAddressFailure, 0);
    const fresh = afterAddressFailure(old, 70_000, policy);
    expect(fresh).toMatchObject({ failures: 1, firstFailureAtMs: 70_000, pausedUntilMs: null });
  });
});

describe('seller account limit', () => {
  it('given the free failures, no pause; each further failure doubles the pause up to the cap', () => {
    expect(failures(4, afterAccountFailure)?.pausedUntilMs).toBeNull();
    const pauses = [5, 6, 7, 8, 9, 40].map((count) => {
      const throttle = failures(count, afterAccountFailure);
      return (throttle?.pausedUntilMs ?? 0) - (throttle?.lastFailureAtMs ?? 0);
    });
    expect(pauses).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it('given failures from many addresses, each below its own limit, the account pauses everybody', () => {
    let account: Throttle | undefined;
    const addresses = new Map<string, Throttle | undefined>();
    let paused = 0;
    for (let guess = 0; guess < 20; guess += 1) {
      const address = `127.0.0.${3 + (guess % 10)}`;
      if (signInWaitMs(account, addresses.get(address), guess) > 0) {
        paused += 1;
        continue;
      }
      account = afterAccountFailure(account, guess, policy);
      addresses.set(address, afterAddressFailure(addresses.get(address), guess, policy));
    }
    expect([...addresses.values()].every((throttle) => pauseLeftMs(throttle, 20) === 0)).toBe(true);
    expect(paused).toBeGreaterThan(0);
    expect(signInWaitMs(account, undefined, 20)).toBeGreaterThan(0);
  });

  it('given a quiet spell of the reset time, the failures are forgotten', () => {
    const throttle = failures(9, afterAccountFailure);
    expect(afterAccountFailure(throttle, 9 + policy.accountResetMs, policy)).toMatchObject({ failures: 1, pausedUntilMs: null });
  });
});
