// Goal: a PostgreSQL restart (every connection terminated by the server) must not crash the process through an
// idle pooled connection's error; the pool then answers the next query on a new connection.
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { config } from '../config';
import { pollUntil } from '../testing/processes';
import { closePool, getPool } from './pool';

afterAll(async () => {
  await closePool();
});

it('survives the server terminating its idle connections, and connects again', async () => {
  const pool = getPool();
  const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const backend = rows[0]?.pid;
  expect(pool.idleCount).toBeGreaterThan(0);

  // What `pg_ctl restart -m fast` does to every session: the server ends it (57P01) while the pool holds it idle.
  const admin = new pg.Client({ connectionString: config.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend($1)', [backend]);
  } finally {
    await admin.end();
  }
  // The pool drops the dead client once its error arrives; without a listener that error would be thrown.
  await pollUntil(async () => pool.idleCount, (idle) => idle === 0, 10_000);

  const again = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  expect(again.rows[0]?.pid).not.toBe(backend);
});
