// npm run bench:scaling (scripts/scaling.sh starts its own broker and PostgreSQL, and builds): how decisions
// per second move with partitions and worker processes on this machine. Each shape (partitions × workers) runs
// `repeats` times, the repeats interleaved, each run in a process of its own (scripts/scaling-run.ts) on fresh
// topics and a fresh database. Prints every run and the medians per shape; writes bench-results/scaling-<time>/.
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultShapes, interleave, parseShapes, runNamespace, shapeLabel, type PlannedRun } from '../server/bench/scaling-plan';
import { mediansTable, runsTable, scalingRunResultSchema, shapeMedians, type ScalingRunResult } from '../server/bench/scaling-report';
import { limits } from '../server/limits';

const { values: options } = parseArgs({
  options: {
    shapes: { type: 'string', default: defaultShapes },
    repeats: { type: 'string', default: '2' },
    items: { type: 'string', default: '240' },
    purchases: { type: 'string', default: '60000' },
    'postgres-data': { type: 'string' },
    'kafka-data': { type: 'string' },
  },
});

function positive(name: 'repeats' | 'items' | 'purchases', maximum: number): number {
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < 1 || value > maximum) throw new Error(`bench:scaling: --${name} must be a whole number from 1 to ${maximum}; got ${JSON.stringify(options[name])}`);
  return value;
}

function serverData(name: 'postgres-data' | 'kafka-data'): string {
  const value = options[name];
  if (!value) throw new Error(`bench:scaling: --${name} is required (scripts/scaling.sh passes it)`);
  return value;
}

// Bounds of this benchmark's options: enough to measure for minutes, not enough to fill the disk by mistake.
const repeatsMax = 10;
const itemsMax = 10_000;
const purchasesMax = 1_000_000;

const settings = {
  shapes: parseShapes(options.shapes),
  repeats: positive('repeats', repeatsMax),
  items: positive('items', itemsMax),
  purchases: positive('purchases', purchasesMax),
  postgresData: serverData('postgres-data'),
  kafkaData: serverData('kafka-data'),
};
// Every item holds limits.quantityMax units (scaling-run.ts): a backlog beyond that would fail purchases.
if (settings.purchases > settings.items * limits.quantityMax) throw new Error(`bench:scaling: ${settings.purchases} purchases need more than ${settings.items} items of ${limits.quantityMax} units`);

const runId = Date.now().toString(36);
const startedAt = performance.now();
const outputDirectory = path.join('bench-results', `scaling-${new Date().toISOString().replace(/[:.]/g, '-')}`);

async function loadAverages(): Promise<string> {
  return (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
}

// One run in its own process: its topics and partition count are its environment's, read at its start.
async function runOnce(run: PlannedRun, index: number): Promise<ScalingRunResult> {
  const resultFile = path.join(outputDirectory, `run-${index + 1}-${run.shape.partitions}x${run.shape.workers}-r${run.repeat}.json`);
  const child = spawn(process.execPath, [
    '--import', 'tsx', 'scripts/scaling-run.ts',
    '--workers', String(run.shape.workers), '--items', String(settings.items), '--purchases', String(settings.purchases), '--repeat', String(run.repeat),
    '--run-id', runId, '--result', resultFile, '--postgres-data', settings.postgresData, '--kafka-data', settings.kafkaData,
  ], {
    env: {
      ...process.env,
      KAFKA_TOPIC_NAMESPACE: runNamespace(run, runId),
      KAFKA_TOPIC_PARTITIONS: String(run.shape.partitions),
      KAFKA_WORKER_GROUP_ID: `bps-worker-scaling-${runId}-${index + 1}`,
      // What production runs: node on dist/worker.mjs (npm run build), not tsx on the sources.
      BPS_PROCESS_FORM: 'compiled',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (exitCode !== 0) throw new Error(`run ${index + 1} (${shapeLabel(run.shape)}, repeat ${run.repeat}) exited with ${exitCode}`);
  return scalingRunResultSchema.parse(JSON.parse(await readFile(resultFile, 'utf8')));
}

async function main(): Promise<number> {
  await mkdir(outputDirectory, { recursive: true });
  const cores = availableParallelism();
  const loadAtStart = await loadAverages();
  const plan = interleave(settings.shapes, settings.repeats);
  const heading = [
    `bench:scaling ${new Date().toISOString()}: ${cores} cores, node ${process.version}; shapes ${settings.shapes.map(shapeLabel).join(', ')} (partitions × worker processes), ${settings.repeats} repeats interleaved`,
    `each run: fresh topics and database, ${settings.items} items (${limits.quantityMax} units each) spread evenly over the partitions, a backlog of ${settings.purchases} purchases (quantity 1) made visible at once`,
    `load average (1, 5, 15 min) at start: ${loadAtStart}`,
  ];
  process.stderr.write(`${heading.join('\n')}\n`);
  const results: ScalingRunResult[] = [];
  const failures: string[] = [];
  for (const [index, run] of plan.entries()) {
    try {
      results.push(await runOnce(run, index));
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  const loadAtEnd = await loadAverages();
  const totalSeconds = (performance.now() - startedAt) / 1000;
  const lines = [
    ...heading,
    '',
    runsTable(results),
    '',
    mediansTable(results),
    '',
    'wall s: from the backlog becoming visible until every purchase was decided; cores: CPU-seconds per wall second (all cores: busy + idle ≈ the core count);',
    'other: every other process on the machine; per worker/service CPU-s: decisions per CPU-second of the workers / of the workers, PostgreSQL and the broker together.',
    ...failures.map((failure) => `FAILED: ${failure}`),
    `load average (1, 5, 15 min) at end: ${loadAtEnd}; total ${Math.floor(totalSeconds / 60)} min ${Math.round(totalSeconds % 60)} s`,
  ];
  console.log(lines.join('\n'));
  const summary = { machine: { cores, node: process.version }, settings, runId, loadAverage: { start: loadAtStart, end: loadAtEnd }, runs: results, medians: shapeMedians(results), failures, totalSeconds };
  await writeFile(path.join(outputDirectory, 'results.json'), `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(path.join(outputDirectory, 'results.txt'), `${lines.join('\n')}\n`);
  process.stderr.write(`bench:scaling: wrote ${outputDirectory}/results.json and results.txt\n`);
  return failures.length === 0 ? 0 : 1;
}

process.exit(await main());
