// Goal: every schedule the chaos run can draw has the planned faults, inside the load, far enough apart to see each recovery, with worker kills alternating; a plan that cannot fit is refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../testing/seeded-random';
import { busyMs, scheduleFaults, ScheduleError, type FaultPlan, type FaultWindow } from './schedule';

const defaultPlan: FaultPlan = { workerKills: 10, webKills: 1, brokerRestarts: 1, postgresRestarts: 1, workers: 2, brokerOutageMs: 10_000, brokerStartAllowanceMs: 15_000 };
const defaultWindow: FaultWindow = { loadMs: 100_000, leadMs: 5_000, tailMs: 5_000, gapMsMin: 4_000 };

const planArbitrary = fc.record({
  workerKills: fc.integer({ min: 0, max: 12 }),
  webKills: fc.integer({ min: 0, max: 2 }),
  brokerRestarts: fc.integer({ min: 0, max: 2 }),
  postgresRestarts: fc.integer({ min: 0, max: 2 }),
  workers: fc.integer({ min: 1, max: 4 }),
  brokerOutageMs: fc.integer({ min: 0, max: 20_000 }),
  brokerStartAllowanceMs: fc.integer({ min: 0, max: 20_000 }),
});
const windowArbitrary = fc.record({
  loadMs: fc.integer({ min: 0, max: 400_000 }),
  leadMs: fc.integer({ min: 0, max: 10_000 }),
  tailMs: fc.integer({ min: 0, max: 10_000 }),
  gapMsMin: fc.integer({ min: 0, max: 8_000 }),
});

const faultCount = (plan: FaultPlan) => plan.workerKills + plan.webKills + plan.brokerRestarts + plan.postgresRestarts;
const needMs = (plan: FaultPlan, window: FaultWindow, kinds: Parameters<typeof busyMs>[0][]) =>
  window.leadMs + window.tailMs + kinds.slice(0, -1).reduce((sum, kind) => sum + busyMs(kind, plan, window), 0);

describe('scheduleFaults', () => {
  it('places every planned fault inside the load, spaced by its busy time, worker kills alternating', () => {
    fc.assert(
      fc.property(planArbitrary, windowArbitrary, fc.integer({ min: 0, max: 0xffff_ffff }), (plan, window, seed) => {
        let faults;
        try {
          faults = scheduleFaults(plan, window, createSeededRandom(seed));
        } catch (error) {
          // Refused only when the faults cannot fit, whatever their order.
          expect(error).toBeInstanceOf(ScheduleError);
          return;
        }
        expect(faults).toHaveLength(faultCount(plan));
        expect(faults.filter((fault) => fault.kind === 'worker-kill')).toHaveLength(plan.workerKills);
        expect(faults.filter((fault) => fault.kind === 'broker-restart')).toHaveLength(plan.brokerRestarts);
        expect(faults.filter((fault) => fault.kind === 'postgres-restart')).toHaveLength(plan.postgresRestarts);
        faults.forEach((fault, index) => {
          expect(fault.atMs).toBeGreaterThanOrEqual(window.leadMs);
          expect(fault.atMs).toBeLessThanOrEqual(window.loadMs - window.tailMs);
          const previous = faults[index - 1];
          if (previous) expect(fault.atMs - previous.atMs).toBeGreaterThanOrEqual(busyMs(previous.kind, plan, window));
        });
        const killed = faults.flatMap((fault) => (fault.kind === 'worker-kill' ? [fault.worker] : []));
        killed.forEach((worker, index) => {
          expect(worker).toBeGreaterThanOrEqual(0);
          expect(worker).toBeLessThan(plan.workers);
          if (index > 0) expect(worker).toBe(((killed[index - 1] ?? 0) + 1) % plan.workers);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a plan whose faults need more time than the load has', () => {
    fc.assert(
      fc.property(planArbitrary, windowArbitrary, fc.integer({ min: 0, max: 0xffff_ffff }), (plan, window, seed) => {
        const kinds = scheduleFaultsOrUndefined(plan, { ...window, loadMs: 10_000_000 }, seed)?.map((fault) => fault.kind) ?? [];
        const tooShort = { ...window, loadMs: needMs(plan, window, kinds) - 1 };
        if (tooShort.loadMs < 0 || kinds.length === 0) return;
        expect(() => scheduleFaults(plan, tooShort, createSeededRandom(seed))).toThrow(ScheduleError);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same schedule for the same seed, and another for another seed', () => {
    const first = scheduleFaults(defaultPlan, defaultWindow, createSeededRandom(42));
    expect(scheduleFaults(defaultPlan, defaultWindow, createSeededRandom(42))).toEqual(first);
    expect(scheduleFaults(defaultPlan, defaultWindow, createSeededRandom(43))).not.toEqual(first);
  });

  it('fits the default chaos run: 13 faults in 100 s of load', () => {
    const faults = scheduleFaults(defaultPlan, defaultWindow, createSeededRandom(7));
    expect(faults).toHaveLength(13);
    expect(faults.find((fault) => fault.kind === 'broker-restart')).toMatchObject({ outageMs: 10_000 });
  });

  it('refuses invalid plans', () => {
    expect(() => scheduleFaults({ ...defaultPlan, workers: 0 }, defaultWindow, createSeededRandom(1))).toThrow('at least one worker');
    expect(() => scheduleFaults({ ...defaultPlan, workerKills: -1 }, defaultWindow, createSeededRandom(1))).toThrow('whole numbers');
    expect(() => scheduleFaults(defaultPlan, { ...defaultWindow, gapMsMin: 1.5 }, createSeededRandom(1))).toThrow('whole numbers');
  });
});

function scheduleFaultsOrUndefined(plan: FaultPlan, window: FaultWindow, seed: number) {
  try {
    return scheduleFaults(plan, window, createSeededRandom(seed));
  } catch {
    return undefined;
  }
}
