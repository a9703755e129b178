// Keeps the outbox bounded: sent results older than the resume window are deleted, a batch at a time, by the
// relay of their partition. The relay is the one writer of its partitions' sent positions already, so pruning
// beside it needs no new coordination; and an old owner still pruning after a rebalance does no harm, since a
// batch deletes only rows that are sent and old, and the horizon only ever moves up.
import { pruneOutboxBatch } from '../db/outbox-store';
import { limits } from '../limits';

export type PruneOptions = {
  retentionMs: number;
  batchRowsMax: number;
  // Checked between batches, so a relay that stops does not wait for a long backlog.
  stopped: () => boolean;
};

export type PruneRun = { partition: number; batchRows: number[]; prunedUpTo: number }[];

const defaults: PruneOptions = { retentionMs: limits.outboxRetentionMs, batchRowsMax: limits.outboxPruneBatchRowsMax, stopped: () => false };

// Prunes each partition until a batch comes back short (nothing more is both sent and old), and answers what
// each batch deleted.
export async function pruneOutbox(partitions: readonly number[], options: Partial<PruneOptions> = {}): Promise<PruneRun> {
  const { retentionMs, batchRowsMax, stopped } = { ...defaults, ...options };
  if (!Number.isInteger(batchRowsMax) || batchRowsMax < 1) throw new Error(`batchRowsMax must be a positive integer, not ${batchRowsMax}`);
  if (!(retentionMs >= 0)) throw new Error(`retentionMs must be at least 0, not ${retentionMs}`);
  const run: PruneRun = [];
  for (const partition of partitions) {
    const batchRows: number[] = [];
    let prunedUpTo = 0;
    for (;;) {
      if (stopped()) break;
      const batch = await pruneOutboxBatch(partition, retentionMs, batchRowsMax);
      prunedUpTo = batch.prunedUpTo;
      if (batch.rowsDeleted > 0) batchRows.push(batch.rowsDeleted);
      if (batch.rowsDeleted < batchRowsMax) break;
    }
    run.push({ partition, batchRows, prunedUpTo });
  }
  return run;
}
