// The worker's reads for its gauges, taken when Prometheus scrapes (never on the batch path).
import { limits } from '../limits';
import { getPool } from './pool';

// Outbox rows past each partition's relayed position, counted up to limits.outboxBacklogCountMax per partition
// through the (partition, id) index, so a scrape stays cheap however far the relay fell behind.
export async function countOutboxBacklog(partitions: readonly number[]): Promise<Map<number, number>> {
  if (partitions.length === 0) return new Map();
  const { rows } = await getPool().query<{ partition: number; rows: number }>(
    `SELECT owned.partition, backlog.rows FROM unnest($1::int[]) AS owned(partition)
     LEFT JOIN outbox_positions p ON p.partition = owned.partition
     CROSS JOIN LATERAL (
       SELECT count(*)::int AS rows FROM (
         SELECT 1 FROM outbox o WHERE o.partition = owned.partition AND o.id > COALESCE(p.sent_up_to, 0) LIMIT $2) AS unsent) AS backlog`,
    [[...partitions], limits.outboxBacklogCountMax],
  );
  return new Map(rows.map((row) => [row.partition, row.rows]));
}

export async function countDeadLetters(): Promise<number> {
  const { rows } = await getPool().query<{ rows: number }>('SELECT count(*)::int AS rows FROM dead_letters');
  return rows[0]?.rows ?? 0;
}
