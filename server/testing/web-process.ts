// Starts the real web process (server/web.ts in production mode, so `next build` must have run) for
// integration tests, and stops it with its whole process group.
import { spawn, type ChildProcess } from 'node:child_process';

export type WebProcess = { url: string; stop(): Promise<void>; output(): string };

export async function startWebProcess(port: number, environment: Record<string, string> = {}): Promise<WebProcess> {
  let output = '';
  const child: ChildProcess = spawn('node_modules/.bin/tsx', ['server/web.ts'], {
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), LOG_LEVEL: 'warn', ...environment },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(-child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`web process exited with ${child.exitCode}:\n${output}`);
    try {
      await fetch(`${url}/api/health`);
      return { url, stop, output: () => output };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  await stop();
  throw new Error(`web process did not answer within 60 s:\n${output}`);
}

// Reads until done() holds. A read that throws (a connection closed under it, say) counts as "not yet".
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: string = 'nothing read yet';
  while (Date.now() <= deadline) {
    try {
      const value = await read();
      if (done(value)) return value;
      last = JSON.stringify(value);
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`condition not met within ${timeoutMs} ms; last read: ${last}`);
}
