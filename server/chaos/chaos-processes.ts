// The chaos run's hands on the processes: workers under the real supervisor (scripts/supervise.sh), kill -9 of a
// worker or of one of node:cluster's web processes, and the broker's and PostgreSQL's own stop/start scripts.
// Processes are found through /proc (a supervisor's children), never by name, so nothing else is touched.
import { execFile, spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { sleep } from '../testing/processes';

const run = promisify(execFile);

// The direct children of a process (every thread's list: a child forked from any thread is listed there).
export async function childPids(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const lists = await Promise.all(tasks.map((task) => readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '')));
  return [...new Set(lists.join(' ').split(/\s+/).filter(Boolean).map(Number))].sort((a, b) => a - b);
}

async function commandOf(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ').trim();
}

// Children running `script` under node (the supervisor's pause is a `sleep` child, not a worker).
async function nodeChildren(pid: number, script: string): Promise<number[]> {
  const children = await childPids(pid);
  const commands = await Promise.all(children.map(commandOf));
  return children.filter((_, index) => commands[index]?.includes(script));
}

export type SupervisedWorker = {
  index: number;
  supervisorPid: number;
  logFile: string;
  // The worker's node process now, if one runs (none while the supervisor pauses before a restart).
  workerPid(): Promise<number | undefined>;
  // The supervisor's exit code once it has ended (it ends only on exit 0 or 78, or when stopped).
  supervisorExitCode(): number | null;
  stop(): Promise<void>;
};

// `bash scripts/supervise.sh worker-N node … dist/worker.mjs`, in a process group of its own, logging to a file.
export function startSupervisedWorker(index: number, command: readonly string[], environment: NodeJS.ProcessEnv, logFile: string): SupervisedWorker {
  const output = openSync(logFile, 'a');
  const supervisor = spawn('bash', ['scripts/supervise.sh', `worker-${index}`, ...command], { env: environment, detached: true, stdio: ['ignore', output, output] });
  closeSync(output);
  const supervisorPid = supervisor.pid;
  if (supervisorPid === undefined) throw new Error(`could not start the supervisor of worker ${index}`);
  const exited = new Promise<void>((resolve) => supervisor.once('exit', () => resolve()));
  const script = command.at(-1) ?? '';
  return {
    index,
    supervisorPid,
    logFile,
    workerPid: async () => (await nodeChildren(supervisorPid, script))[0],
    supervisorExitCode: () => supervisor.exitCode,
    async stop() {
      if (supervisor.exitCode !== null || supervisor.signalCode !== null) return;
      // The supervisor's TERM trap stops its worker and waits for it.
      process.kill(supervisorPid, 'SIGTERM');
      const timer = setTimeout(() => process.kill(-supervisorPid, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// Polls every 100 ms until `found` answers something, or undefined after timeoutMs.
async function waitFor<T>(found: () => Promise<T | undefined>, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await found();
    if (value !== undefined) return value;
    await sleep(100);
  }
  return undefined;
}

// The killed process, and when its replacement appeared (its pid; undefined if none within the wait). The kill
// returns at once, so that the next fault need not wait for a restart that may take many seconds.
export type Kill = { killedPid: number; replacement: Promise<number | undefined> };

// kill -9 of the worker's node process; undefined when none ran (the supervisor was pausing before a restart).
export async function killWorker(worker: SupervisedWorker, timeoutMs: number): Promise<Kill | undefined> {
  const pid = await worker.workerPid();
  if (pid === undefined) return undefined;
  process.kill(pid, 'SIGKILL');
  const replacement = waitFor(async () => {
    const now = await worker.workerPid();
    return now !== undefined && now !== pid ? now : undefined;
  }, timeoutMs);
  return { killedPid: pid, replacement };
}

// kill -9 of one web process of the node:cluster primary; the primary forks a replacement.
export async function killWebProcess(primaryPid: number, pick: (pids: readonly number[]) => number | undefined, timeoutMs: number): Promise<Kill | undefined> {
  const before = await childPids(primaryPid);
  const pid = pick(before);
  if (pid === undefined) return undefined;
  process.kill(pid, 'SIGKILL');
  const replacement = waitFor(async () => (await childPids(primaryPid)).find((child) => !before.includes(child)), timeoutMs);
  return { killedPid: pid, replacement };
}

// The broker's and PostgreSQL's own scripts, with the run's environment (their ports and data folders).
// A restart on a busy machine can take minutes (measured up to 2 on these two shared cores): its readiness wait is
// raised from kafka.sh's 90 s.
export async function brokerCommand(action: 'stop' | 'start'): Promise<string> {
  const { stderr } = await run('bash', ['scripts/kafka.sh', action], { env: { ...process.env, KAFKA_READY_TIMEOUT_S: '300' }, timeout: 330_000 });
  return stderr.trim();
}

export async function postgresRestart(): Promise<void> {
  await run(process.execPath, ['--import', 'tsx', 'scripts/pg-server.ts', 'restart'], { env: process.env, timeout: 120_000 });
}

// Log lines at pino's warn (40), error (50) and fatal (60) levels, and the supervisor's own lines.
export function countLogLevels(text: string): { warn: number; error: number; fatal: number; restarts: number } {
  const counts = { warn: 0, error: 0, fatal: 0, restarts: 0 };
  for (const line of text.split('\n')) {
    if (line.startsWith('supervise:') && line.includes('restarting')) counts.restarts += 1;
    const level = /"level":(\d+)/.exec(line)?.[1];
    if (level === '40') counts.warn += 1;
    else if (level === '50') counts.error += 1;
    else if (level === '60') counts.fatal += 1;
  }
  return counts;
}
