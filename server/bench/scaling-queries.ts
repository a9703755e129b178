// bench:scaling's reads of PostgreSQL, through the plain pg pool: the progress check runs every 100 ms while
// the workers decide, and Prisma's per-query overhead would take CPU from the two cores being measured.
import { getPool } from '../db/pool';

const whole = (value: string | null | undefined) => Number(value ?? 0);

// Records of a topic the workers have applied: their stored offsets, committed in each batch's transaction.
// On fresh topics (offsets from 0) this equals the number of records decided.
export async function appliedRecords(topic: string): Promise<number> {
  const { rows } = await getPool().query<{ total: string | null }>('SELECT sum(next_offset)::text AS total FROM consumer_offsets WHERE topic = $1', [topic]);
  return whole(rows[0]?.total);
}

// Decided purchases and the batch transactions that decided them: a batch stamps all its purchases with one
// decided_at, and one partition's batches run one after another, so a (partition, decided_at) pair is one batch.
export async function decidedBatches(): Promise<{ purchases: number; succeeded: number; batches: number }> {
  const { rows } = await getPool().query<{ purchases: string; succeeded: string; batches: string }>(
    `SELECT count(*)::text AS purchases, count(*) FILTER (WHERE status IN ('SUCCEEDED', 'REFUNDED'))::text AS succeeded,
       count(DISTINCT (source_partition, decided_at))::text AS batches FROM purchases`,
  );
  return { purchases: whole(rows[0]?.purchases), succeeded: whole(rows[0]?.succeeded), batches: whole(rows[0]?.batches) };
}

// Decisions per partition owner (a worker's owner name holds its pid), by the partitions each one holds now.
export async function decisionsByOwner(): Promise<Map<string, number>> {
  const { rows } = await getPool().query<{ owner: string; decisions: string }>(
    `SELECT owner.owner, count(*)::text AS decisions FROM purchases purchase
     JOIN partition_owners owner ON owner.partition = purchase.source_partition GROUP BY owner.owner`,
  );
  return new Map(rows.map((row) => [row.owner, whole(row.decisions)]));
}

// Results decided but not yet published by the outbox relay.
export async function unpublishedResults(): Promise<number> {
  const { rows } = await getPool().query<{ count: string }>(
    `SELECT count(*)::text AS count FROM outbox
     LEFT JOIN outbox_positions position ON position.partition = outbox.partition
     WHERE outbox.id > COALESCE(position.sent_up_to, 0)`,
  );
  return whole(rows[0]?.count);
}

export type DatabaseActivity = { transactionsCommitted: number; rowsWritten: number };

// This database's counters. Backends report them at most once a second (and at exit), so a reading is only
// complete once the writers have gone.
export async function databaseActivity(): Promise<DatabaseActivity> {
  const { rows } = await getPool().query<{ commits: string; written: string }>(
    `SELECT xact_commit::text AS commits, (tup_inserted + tup_updated + tup_deleted)::text AS written
     FROM pg_stat_database WHERE datname = current_database()`,
  );
  return { transactionsCommitted: whole(rows[0]?.commits), rowsWritten: whole(rows[0]?.written) };
}
