// The framework ceilings measured in the same run as our paths: a plain node:http server, started here in a
// child process on a free loopback port, and (by the bench itself) a trivial Next route handler.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export type PlainHttpServer = { url: string; stop(): Promise<void> };

const startTimeoutMs = 30_000;

export async function startPlainHttpServer(): Promise<PlainHttpServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/bench/plain-http-server.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the plain node:http server did not start')), startTimeoutMs);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (output.includes('\n')) {
        clearTimeout(timer);
        const port = Number(line);
        if (Number.isInteger(port) && port > 0) resolve(port);
        else reject(new Error(`the plain node:http server printed ${JSON.stringify(line)} instead of its port`));
      }
    });
    void exited.then(() => reject(new Error('the plain node:http server exited at start')));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
