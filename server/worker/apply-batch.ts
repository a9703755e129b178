// One partition batch, start to finish: fence, skip what is already applied, load, decide, write, store the
// offset. All in one Postgres transaction, so a crash leaves either the whole batch applied, offset included,
// or none of it, and Kafka's redelivery picks up from there. The batch's dead letters (records it skips) are
// written in the same transaction, so a skipped offset is never without its dead letter.
import {
  type DeadLetter,
  inBatchTransaction,
  loadStoredState,
  lockPartitionOwner,
  readStoredOffset,
  storeOffset,
  writeItems,
  writeOutbox,
  writeDeadLetters,
  writeHolds,
  writePurchases,
  writeRefunds,
  writeRestocks,
} from '../db/stock-store';
import { planBatch, skipAppliedRecords, type BatchPlan, type InputBatch } from './plan-batch';

export type PartitionBatch = {
  topic: string;
  // The epoch this worker claimed the partition number with.
  epoch: number;
  input: InputBatch;
  itemIds: readonly string[];
  purchaseIds: readonly string[];
  holdIds: readonly string[];
  restockIds: readonly string[];
  // Records of the batch that are skipped: malformed, or refused by PostgreSQL (see ./bisect-batch.ts).
  deadLetters: readonly DeadLetter[];
  // The offset after the batch's last message, dead letters included: they are skipped, not retried.
  nextOffset: bigint;
  decidedAt: string;
};

export type BatchOutcome = { status: 'fenced'; currentEpoch: number | undefined } | { status: 'applied'; plan: BatchPlan };

export function applyPartitionBatch(batch: PartitionBatch): Promise<BatchOutcome> {
  const { topic, input } = batch;
  return inBatchTransaction(async (transaction) => {
    // A worker that lost the partition while this batch was on its way finds a newer epoch and writes nothing.
    const currentEpoch = await lockPartitionOwner(transaction, input.partition);
    if (currentEpoch !== batch.epoch) return { status: 'fenced', currentEpoch };

    const storedOffset = await readStoredOffset(transaction, topic, input.partition);
    const notApplied = skipAppliedRecords(input, storedOffset);
    const stored = await loadStoredState(transaction, batch);
    const plan = planBatch(notApplied, stored, batch.decidedAt);

    await writeItems(transaction, plan.items);
    await writePurchases(transaction, plan.newPurchases);
    await writeRefunds(transaction, plan.refunds);
    await writeHolds(transaction, plan.holds);
    await writeRestocks(transaction, plan.newRestocks);
    await writeOutbox(transaction, input.partition, plan.results);
    await writeDeadLetters(transaction, topic, input.partition, batch.deadLetters);
    await storeOffset(transaction, topic, input.partition, batch.nextOffset);
    return { status: 'applied', plan };
  });
}
