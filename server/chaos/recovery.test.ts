// Goal: a fault's recovery time is measured from its start until the last purchase acknowledged before it is decided, and is unknown while any of them is not.
import { describe, expect, it } from 'vitest';
import { recoveryAfter } from './recovery';

const fault = { label: 'kill -9 worker 0', startedAtMs: 10_000, returnedAtMs: 11_000, windowEndMs: 20_000 };

describe('recoveryAfter', () => {
  it('waits for the last purchase acknowledged before the fault', () => {
    const recovery = recoveryAfter(fault, [
      { acknowledgedAtMs: 9_000, decidedSeenAtMs: 9_500 }, // decided before the fault: not caught
      { acknowledgedAtMs: 9_900, decidedSeenAtMs: 17_250 },
      { acknowledgedAtMs: 10_000, decidedSeenAtMs: 16_000 },
      { acknowledgedAtMs: 10_001, decidedSeenAtMs: 30_000 }, // acknowledged after the fault began: not counted
    ]);
    expect(recovery).toEqual({ label: fault.label, backlog: 2, recoveredAfterMs: 7_250, recoveredAfterReturnMs: 6_250, returnedAfterMs: 1_000, undecided: 0, longestWaitMs: 19_999 });
  });

  it('takes the longest wait among purchases acknowledged between this fault and the next', () => {
    const recovery = recoveryAfter(fault, [
      { acknowledgedAtMs: 9_000, decidedSeenAtMs: 40_000 }, // before the fault
      { acknowledgedAtMs: 12_000, decidedSeenAtMs: 18_500 },
      { acknowledgedAtMs: 15_000, decidedSeenAtMs: 15_250 },
      { acknowledgedAtMs: 16_000, decidedSeenAtMs: undefined }, // never decided: counted as lost elsewhere
      { acknowledgedAtMs: 20_000, decidedSeenAtMs: 60_000 }, // the next fault's
    ]);
    expect(recovery.longestWaitMs).toBe(6_500);
    expect(recoveryAfter(fault, []).longestWaitMs).toBeUndefined();
  });

  it('is immediate when nothing was in flight', () => {
    expect(recoveryAfter(fault, [{ acknowledgedAtMs: 1_000, decidedSeenAtMs: 2_000 }])).toMatchObject({ backlog: 0, recoveredAfterMs: 0, recoveredAfterReturnMs: 0 });
  });

  it('has no recovery time while a caught purchase is undecided', () => {
    const recovery = recoveryAfter(fault, [
      { acknowledgedAtMs: 9_000, decidedSeenAtMs: undefined },
      { acknowledgedAtMs: 9_100, decidedSeenAtMs: 12_000 },
    ]);
    expect(recovery).toMatchObject({ backlog: 2, undecided: 1, recoveredAfterMs: undefined, recoveredAfterReturnMs: undefined });
  });

  it('leaves the return unknown when the service never came back', () => {
    expect(recoveryAfter({ ...fault, returnedAtMs: undefined }, [{ acknowledgedAtMs: 9_000, decidedSeenAtMs: 12_000 }])).toMatchObject({
      recoveredAfterMs: 2_000,
      recoveredAfterReturnMs: undefined,
      returnedAfterMs: undefined,
    });
  });

  it('counts a backlog decided before the service returned as recovered at the return', () => {
    expect(recoveryAfter(fault, [{ acknowledgedAtMs: 9_000, decidedSeenAtMs: 10_500 }])).toMatchObject({ recoveredAfterMs: 500, recoveredAfterReturnMs: 0 });
  });
});
