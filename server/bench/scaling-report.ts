// bench:scaling's results: what one run measured (written by scripts/scaling-run.ts, read back by
// scripts/scaling.ts, so checked on both sides), the figures derived from it, and the tables of all runs and
// of the medians per shape.
import { z } from 'zod';
import { shapeLabel, type ScalingShape } from './scaling-plan';
import { formatNumber, median, textTable } from './statistics';

const count = z.number().int().min(0);
const seconds = z.number().min(0);

export const scalingRunResultSchema = z.strictObject({
  shape: z.strictObject({ partitions: z.number().int().min(1), workers: z.number().int().min(1) }),
  repeat: z.number().int().min(1),
  namespace: z.string(),
  items: count,
  purchases: count,
  succeeded: count,
  // Appending the backlog in its transaction, before the measurement (informative only).
  appendSeconds: seconds,
  // From the backlog's commit, when the workers could first see it, until every purchase was decided.
  wallSeconds: seconds,
  // From the commit until every result was on the result topic.
  publishedSeconds: seconds,
  // CPU seconds taken during the window.
  cpuSeconds: z.strictObject({
    workers: z.array(seconds),
    postgres: seconds,
    broker: seconds,
    // The process measuring (its 100 ms progress query).
    runner: seconds,
    // All cores together, from /proc/stat.
    machineBusy: seconds,
    machineIdle: seconds,
  }),
  // Decisions per worker process (all of the backlog), by the partitions it owned at the end.
  decisionsPerWorker: z.array(count),
  batches: count,
  transactionsCommitted: count,
  rowsWritten: count,
  // A worker took up partitions again during the window (a session that timed out on the loaded machine, say).
  rebalanced: z.boolean(),
  loadAverage: z.strictObject({ start: z.number(), end: z.number() }),
});
export type ScalingRunResult = z.infer<typeof scalingRunResultSchema>;

export type ScalingFigures = {
  decisionsPerSecond: number;
  perPartitionPerSecond: number;
  perWorkerPerSecond: number;
  // CPU seconds per wall second: 1 is one core kept busy.
  workerCores: number;
  postgresCores: number;
  brokerCores: number;
  // Every other process on the machine (other people's work, this benchmark's runner included).
  otherCores: number;
  idleCores: number;
  // What one CPU-second buys, whatever else shared the cores: of the workers alone, and of the workers,
  // PostgreSQL and the broker together.
  decisionsPerWorkerCpuSecond: number;
  decisionsPerServiceCpuSecond: number;
  purchasesPerBatch: number;
  rowsWrittenPerSecond: number;
};

export function deriveFigures(result: ScalingRunResult): ScalingFigures {
  const { cpuSeconds, wallSeconds, shape } = result;
  const decided = result.purchases;
  const decisionsPerSecond = decided / wallSeconds;
  const workers = cpuSeconds.workers.reduce((sum, value) => sum + value, 0);
  const others = cpuSeconds.machineBusy - workers - cpuSeconds.postgres - cpuSeconds.broker;
  return {
    decisionsPerSecond,
    perPartitionPerSecond: decisionsPerSecond / shape.partitions,
    perWorkerPerSecond: decisionsPerSecond / shape.workers,
    workerCores: workers / wallSeconds,
    postgresCores: cpuSeconds.postgres / wallSeconds,
    brokerCores: cpuSeconds.broker / wallSeconds,
    // Clamped: the readings are a few milliseconds apart, so the difference can dip just below zero.
    otherCores: Math.max(0, others) / wallSeconds,
    idleCores: cpuSeconds.machineIdle / wallSeconds,
    decisionsPerWorkerCpuSecond: decided / workers,
    decisionsPerServiceCpuSecond: decided / (workers + cpuSeconds.postgres + cpuSeconds.broker),
    purchasesPerBatch: result.purchases / Math.max(1, result.batches),
    rowsWrittenPerSecond: result.rowsWritten / wallSeconds,
  };
}

const header = ['P×W', 'run', 'wall s', 'decided/s', '/partition', '/worker', 'worker cores', 'PG cores', 'broker cores', 'other cores', 'idle cores', 'per worker CPU-s', 'per service CPU-s', 'purch./batch', 'rows/s', 'load 1m'];

type Line = { label: string; run: string; wallSeconds: number; loadAverage: number; figures: ScalingFigures };

function cells(line: Line): string[] {
  const { figures } = line;
  return [
    line.label, line.run, formatNumber(line.wallSeconds), formatNumber(figures.decisionsPerSecond), formatNumber(figures.perPartitionPerSecond), formatNumber(figures.perWorkerPerSecond),
    formatNumber(figures.workerCores), formatNumber(figures.postgresCores), formatNumber(figures.brokerCores), formatNumber(figures.otherCores), formatNumber(figures.idleCores),
    formatNumber(figures.decisionsPerWorkerCpuSecond), formatNumber(figures.decisionsPerServiceCpuSecond),
    formatNumber(figures.purchasesPerBatch), formatNumber(figures.rowsWrittenPerSecond), formatNumber(line.loadAverage),
  ];
}

function runLine(result: ScalingRunResult): Line {
  const notes = [result.rebalanced ? 'rebalanced' : '', result.succeeded < result.purchases ? `${result.purchases - result.succeeded} failed` : ''].filter(Boolean);
  return {
    label: shapeLabel(result.shape),
    run: `${result.repeat}${notes.length === 0 ? '' : ` (${notes.join(', ')})`}`,
    wallSeconds: result.wallSeconds,
    loadAverage: result.loadAverage.start,
    figures: deriveFigures(result),
  };
}

export function runsTable(results: readonly ScalingRunResult[]): string {
  return textTable(header, results.map((result) => cells(runLine(result))));
}

// One line per shape, in the order the shapes were first run: the median of each column over its runs.
export function mediansTable(results: readonly ScalingRunResult[]): string {
  return textTable(header, medianLines(results).map(cells));
}

export type ShapeMedians = { shape: ScalingShape; runs: number; wallSeconds: number; loadAverage: number; figures: ScalingFigures };

export function shapeMedians(results: readonly ScalingRunResult[]): ShapeMedians[] {
  const groups = new Map<string, ScalingRunResult[]>();
  for (const result of results) groups.set(shapeLabel(result.shape), [...(groups.get(shapeLabel(result.shape)) ?? []), result]);
  return [...groups.values()].map((group) => {
    const lines = group.map(runLine);
    const of = (pick: (line: Line) => number) => median(lines.map(pick));
    const figureNames = Object.keys(lines[0]?.figures ?? {}) as (keyof ScalingFigures)[];
    const figures = Object.fromEntries(figureNames.map((name) => [name, of((line) => line.figures[name])])) as ScalingFigures;
    const shape = group[0]?.shape;
    if (!shape) throw new Error('a shape group is created with the result that names it, so it is never empty');
    return { shape, runs: group.length, wallSeconds: of((line) => line.wallSeconds), loadAverage: of((line) => line.loadAverage), figures };
  });
}

function medianLines(results: readonly ScalingRunResult[]): Line[] {
  return shapeMedians(results).map((medians) => ({ label: shapeLabel(medians.shape), run: `median of ${medians.runs}`, ...medians }));
}
