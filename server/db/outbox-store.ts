// The outbox's upkeep: deleting sent results once no live feed may still resume from them.
import { getPool } from './pool';

export type PrunedBatch = { rowsDeleted: number; prunedUpTo: number };

// Deletes, in one statement and so one short transaction, at most batchRowsMax rows of a partition: the
// longest run, in id order from the prune horizon, of rows that are sent (at or below sent_up_to) and older
// than the window. Stopping at the first row that is not means the deleted rows are always a prefix of the
// partition, so the horizon stored with them (pruned_up_to) is exact: every row above it is still here. (A
// batch's created_at is its transaction's start, and one may start, wait for the owner lock, and commit after a
// later one: so a young row can sit below old ones, and those wait for it.) The delete and the horizon commit
// together, so a feed's resume read sees both or neither.
export async function pruneOutboxBatch(partition: number, retentionMs: number, batchRowsMax: number): Promise<PrunedBatch> {
  const { rows } = await getPool().query<{ rows_deleted: string; pruned_up_to: string | null }>(
    `WITH position AS (
       SELECT sent_up_to, pruned_up_to FROM outbox_positions WHERE partition = $1),
     candidates AS (
       SELECT o.id, o.created_at FROM outbox o, position p
       WHERE o.partition = $1 AND o.id > p.pruned_up_to AND o.id <= p.sent_up_to
       ORDER BY o.id LIMIT $2),
     first_kept AS (
       SELECT min(id) AS id FROM candidates WHERE created_at >= now() - make_interval(secs => $3::double precision / 1000)),
     deleted AS (
       DELETE FROM outbox o USING candidates c
       WHERE o.id = c.id AND (c.id < (SELECT id FROM first_kept) OR (SELECT id FROM first_kept) IS NULL)
       RETURNING o.id),
     horizon AS (
       UPDATE outbox_positions SET pruned_up_to = GREATEST(pruned_up_to, (SELECT max(id) FROM deleted)), updated_at = now()
       WHERE partition = $1 AND EXISTS (SELECT 1 FROM deleted)
       RETURNING pruned_up_to)
     SELECT (SELECT count(*) FROM deleted) AS rows_deleted,
            COALESCE((SELECT pruned_up_to FROM horizon), (SELECT pruned_up_to FROM position)) AS pruned_up_to`,
    [partition, batchRowsMax, retentionMs],
  );
  const row = rows[0];
  // An aggregate over CTEs always yields exactly one row.
  if (!row) throw new Error('the prune statement returned no row');
  return { rowsDeleted: Number(row.rows_deleted), prunedUpTo: Number(row.pruned_up_to ?? 0) };
}
