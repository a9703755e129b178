// The sign-in limits' counters in Postgres (table sign_in_throttles), so that they hold across web processes.
// An attempt locks its rows (the account's and its address's) for its whole decision: concurrent guesses queue
// on the account row instead of all slipping past the same count. Sign-ins are rare; the queue is short.
import type { PoolClient } from 'pg';
import type { Throttle } from '../auth/sign-in-policy';
import { databaseCall } from './errors';
import { getPool } from './pool';

type ThrottleRow = { scope: string; failures: number; first_failure_at: Date; last_failure_at: Date; paused_until: Date | null };

export type ThrottleWrites = ReadonlyMap<string, Throttle | null>;

// Runs decide with the current throttles of these scopes locked, then writes what it returns for each scope
// (null deletes the row) and commits.
export async function withLockedThrottles<Result>(
  scopes: readonly string[],
  decide: (throttles: ReadonlyMap<string, Throttle>) => { result: Result; writes: ThrottleWrites },
): Promise<Result> {
  return databaseCall(async () => {
    const client = await getPool().connect();
    try {
      await client.query('BEGIN');
      const throttles = await lockRows(client, scopes);
      const { result, writes } = decide(throttles);
      for (const [scope, throttle] of writes) await writeRow(client, scope, throttle);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  });
}

// Rows are created empty first (a row that does not exist cannot be locked), then locked in scope order, the same
// order for every attempt, so two attempts never wait on each other crosswise.
async function lockRows(client: PoolClient, scopes: readonly string[]): Promise<Map<string, Throttle>> {
  await client.query(
    `INSERT INTO sign_in_throttles (scope, failures, first_failure_at, last_failure_at)
     SELECT scope, 0, now(), now() FROM unnest($1::text[]) AS t(scope) ON CONFLICT (scope) DO NOTHING`,
    [scopes],
  );
  const { rows } = await client.query<ThrottleRow>('SELECT * FROM sign_in_throttles WHERE scope = ANY($1) ORDER BY scope FOR UPDATE', [scopes]);
  return new Map(
    rows
      .filter((row) => row.failures > 0)
      .map((row) => [
        row.scope,
        { failures: row.failures, firstFailureAtMs: row.first_failure_at.getTime(), lastFailureAtMs: row.last_failure_at.getTime(), pausedUntilMs: row.paused_until?.getTime() ?? null },
      ]),
  );
}

async function writeRow(client: PoolClient, scope: string, throttle: Throttle | null): Promise<void> {
  if (throttle === null) {
    await client.query('DELETE FROM sign_in_throttles WHERE scope = $1', [scope]);
    return;
  }
  await client.query('UPDATE sign_in_throttles SET failures = $2, first_failure_at = $3, last_failure_at = $4, paused_until = $5 WHERE scope = $1', [
    scope,
    throttle.failures,
    new Date(throttle.firstFailureAtMs),
    new Date(throttle.lastFailureAtMs),
    throttle.pausedUntilMs === null ? null : new Date(throttle.pausedUntilMs),
  ]);
}

// Forgets addresses idle since before the given moment (their window is over), so the table stays bounded by the
// failures of one window; the account row is one row and stays.
export async function pruneIdleAddressThrottles(idleSinceMs: number): Promise<void> {
  await databaseCall(() => getPool().query(`DELETE FROM sign_in_throttles WHERE scope LIKE 'address:%' AND last_failure_at < $1`, [new Date(idleSinceMs)]));
}
