// The worker's Postgres adapter: partition ownership, stored offsets, and the primitives of the one transaction
// per partition batch (server/worker/apply-batch.ts) that writes stock, decisions, results (outbox) and the next
// offset together. It takes and returns plain domain data; the order of the steps is the worker's.
import type { PurchaseFinishedMessage } from '../contract';
import type { ItemStock, PurchaseDecided } from '../domain/purchase';
import { topics } from '../kafka/topics';
import { limits } from '../limits';
import type { StoredPurchase } from '../purchases/stored-purchase';
import { getPrisma } from './client';
import type { Prisma } from './generated/client';

export type Transaction = Prisma.TransactionClient;

export const stockChangedChannel = 'bps_stock_changed';

// Takes partition numbers for this worker: each epoch bump fences whoever wrote them before.
export async function claimPartitions(partitions: readonly number[], owner: string): Promise<Map<number, number>> {
  if (partitions.length === 0) return new Map();
  const rows = await getPrisma().$queryRaw<{ partition: number; epoch: number }[]>`
    INSERT INTO partition_owners (partition, epoch, owner, claimed_at)
    SELECT p, 1, ${owner}, now() FROM unnest(${[...partitions]}::int[]) AS p
    ON CONFLICT (partition) DO UPDATE SET epoch = partition_owners.epoch + 1, owner = EXCLUDED.owner, claimed_at = now()
    RETURNING partition, epoch`;
  return new Map(rows.map((row) => [row.partition, row.epoch]));
}

export async function readOffsets(topic: string, partitions: readonly number[]): Promise<Map<number, bigint>> {
  const rows = await getPrisma().$queryRaw<{ partition: number; next_offset: bigint }[]>`
    SELECT partition, next_offset FROM consumer_offsets WHERE topic = ${topic} AND partition = ANY(${[...partitions]}::int[])`;
  return new Map(rows.map((row) => [row.partition, row.next_offset]));
}

// One partition batch is one transaction: its effects and its next offset commit together or not at all.
// Postgres's default READ COMMITTED suffices, because the partition owner's row lock orders every batch of a
// partition; naming the level would cost adapter-pg an extra SET statement per transaction.
export function inBatchTransaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
  return getPrisma().$transaction(work, {
    // Past this the batch is rolled back and kafkajs retries it; waiting longer for a connection is no better.
    timeout: limits.batchTransactionTimeoutMs,
    maxWait: limits.batchTransactionTimeoutMs,
  });
}

// Locks the owner row of partition number N (shared by both input topics) until commit, and answers its epoch:
// a claim by a new owner waits for this batch, and this batch sees a claim that came first.
export async function lockPartitionOwner(transaction: Transaction, partition: number): Promise<number | undefined> {
  const [owner] = await transaction.$queryRaw<{ epoch: number }[]>`
    SELECT epoch FROM partition_owners WHERE partition = ${partition} FOR UPDATE`;
  return owner?.epoch;
}

// The first offset not yet applied (undefined: none applied yet). Read under the owner lock, in a statement of
// its own, so that it is the offset the lock's previous holder committed, not one from before the wait.
export async function readStoredOffset(transaction: Transaction, topic: string, partition: number): Promise<bigint | undefined> {
  const [stored] = await transaction.$queryRaw<{ next_offset: bigint }[]>`
    SELECT next_offset FROM consumer_offsets WHERE topic = ${topic} AND partition = ${partition}`;
  return stored?.next_offset;
}

type ItemRow = { item_id: string; description: string; restocked: number; sold: number; available: number };
export type PurchaseRow = {
  purchase_id: string;
  item_id: string;
  quantity: number;
  purchased_by: string;
  created_at: Date;
  status: 'SUCCEEDED' | 'FAILED';
  reason: 'OUT_OF_STOCK' | 'UNKNOWN_ITEM' | null;
  remaining: number;
  result_message: string;
  decided_at: Date;
  source_partition: number;
  source_offset: bigint;
};

export type StoredState = {
  items: Map<string, ItemStock>;
  purchases: Map<string, StoredPurchase>;
};

// The stored stock of the given items and the stored decisions of the given purchaseIds; absent ones are left out.
export async function loadStoredState(
  transaction: Transaction,
  itemIds: readonly string[],
  purchaseIds: readonly string[],
): Promise<StoredState> {
  const [itemRows, purchaseRows] = await Promise.all([
    transaction.$queryRaw<ItemRow[]>`
      SELECT item_id, description, restocked, sold, available FROM items WHERE item_id = ANY(${[...itemIds]}::text[])`,
    purchaseIds.length === 0
      ? Promise.resolve([])
      : transaction.$queryRaw<PurchaseRow[]>`
      SELECT purchase_id, item_id, quantity, purchased_by, created_at, status::text AS status, reason::text AS reason,
             remaining, result_message, decided_at, source_partition, source_offset
      FROM purchases WHERE purchase_id = ANY(${[...purchaseIds]}::text[])`,
  ]);
  return {
    items: new Map(itemRows.map((row) => [row.item_id, toItemStock(row)])),
    purchases: new Map(purchaseRows.map((row) => [row.purchase_id, toStoredPurchase(row)])),
  };
}

function toItemStock(row: ItemRow): ItemStock {
  return { itemId: row.item_id, description: row.description, restocked: row.restocked, sold: row.sold, available: row.available };
}

export function toStoredPurchase(row: PurchaseRow): StoredPurchase {
  const facts = {
    purchaseId: row.purchase_id,
    itemId: row.item_id,
    quantity: row.quantity,
    purchasedBy: row.purchased_by,
    remaining: row.remaining,
  };
  const decision: PurchaseDecided =
    row.status === 'SUCCEEDED'
      ? { type: 'PurchaseSucceeded', ...facts }
      : { type: 'PurchaseFailed', ...facts, reason: row.reason ?? failWithoutReason(row.purchase_id) };
  return {
    decision,
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at.toISOString(),
    resultMessage: row.result_message,
    sourcePartition: row.source_partition,
    sourceOffset: row.source_offset,
  };
}

function failWithoutReason(purchaseId: string): never {
  throw new Error(`stored purchase ${purchaseId} FAILED without a reason`);
}

// The notification is delivered to every web process on commit, for the live stock.changed event.
export async function writeItems(transaction: Transaction, items: readonly ItemStock[]): Promise<void> {
  if (items.length === 0) return;
  await transaction.$executeRaw`
    WITH upserted AS (
      INSERT INTO items (item_id, description, restocked, sold, available, created_at, updated_at)
      SELECT * , now(), now() FROM unnest(
        ${items.map((item) => item.itemId)}::text[], ${items.map((item) => item.description)}::text[],
        ${items.map((item) => item.restocked)}::int[], ${items.map((item) => item.sold)}::int[],
        ${items.map((item) => item.available)}::int[])
      ON CONFLICT (item_id) DO UPDATE SET description = EXCLUDED.description, restocked = EXCLUDED.restocked,
        sold = EXCLUDED.sold, available = EXCLUDED.available, updated_at = now()
      RETURNING item_id, restocked, sold, available)
    SELECT pg_notify(${stockChangedChannel}, json_build_object('itemId', item_id, 'restocked', restocked, 'sold', sold, 'available', available)::text)
    FROM upserted`;
}

export async function writePurchases(transaction: Transaction, purchases: readonly StoredPurchase[]): Promise<void> {
  if (purchases.length === 0) return;
  await transaction.$executeRaw`
    INSERT INTO purchases (purchase_id, item_id, quantity, purchased_by, created_at, status, reason, remaining,
                           result_message, decided_at, source_partition, source_offset)
    SELECT p.id, p.item, p.quantity, p.buyer, p.created, p.status::purchase_status, p.reason::failure_reason,
           p.remaining, p.message, p.decided, p.source_partition, p.source_offset
    FROM unnest(
      ${purchases.map((stored) => stored.decision.purchaseId)}::text[],
      ${purchases.map((stored) => stored.decision.itemId)}::text[],
      ${purchases.map((stored) => stored.decision.quantity)}::int[],
      ${purchases.map((stored) => stored.decision.purchasedBy)}::text[],
      ${purchases.map((stored) => stored.createdAt)}::timestamptz[],
      ${purchases.map((stored) => (stored.decision.type === 'PurchaseSucceeded' ? 'SUCCEEDED' : 'FAILED'))}::text[],
      ${purchases.map((stored) => (stored.decision.type === 'PurchaseFailed' ? stored.decision.reason : null))}::text[],
      ${purchases.map((stored) => stored.decision.remaining)}::int[],
      ${purchases.map((stored) => stored.resultMessage)}::text[],
      ${purchases.map((stored) => stored.decidedAt)}::timestamptz[],
      ${purchases.map((stored) => stored.sourcePartition)}::int[],
      ${purchases.map((stored) => stored.sourceOffset.toString())}::bigint[]
    ) AS p(id, item, quantity, buyer, created, status, reason, remaining, message, decided, source_partition, source_offset)`;
}

// Results wait here for the relay; partition is the input partition number they were decided in.
export async function writeOutbox(transaction: Transaction, partition: number, results: readonly PurchaseFinishedMessage[]): Promise<void> {
  if (results.length === 0) return;
  await transaction.$executeRaw`
    INSERT INTO outbox (topic, partition, key, payload)
    SELECT ${topics.purchaseFinished}, ${partition}, k, v::jsonb
    FROM unnest(${results.map((result) => result.itemId)}::text[], ${results.map((result) => JSON.stringify(result))}::text[])
      WITH ORDINALITY AS r(k, v, position)
    ORDER BY position`;
}

export async function storeOffset(transaction: Transaction, topic: string, partition: number, nextOffset: bigint): Promise<void> {
  await transaction.$executeRaw`
    INSERT INTO consumer_offsets (topic, partition, next_offset, updated_at)
    VALUES (${topic}, ${partition}, ${nextOffset}, now())
    ON CONFLICT (topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()`;
}
