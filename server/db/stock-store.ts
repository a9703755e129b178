// The worker's Postgres adapter: partition ownership, stored offsets, and the one transaction per
// partition batch that writes stock, decisions, results (outbox) and the next offset together.
import type { ItemStock, PurchaseDecided } from '../domain/purchase';
import { topics } from '../kafka/topics';
import { limits } from '../limits';
import type { StoredPurchase } from '../purchases/stored-purchase';
import type { BatchPlan, LoadedState } from '../worker/plan-batch';
import { getPrisma } from './client';
import type { Prisma } from './generated/client';

type Transaction = Prisma.TransactionClient;

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

export type BatchRequest = {
  topic: string;
  partition: number;
  epoch: number;
  // The offset after the batch's last message, malformed ones included: they are skipped, not retried.
  nextOffset: bigint;
  itemIds: readonly string[];
  purchaseIds: readonly string[];
  // Gets the stored state plus the first offset not yet applied, and plans the records from there on.
  plan(loaded: LoadedState, appliedUpTo: bigint | undefined): BatchPlan;
};

export type BatchOutcome = { status: 'fenced'; currentEpoch: number | undefined } | { status: 'applied'; plan: BatchPlan };

export async function applyBatch(request: BatchRequest): Promise<BatchOutcome> {
  return getPrisma().$transaction(
    async (transaction) => {
      const [owner] = await transaction.$queryRaw<{ epoch: number; next_offset: bigint | null }[]>`
        SELECT o.epoch, c.next_offset FROM partition_owners o
        LEFT JOIN consumer_offsets c ON c.topic = ${request.topic} AND c.partition = o.partition
        WHERE o.partition = ${request.partition} FOR UPDATE OF o`;
      if (owner?.epoch !== request.epoch) return { status: 'fenced', currentEpoch: owner?.epoch };
      const plan = request.plan(await loadState(transaction, request.itemIds, request.purchaseIds), owner.next_offset ?? undefined);
      await writePlan(transaction, request.partition, plan);
      await transaction.$executeRaw`
        INSERT INTO consumer_offsets (topic, partition, next_offset, updated_at)
        VALUES (${request.topic}, ${request.partition}, ${request.nextOffset}, now())
        ON CONFLICT (topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()`;
      return { status: 'applied', plan };
    },
    { timeout: limits.batchTransactionTimeoutMs, maxWait: limits.batchTransactionTimeoutMs },
  );
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

async function loadState(transaction: Transaction, itemIds: readonly string[], purchaseIds: readonly string[]): Promise<LoadedState> {
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

async function writePlan(transaction: Transaction, partition: number, plan: BatchPlan): Promise<void> {
  if (plan.items.length > 0) {
    const items = plan.items;
    // The notification is delivered to every web process on commit, for the live stock.changed event.
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
  if (plan.newPurchases.length > 0) {
    const purchases = plan.newPurchases;
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
  if (plan.results.length > 0) {
    await transaction.$executeRaw`
      INSERT INTO outbox (topic, partition, key, payload)
      SELECT ${topics.purchaseFinished}, ${partition}, k, v::jsonb
      FROM unnest(${plan.results.map((result) => result.itemId)}::text[], ${plan.results.map((result) => JSON.stringify(result))}::text[])
        WITH ORDINALITY AS r(k, v, position)
      ORDER BY position`;
  }
}
