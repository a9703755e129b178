// The benchmark's baseline, NOT a product path: a purchase done the traditional way, as a competent engineer
// would write it. One autocommitted SQL statement per purchase over a small pool of plain pg connections:
// it records the purchase and conditionally decrements the item's stock in one round trip, so the hot row's
// lock is held only for that statement and its commit. Buyers of one item queue on that lock, which is what
// the event pipeline avoids; the benchmark sweeps the pool size and compares the pipeline with the best.
import pg from 'pg';
import { config } from '../config';
import { baselineResultSchema, type BaselineResult } from '../contract';
import { limits } from '../limits';
import { componentLogger } from '../logger';

// Idempotent by purchase_id. A retry after the first answer finds the committed row in `existing`, touches no
// stock and gets the first answer again, whatever item and quantity it names. Two concurrent requests with the same new purchase_id both miss `existing`; the
// second one's INSERT then waits for the first to commit and fails with a unique violation, which rolls back
// its whole statement, its decrement included: baselinePurchase retries it once and gets the first answer.
//
// On a FAILED answer, `remaining` is read from the statement's snapshot: if this purchase waited on the row
// lock, it may be higher than the row's latest value. Only a SUCCEEDED answer's remaining is exact.
//
// All sub-statements of one statement see the same snapshot and the UPDATE re-checks `available >= $3` on the
// row's newest version after waiting for its lock, so the stock can never go below zero.
const purchaseStatement = `
WITH existing AS (
  SELECT status::text AS status, remaining FROM baseline_purchases WHERE purchase_id = $1
), decremented AS (
  UPDATE baseline_items SET available = available - $3
  WHERE item_id = $2 AND available >= $3 AND NOT EXISTS (SELECT 1 FROM existing)
  RETURNING available
), recorded AS (
  INSERT INTO baseline_purchases (purchase_id, item_id, quantity, status, remaining)
  SELECT $1, $2, $3,
    CASE WHEN EXISTS (SELECT 1 FROM decremented) THEN 'SUCCEEDED' ELSE 'FAILED' END::purchase_status,
    COALESCE((SELECT available FROM decremented), (SELECT available FROM baseline_items WHERE item_id = $2), 0)
  WHERE NOT EXISTS (SELECT 1 FROM existing)
  RETURNING status::text AS status, remaining
)
SELECT status, remaining FROM recorded
UNION ALL
SELECT status, remaining FROM existing`;

const uniqueViolation = '23505';

// Created on first use: a web process without BASELINE_ENABLED never opens it.
let pool: pg.Pool | undefined;

function getPool(): pg.Pool {
  if (pool) return pool;
  const log = componentLogger('baseline');
  pool = new pg.Pool({
    connectionString: config.DATABASE_URL,
    max: config.BASELINE_POOL_SIZE,
    connectionTimeoutMillis: limits.baselineConnectionWaitMsMax,
    statement_timeout: limits.baselineStatementTimeoutMs,
    // Connections stay open between bursts, but an idle pool never keeps a stopping process alive.
    idleTimeoutMillis: 0,
    allowExitOnIdle: true,
  });
  // An idle connection that dies (a server restart) is dropped by the pool; without a listener it would crash us.
  pool.on('error', (error) => log.warn({ err: error }, 'idle baseline connection failed'));
  return pool;
}

async function runStatement(purchaseId: string, itemId: string, quantity: number): Promise<BaselineResult> {
  // A named statement is parsed and planned once per connection.
  const { rows } = await getPool().query({ name: 'baseline-purchase', text: purchaseStatement, values: [purchaseId, itemId, quantity] });
  // Exactly one of `recorded` and `existing` has the row; anything else is a bug in the statement.
  if (rows.length !== 1) throw new Error(`baseline purchase ${purchaseId} answered ${rows.length} rows`);
  return baselineResultSchema.parse({ purchaseId, ...rows[0] });
}

export async function baselinePurchase(purchaseId: string, itemId: string, quantity: number): Promise<BaselineResult> {
  try {
    return await runStatement(purchaseId, itemId, quantity);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A concurrent request with the same purchaseId committed first: its row is visible now.
    return runStatement(purchaseId, itemId, quantity);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === uniqueViolation;
}

// For shutdown and tests: closes the pool's connections.
export async function endBaselinePool(): Promise<void> {
  const ending = pool;
  pool = undefined;
  await ending?.end();
}
