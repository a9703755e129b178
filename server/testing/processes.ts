// Starts the real web and worker processes for integration tests and the benchmark (the web one in
// production mode, so `next build` must have run), each in its own process group so that a test can stop,
// pause or SIGKILL it. Tests run the TypeScript sources through tsx; with BPS_PROCESS_FORM=compiled (the
// benchmark) they run what production runs: the start script's `node … dist/<entry>.mjs` (npm run build).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export type TestProcess = {
  pid: number;
  output(): string;
  signal(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
  exited(): Promise<void>;
  // The exit code once the process has exited by itself (null while it runs, or after a signal).
  exitCode(): number | null;
};

const startScripts: Record<string, string> = { 'server/web.ts': 'start:web', 'server/worker/main.ts': 'start:worker', 'server/audit/main.ts': 'start:auditor' };

// node's arguments for an entry: its start script's flags and compiled file, or tsx on the source.
function entryArguments(entry: string): string[] {
  // Read from the environment directly: a switch of the test harness, not a setting of the application.
  if (process.env.BPS_PROCESS_FORM !== 'compiled') return ['--import', 'tsx', entry];
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
  const script = scripts[startScripts[entry] ?? ''];
  if (!script) throw new Error(`no start script for ${entry}`);
  const words = script.split(/\s+/).filter((word) => !/^[A-Z_]+=/.test(word));
  // The script's first word is `node`: this very node runs it, with the script's flags.
  return words.slice(1);
}

function startProcess(entry: string, environment: Record<string, string>, nodeArguments: readonly string[] = []): TestProcess {
  let output = '';
  // node runs the entry in this one process (tsx as a loader, not a wrapper), so a signal reaches the real program.
  const child: ChildProcess = spawn(process.execPath, [...nodeArguments, ...entryArguments(entry)], {
    // Production mode on the demo secrets, on purpose; a test of the refusal passes BPS_ALLOW_DEMO_SECRETS=false.
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', BPS_ALLOW_DEMO_SECRETS: 'true', ...environment },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Only the last part is kept: a long benchmark run would otherwise hold all of its logs.
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-outputCharactersMax);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${entry}`);
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid,
    output: () => output,
    signal: (signal) => {
      if (child.exitCode === null && child.signalCode === null) process.kill(-pid, signal);
    },
    exited: () => exit,
    exitCode: () => child.exitCode,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(-pid, 'SIGCONT');
      process.kill(-pid, 'SIGTERM');
      const timer = setTimeout(() => process.kill(-pid, 'SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

const outputCharactersMax = 1_000_000;

export type WebProcess = TestProcess & { url: string };

export async function startWebProcess(port: number, environment: Record<string, string> = {}, nodeArguments: readonly string[] = []): Promise<WebProcess> {
  const web = startProcess('server/web.ts', { PORT: String(port), ...environment }, nodeArguments);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  let exitedEarly = false;
  void web.exited().then(() => (exitedEarly = true));
  while (Date.now() < deadline && !exitedEarly) {
    try {
      await fetch(`${url}/api/health`);
      return { ...web, url };
    } catch {
      await sleep(250);
    }
  }
  await web.stop();
  throw new Error(`web process did not answer within 60 s:\n${web.output()}`);
}

// Tests start several workers at once, and other test runs may share the machine: no metrics listener (whose
// default port only one process can hold) unless a test asks for one with WORKER_METRICS_PORT.
const workerDefaults = { WORKER_METRICS_PORT: '0' };

// A web process, without waiting for it to answer (a test that expects it to refuse to start).
export function spawnWebProcess(port: number, environment: Record<string, string> = {}): TestProcess {
  return startProcess('server/web.ts', { PORT: String(port), ...environment });
}

// A worker process, without waiting for it to take up partitions (a test that expects it to refuse).
export function spawnWorkerProcess(environment: Record<string, string> = {}): TestProcess {
  return startProcess('server/worker/main.ts', { ...workerDefaults, ...environment, LOG_LEVEL: 'info' });
}

// Resolves once the worker has been assigned its partitions and claimed them.
export async function startWorkerProcess(environment: Record<string, string> = {}, nodeArguments: readonly string[] = []): Promise<TestProcess> {
  // Readiness is read from the worker's info log, so its level stays at info whatever the caller asks.
  const worker = startProcess('server/worker/main.ts', { ...workerDefaults, ...environment, LOG_LEVEL: 'info' }, nodeArguments);
  await pollUntil(async () => worker.output(), (output) => output.includes('partitions assigned'), 60_000).catch(async (error: unknown) => {
    await worker.stop();
    throw new Error(`worker did not get its partitions: ${String(error)}\n${worker.output()}`);
  });
  return worker;
}

// The auditor process (server/audit/main.ts); its first report follows within a cycle.
export function startAuditorProcess(environment: Record<string, string> = {}): TestProcess {
  return startProcess('server/audit/main.ts', { ...environment, LOG_LEVEL: 'info' });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Reads until done() holds. A read that throws (a connection closed under it, say) counts as "not yet".
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing read yet';
  while (Date.now() <= deadline) {
    try {
      const value = await read();
      if (done(value)) return value;
      last = typeof value === 'string' ? value.slice(-500) : JSON.stringify(value);
    } catch (error) {
      last = String(error);
    }
    await sleep(250);
  }
  throw new Error(`condition not met within ${timeoutMs} ms; last read: ${last}`);
}
