// A plain pg pool for the hot statements: the web's intake insert and result look-up, the worker's batch
// transaction and its outbox relay. Prisma's raw queries go through its query compiler and adapter on every
// call: an interactive transaction of ten statements took 35 ms at the median under load here, most of it
// Prisma's, which sat straight on the path of every purchase. Everything else keeps Prisma. Held on
// globalThis like the Prisma client, so Next's bundle and the custom server share one pool.
import pg from 'pg';
import { config } from '../config';
import { limits } from '../limits';
import { componentLogger } from '../logger';

const holder = globalThis as typeof globalThis & { bpsPool?: pg.Pool };

export function getPool(): pg.Pool {
  if (holder.bpsPool) return holder.bpsPool;
  const pool = new pg.Pool({
    connectionString: config.DATABASE_URL,
    max: limits.pgPoolSizeMax,
    connectionTimeoutMillis: limits.connectTimeoutMs,
    // pg_stat_activity then says which process holds a session (npm run up's worker-2, say).
    ...(config.BPS_PROCESS_NAME === undefined ? {} : { application_name: config.BPS_PROCESS_NAME }),
  });
  // A PostgreSQL restart ends every idle connection (57P01), and pg reports it as an 'error' event on the pool,
  // which node throws when nobody listens: every worker and web process died with it (found by npm run chaos).
  // The pool has already dropped that client; the next query opens a new connection.
  // The error holds its pg client, whose serialisation would fill the log: the code and message say it all.
  pool.on('error', (error: Error & { code?: string }) => log.warn({ code: error.code, message: error.message }, 'an idle PostgreSQL connection failed; the pool drops it'));
  holder.bpsPool = pool;
  return pool;
}

const log = componentLogger('db-pool');

export async function closePool(): Promise<void> {
  const pool = holder.bpsPool;
  holder.bpsPool = undefined;
  await pool?.end();
}
