// Goal: bench:scaling derives its figures right (rates, cores, batch size), takes medians per shape, and refuses a malformed run result.
import { describe, expect, it } from 'vitest';
import { deriveFigures, mediansTable, runsTable, scalingRunResultSchema, shapeMedians, type ScalingRunResult } from './scaling-report';

const result = (partitions: number, workers: number, repeat: number, wallSeconds: number): ScalingRunResult => ({
  shape: { partitions, workers },
  repeat,
  namespace: `scale${partitions}p${workers}wabcr${repeat}.`,
  items: 240,
  purchases: 60_000,
  succeeded: 60_000,
  appendSeconds: 2,
  wallSeconds,
  publishedSeconds: wallSeconds + 1,
  cpuSeconds: { workers: Array.from({ length: workers }, () => wallSeconds / workers), postgres: 0.5 * wallSeconds, broker: 0.25 * wallSeconds, runner: 0.05, machineBusy: 1.9 * wallSeconds, machineIdle: 0.1 * wallSeconds },
  decisionsPerWorker: Array.from({ length: workers }, () => 60_000 / workers),
  batches: 30,
  transactionsCommitted: 400,
  rowsWritten: 120_300,
  rebalanced: false,
  loadAverage: { start: 3.5, end: 4 },
});

describe('deriveFigures', () => {
  it('turns a run into rates per second, per partition and per worker, cores and batch size', () => {
    const figures = deriveFigures(result(12, 4, 1, 10));
    const rounded = Object.fromEntries(Object.entries(figures).map(([name, value]) => [name, Math.round(value * 1000) / 1000]));
    expect(rounded).toEqual({
      decisionsPerSecond: 6_000,
      perPartitionPerSecond: 500,
      perWorkerPerSecond: 1_500,
      workerCores: 1,
      postgresCores: 0.5,
      brokerCores: 0.25,
      otherCores: 0.15,
      idleCores: 0.1,
      decisionsPerWorkerCpuSecond: 6_000,
      decisionsPerServiceCpuSecond: 3_428.571,
      purchasesPerBatch: 2_000,
      rowsWrittenPerSecond: 12_030,
    });
  });

  it('never reports fewer than no other cores', () => {
    const quiet = result(3, 1, 1, 10);
    expect(deriveFigures({ ...quiet, cpuSeconds: { ...quiet.cpuSeconds, machineBusy: 17 } }).otherCores).toBe(0);
  });
});

describe('shapeMedians', () => {
  it('groups the runs by shape in first-run order and takes each figure’s median', () => {
    const medians = shapeMedians([result(3, 1, 1, 10), result(12, 4, 1, 6), result(3, 1, 2, 20), result(12, 4, 2, 4)]);
    expect(medians.map((entry) => [entry.shape, entry.runs, entry.wallSeconds])).toEqual([[{ partitions: 3, workers: 1 }, 2, 15], [{ partitions: 12, workers: 4 }, 2, 5]]);
    expect(medians[0]?.figures.decisionsPerSecond).toBe(4_500);
  });
});

describe('tables', () => {
  it('prints one line per run, with its notes, and one per shape for the medians', () => {
    const runs = [result(3, 1, 1, 10), { ...result(3, 1, 2, 20), rebalanced: true, succeeded: 59_990 }];
    const lines = runsTable(runs).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain('2 (rebalanced, 10 failed)');
    expect(lines[2]).toContain('6,000');
    expect(mediansTable(runs).split('\n')[2]).toContain('median of 2');
  });
});

describe('scalingRunResultSchema', () => {
  it('accepts a run result and refuses one with a missing or negative figure', () => {
    expect(scalingRunResultSchema.parse(result(3, 1, 1, 10))).toEqual(result(3, 1, 1, 10));
    expect(scalingRunResultSchema.safeParse({ ...result(3, 1, 1, 10), wallSeconds: -1 }).success).toBe(false);
    const { batches: _batches, ...withoutBatches } = result(3, 1, 1, 10);
    expect(scalingRunResultSchema.safeParse(withoutBatches).success).toBe(false);
  });
});
