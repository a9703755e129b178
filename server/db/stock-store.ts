// The worker's Postgres adapter: partition ownership, stored offsets, and the primitives of the one transaction
// per partition batch (server/worker/apply-batch.ts) that writes stock, decisions, results (outbox) and the next
// offset together. It takes and returns plain domain data; the order of the steps is the worker's.
import type { PurchaseFinishedMessage } from '../contract';
import type { ItemStock, PurchaseDecided } from '../domain/purchase';
import { topics } from '../kafka/topics';
import { limits } from '../limits';
import type { StoredPurchase, StoredRestock } from '../purchases/stored-purchase';
import type pg from 'pg';
import { getPool } from './pool';

// A connection inside BEGIN … COMMIT. Plain pg rather than Prisma: the batch transaction is on the path of
// every purchase, and its ten statements cost several times as much through Prisma (see ./pool.ts).
export type Transaction = pg.PoolClient;

export const stockChangedChannel = 'bps_stock_changed';

// Takes partition numbers for this worker: each epoch bump fences whoever wrote them before.
export async function claimPartitions(partitions: readonly number[], owner: string): Promise<Map<number, number>> {
  if (partitions.length === 0) return new Map();
  const { rows } = await getPool().query<{ partition: number; epoch: number }>(
    `INSERT INTO partition_owners (partition, epoch, owner, claimed_at)
     SELECT p, 1, $1, now() FROM unnest($2::int[]) AS p
     ON CONFLICT (partition) DO UPDATE SET epoch = partition_owners.epoch + 1, owner = EXCLUDED.owner, claimed_at = now()
     RETURNING partition, epoch`,
    [owner, [...partitions]],
  );
  return new Map(rows.map((row) => [row.partition, row.epoch]));
}

// pg hands int8 columns over as strings (a JavaScript number cannot hold every one).
export async function readOffsets(topic: string, partitions: readonly number[]): Promise<Map<number, bigint>> {
  const { rows } = await getPool().query<{ partition: number; next_offset: string }>(
    'SELECT partition, next_offset FROM consumer_offsets WHERE topic = $1 AND partition = ANY($2::int[])',
    [topic, [...partitions]],
  );
  return new Map(rows.map((row) => [row.partition, BigInt(row.next_offset)]));
}

// One partition batch is one transaction: its effects and its next offset commit together or not at all.
// Postgres's default READ COMMITTED suffices, because the partition owner's row lock orders every batch of a
// partition. Past limits.batchTransactionTimeoutMs the connection is destroyed, which rolls the transaction
// back on the server, and kafkajs retries the batch.
export async function inBatchTransaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
  const client = await getPool().connect();
  // The pool listens for errors on idle clients only. A connection the server ends while this transaction holds it
  // between statements (a PostgreSQL restart) emits 'error' on the client, which would crash the process (the
  // chaos run saw it); its next statement fails instead, and the batch is retried.
  const ignoreError = () => undefined;
  client.on('error', ignoreError);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    client.release(new Error(`batch transaction took longer than ${limits.batchTransactionTimeoutMs} ms`));
  }, limits.batchTransactionTimeoutMs);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (!timedOut) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
    client.off('error', ignoreError);
    if (!timedOut) client.release();
  }
}

// Locks the owner row of partition number N (shared by both input topics) until commit, and answers its epoch:
// a claim by a new owner waits for this batch, and this batch sees a claim that came first.
export async function lockPartitionOwner(transaction: Transaction, partition: number): Promise<number | undefined> {
  const { rows } = await transaction.query<{ epoch: number }>('SELECT epoch FROM partition_owners WHERE partition = $1 FOR UPDATE', [partition]);
  return rows[0]?.epoch;
}

// The first offset not yet applied (undefined: none applied yet). Read under the owner lock, in a statement of
// its own, so that it is the offset the lock's previous holder committed, not one from before the wait.
export async function readStoredOffset(transaction: Transaction, topic: string, partition: number): Promise<bigint | undefined> {
  const { rows } = await transaction.query<{ next_offset: string }>('SELECT next_offset FROM consumer_offsets WHERE topic = $1 AND partition = $2', [
    topic,
    partition,
  ]);
  return rows[0] === undefined ? undefined : BigInt(rows[0].next_offset);
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

// A purchases row as pg reads it: int8 as a string.
export type PgPurchaseRow = Omit<PurchaseRow, 'source_offset'> & { source_offset: string };

export function fromPgPurchaseRow(row: PgPurchaseRow): PurchaseRow {
  return { ...row, source_offset: BigInt(row.source_offset) };
}

export type StoredState = {
  items: Map<string, ItemStock>;
  purchases: Map<string, StoredPurchase>;
  restocks: Set<string>;
};

// The stored stock of the given items, the stored decisions of the given purchaseIds and which of the given
// restockIds were decided; absent ones are left out.
export async function loadStoredState(
  transaction: Transaction,
  itemIds: readonly string[],
  purchaseIds: readonly string[],
  restockIds: readonly string[],
): Promise<StoredState> {
  const itemRows = (await transaction.query<ItemRow>('SELECT item_id, description, restocked, sold, available FROM items WHERE item_id = ANY($1::text[])', [[...itemIds]])).rows;
  const purchaseRows =
    purchaseIds.length === 0
      ? []
      : (
          await transaction.query<PgPurchaseRow>(
            `SELECT purchase_id, item_id, quantity, purchased_by, created_at, status::text AS status, reason::text AS reason,
                    remaining, result_message, decided_at, source_partition, source_offset
             FROM purchases WHERE purchase_id = ANY($1::text[])`,
            [[...purchaseIds]],
          )
        ).rows;
  const restockRows =
    restockIds.length === 0
      ? []
      : (await transaction.query<{ restock_id: string }>('SELECT restock_id FROM restocks WHERE restock_id = ANY($1::text[])', [[...restockIds]])).rows;
  return {
    items: new Map(itemRows.map((row) => [row.item_id, toItemStock(row)])),
    purchases: new Map(purchaseRows.map((row) => [row.purchase_id, toStoredPurchase(fromPgPurchaseRow(row))])),
    restocks: new Set(restockRows.map((row) => row.restock_id)),
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
  await transaction.query(
    `WITH upserted AS (
       INSERT INTO items (item_id, description, restocked, sold, available, created_at, updated_at)
       SELECT * , now(), now() FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[])
       ON CONFLICT (item_id) DO UPDATE SET description = EXCLUDED.description, restocked = EXCLUDED.restocked,
         sold = EXCLUDED.sold, available = EXCLUDED.available, updated_at = now()
       RETURNING item_id, restocked, sold, available)
     SELECT pg_notify($6, json_build_object('itemId', item_id, 'restocked', restocked, 'sold', sold, 'available', available)::text)
     FROM upserted`,
    [
      items.map((item) => item.itemId),
      items.map((item) => item.description),
      items.map((item) => item.restocked),
      items.map((item) => item.sold),
      items.map((item) => item.available),
      stockChangedChannel,
    ],
  );
}

export async function writePurchases(transaction: Transaction, purchases: readonly StoredPurchase[]): Promise<void> {
  if (purchases.length === 0) return;
  await transaction.query(
    `INSERT INTO purchases (purchase_id, item_id, quantity, purchased_by, created_at, status, reason, remaining,
                            result_message, decided_at, source_partition, source_offset)
     SELECT p.id, p.item, p.quantity, p.buyer, p.created, p.status::purchase_status, p.reason::failure_reason,
            p.remaining, p.message, p.decided, p.source_partition, p.source_offset
     FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::int[],
                 $9::text[], $10::timestamptz[], $11::int[], $12::bigint[])
       AS p(id, item, quantity, buyer, created, status, reason, remaining, message, decided, source_partition, source_offset)`,
    [
      purchases.map((stored) => stored.decision.purchaseId),
      purchases.map((stored) => stored.decision.itemId),
      purchases.map((stored) => stored.decision.quantity),
      purchases.map((stored) => stored.decision.purchasedBy),
      purchases.map((stored) => stored.createdAt),
      purchases.map((stored) => (stored.decision.type === 'PurchaseSucceeded' ? 'SUCCEEDED' : 'FAILED')),
      purchases.map((stored) => (stored.decision.type === 'PurchaseFailed' ? stored.decision.reason : null)),
      purchases.map((stored) => stored.decision.remaining),
      purchases.map((stored) => stored.resultMessage),
      purchases.map((stored) => stored.decidedAt),
      purchases.map((stored) => stored.sourcePartition),
      purchases.map((stored) => stored.sourceOffset.toString()),
    ],
  );
}

export async function writeRestocks(transaction: Transaction, restocks: readonly StoredRestock[]): Promise<void> {
  if (restocks.length === 0) return;
  await transaction.query(
    `INSERT INTO restocks (restock_id, item_id, quantity, applied, decided_at, source_partition, source_offset)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::boolean[], $5::timestamptz[], $6::int[], $7::bigint[])`,
    [
      restocks.map((restock) => restock.restockId),
      restocks.map((restock) => restock.itemId),
      restocks.map((restock) => restock.quantity),
      restocks.map((restock) => restock.applied),
      restocks.map((restock) => restock.decidedAt),
      restocks.map((restock) => restock.sourcePartition),
      restocks.map((restock) => restock.sourceOffset.toString()),
    ],
  );
}

// Results wait here for the relay; partition is the input partition number they were decided in.
export async function writeOutbox(transaction: Transaction, partition: number, results: readonly PurchaseFinishedMessage[]): Promise<void> {
  if (results.length === 0) return;
  await transaction.query(
    `INSERT INTO outbox (topic, partition, key, payload)
     SELECT $1, $2, k, v::jsonb FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS r(k, v, position)
     ORDER BY position`,
    [topics.purchaseFinished, partition, results.map((result) => result.itemId), results.map((result) => JSON.stringify(result))],
  );
}

// Never backwards: a batch redelivered from below the stored offset (Kafka's group offsets trail Postgres's)
// applies nothing, and must not move the position back either, or the records after it would apply twice.
export async function storeOffset(transaction: Transaction, topic: string, partition: number, nextOffset: bigint): Promise<void> {
  await transaction.query(
    `INSERT INTO consumer_offsets (topic, partition, next_offset, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (topic, partition) DO UPDATE SET next_offset = GREATEST(consumer_offsets.next_offset, EXCLUDED.next_offset), updated_at = now()`,
    [topic, partition, nextOffset.toString()],
  );
}

// An input record the worker skips: malformed, or refused by PostgreSQL. value and key are the record's own bytes.
export type DeadLetter = { offset: bigint; reason: string; value: Buffer | null; key: Buffer | null };

// Kept as bytea, cut to the limits: text could not hold U+0000, and a record may be as large as the topic allows.
// A replay of the same records inserts nothing.
export async function writeDeadLetters(transaction: Transaction, topic: string, partition: number, deadLetters: readonly DeadLetter[]): Promise<void> {
  if (deadLetters.length === 0) return;
  await transaction.query(
    `INSERT INTO dead_letters (topic, partition, "offset", reason, first_bytes, key)
     SELECT $1, $2, d.record_offset, d.reason, d.first_bytes, d.key
     FROM unnest($3::bigint[], $4::text[], $5::bytea[], $6::bytea[]) AS d(record_offset, reason, first_bytes, key)
     ON CONFLICT (topic, partition, "offset") DO NOTHING`,
    [
      topic,
      partition,
      deadLetters.map((deadLetter) => deadLetter.offset.toString()),
      deadLetters.map((deadLetter) => deadLetter.reason),
      deadLetters.map((deadLetter) => (deadLetter.value ?? Buffer.alloc(0)).subarray(0, limits.deadLetterValueBytesMax)),
      deadLetters.map((deadLetter) => deadLetter.key?.subarray(0, limits.deadLetterKeyBytesMax) ?? null),
    ],
  );
}
