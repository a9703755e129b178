// The benchmark's load client: wrk 4.1 (Debian package `wrk`), a C process far cheaper on these 2 cores than a
// Node load generator. Its Lua scripts (scripts/wrk/) print one JSON line in done(); this reads it back.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

const run = promisify(execFile);

export const wrkScriptsDirectory = path.resolve('scripts/wrk');

const countSchema = z.number().int().min(0);
const millisecondsSchema = z.number().min(0);

// What scripts/wrk/report.lua prints. Latencies in ms, from requests that were answered.
export const wrkReportSchema = z.strictObject({
  script: z.enum(['ping', 'purchase']),
  requests: countSchema,
  durationSeconds: z.number().positive(),
  bytes: countSchema,
  threads: countSchema,
  // wrk's own error counts: status counts answers with a status of 400 or more.
  errors: z.strictObject({ connect: countSchema, read: countSchema, write: countSchema, status: countSchema, timeout: countSchema }),
  latencyMs: z.strictObject({ p50: millisecondsSchema, p90: millisecondsSchema, p99: millisecondsSchema, max: millisecondsSchema, mean: millisecondsSchema }),
  // purchase.lua only: answers by HTTP status, restocks sent (restockEvery), and the seed of its item picks.
  statuses: z.record(z.string().regex(/^\d{3}$/), countSchema).optional(),
  restocks: countSchema.optional(),
  seed: z.number().int().optional(),
});
export type WrkReport = z.infer<typeof wrkReportSchema>;

// The report is the last line that starts with "{"; wrk's own text output comes before it.
export function parseWrkReport(stdout: string): WrkReport {
  const line = stdout
    .split('\n')
    .map((text) => text.trim())
    .findLast((text) => text.startsWith('{'));
  if (line === undefined) throw new Error(`wrk printed no JSON report:\n${stdout.slice(-2_000)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    throw new Error(`wrk's report is not JSON (${String(error)}): ${line.slice(0, 500)}`);
  }
  const report = wrkReportSchema.safeParse(parsed);
  if (!report.success) throw new Error(`wrk's report has the wrong shape: ${report.error.message}`);
  return report.data;
}

// Answers with one of these statuses, e.g. [200, 202]; 0 when the script does not count statuses.
export function countStatuses(report: WrkReport, statuses: readonly number[]): number {
  return statuses.reduce((total, status) => total + (report.statuses?.[String(status)] ?? 0), 0);
}

// Requests wrk gave up on or could not send: connections refused or broken, and answers past --timeout.
export function transportErrors(report: WrkReport): number {
  const { connect, read, write, timeout } = report.errors;
  return connect + read + write + timeout;
}

export type WrkRun = {
  url: string;
  script: 'ping.lua' | 'purchase.lua';
  connections: number;
  seconds: number;
  threads: number;
  // Passed after `--` to the script's init(args), e.g. ['path=/api/purchases', 'items=a,b'].
  scriptArguments?: readonly string[];
};

// wrk's timeout must outlast a blocking purchase's longest wait (10 s), or those answers would count as errors.
const wrkTimeoutSeconds = 15;

export function wrkArguments(options: WrkRun): string[] {
  if (options.threads < 1 || options.connections < options.threads) throw new Error('wrk needs at least one connection per thread');
  return [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--latency',
    '--timeout',
    `${wrkTimeoutSeconds}s`,
    '-s',
    path.join(wrkScriptsDirectory, options.script),
    options.url,
    ...(options.scriptArguments && options.scriptArguments.length > 0 ? ['--', ...options.scriptArguments] : []),
  ];
}

export async function runWrk(options: WrkRun): Promise<WrkReport> {
  const { stdout } = await run('wrk', wrkArguments(options), {
    // Its run, plus the longest a request still in flight may take, plus start-up.
    timeout: (options.seconds + wrkTimeoutSeconds + 30) * 1000,
    maxBuffer: 4 * 1024 * 1024,
  });
  return parseWrkReport(stdout);
}

// The bench needs wrk; scripts/bench.sh and .ci/run install it, so a missing one is a setup error worth naming.
export async function checkWrkInstalled(): Promise<void> {
  try {
    await run('wrk', ['--version']);
  } catch (error) {
    // wrk --version prints its usage and exits 1: that still proves it is there.
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') {
      throw new Error('wrk is not installed: apt-get install -y wrk (scripts/bench.sh does it when run as root)');
    }
  }
}
