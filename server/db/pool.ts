// A plain pg pool for the buy path's few hot statements (the intake insert and the result look-up). Prisma's
// raw queries go through its query compiler and adapter on every call, which measured about twice the CPU of
// the same statement on pg here; everything else keeps Prisma. Held on globalThis like the Prisma client, so
// Next's bundle and the custom server share one pool.
import pg from 'pg';
import { config } from '../config';
import { limits } from '../limits';

const holder = globalThis as typeof globalThis & { bpsPool?: pg.Pool };

export function getPool(): pg.Pool {
  holder.bpsPool ??= new pg.Pool({
    connectionString: config.DATABASE_URL,
    max: limits.hotPathPoolSizeMax,
    connectionTimeoutMillis: limits.connectTimeoutMs,
  });
  return holder.bpsPool;
}

export async function closePool(): Promise<void> {
  const pool = holder.bpsPool;
  holder.bpsPool = undefined;
  await pool?.end();
}
