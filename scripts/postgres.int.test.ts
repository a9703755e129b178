// Goal: where no PostgreSQL answers at DATABASE_URL and no local server is set up for its port, scripts/postgres.sh
// (run by npm run up) starts the embedded one, so a machine with Node, Java and Maven alone runs the system;
// POSTGRES_EMBEDDED=true forces it; a second start is a no-op, and stop ends it. (The whole suite also runs on an
// embedded server of its own: scripts/test.sh.)
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

const dataParent = mkdtempSync(join(tmpdir(), 'bps-embedded-'));
// The server runs as the postgres user when the tests run as root: it must be able to reach its folder.
chmodSync(dataParent, 0o755);

// A port nothing listens on: the kernel's pick, released again.
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function run(script: string[], environment: Record<string, string>): string {
  // The caller's POSTGRES_EMBEDDED (true under npm test) must not decide which path is tested.
  const { POSTGRES_EMBEDDED: _ignored, ...inherited } = process.env;
  return execFileSync(script[0] ?? 'bash', script.slice(1), { env: { ...inherited, ...environment }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function version(port: number): Promise<string> {
  const client = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres`, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '';
  } finally {
    await client.end();
  }
}

const started: Record<string, string>[] = [];

afterAll(() => {
  for (const environment of started) run(['node', '--import', 'tsx', 'scripts/pg-server.ts', 'stop'], environment);
  rmSync(dataParent, { recursive: true, force: true });
});

describe('the embedded PostgreSQL', () => {
  it('starts where nothing answers and no local cluster has the port, and stops again', async () => {
    const port = await freePort();
    const environment = { DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/bps`, POSTGRES_DATA_DIR: join(dataParent, 'fallback') };
    await expect(version(port)).rejects.toThrow();
    started.push(environment);
    run(['bash', 'scripts/postgres.sh'], environment);
    expect(await version(port)).toMatch(/^18\./);
    // Idempotent: a second start finds it running.
    run(['bash', 'scripts/postgres.sh'], environment);
    run(['node', '--import', 'tsx', 'scripts/pg-server.ts', 'stop'], environment);
    await expect(version(port)).rejects.toThrow();
  });

  it('is forced by POSTGRES_EMBEDDED=true, keeps its data across a restart, and refuses a port another server holds', async () => {
    const port = await freePort();
    const environment = { DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/bps`, POSTGRES_DATA_DIR: join(dataParent, 'forced'), POSTGRES_EMBEDDED: 'true' };
    started.push(environment);
    run(['bash', 'scripts/postgres.sh'], environment);
    const client = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` });
    await client.connect();
    await client.query('CREATE TABLE kept (value int); INSERT INTO kept VALUES (7)');
    await client.end();
    run(['node', '--import', 'tsx', 'scripts/pg-server.ts', 'restart'], environment);
    const again = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` });
    await again.connect();
    expect((await again.query<{ value: number }>('SELECT value FROM kept')).rows).toEqual([{ value: 7 }]);
    await again.end();

    // Another data folder on the same port: refused with a sentence, not a half-started server.
    const clash = { ...environment, POSTGRES_DATA_DIR: join(dataParent, 'clash') };
    expect(() => run(['bash', 'scripts/postgres.sh'], clash)).toThrow(/another server already listens/);
  });
});
