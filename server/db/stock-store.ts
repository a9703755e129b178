// The worker's Postgres adapter: partition ownership, stored offsets, and the primitives of the one transaction
// per partition batch (server/worker/apply-batch.ts) that writes stock, decisions, results (outbox) and the next
// offset together. It takes and returns plain domain data; the order of the steps is the worker's.
import type { PurchaseFinishedMessage } from '../contract';
import type { FailureReason, HoldStatus, ItemStock, PurchaseDecided } from '../domain/purchase';
import { topics } from '../kafka/topics';
import { limits } from '../limits';
import { purchaseResultOf, type StoredHold, type StoredPurchase, type StoredRestock } from '../purchases/stored-purchase';
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
// That timer cannot fire in a worker that is paused (SIGSTOP, a frozen VM, a stalled host) while its transaction
// holds the partition owner's row lock: the new owner's claim would wait on that lock for as long as the pause
// lasts, and the partition would stand still although Kafka moved it (the rebalance test found this). So the
// server enforces the same bound on its side: a batch transaction idle between two statements for that long is
// ended by Postgres (SQLSTATE 25P03), its lock released; the paused worker, once it resumes, finds its
// connection gone, retries the batch, and is fenced by the new owner's epoch. A healthy batch is never idle that
// long: between its statements it only plans, in memory.
export async function inBatchTransaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
  const client = await getPool().connect();
  // The server may end the session between two statements, when no query is there to fail: pg then emits
  // 'error' on the client, which without a listener would crash the worker. The next statement fails instead.
  let connectionError: Error | undefined;
  const onConnectionError = (error: Error) => {
    connectionError = error;
  };
  client.on('error', onConnectionError);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    client.release(new Error(`batch transaction took longer than ${limits.batchTransactionTimeoutMs} ms`));
  }, limits.batchTransactionTimeoutMs);
  try {
    // One round trip: a simple query may hold several statements when it has no parameters.
    await client.query(`BEGIN; SET LOCAL idle_in_transaction_session_timeout = ${limits.batchTransactionTimeoutMs}`);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (!timedOut && connectionError === undefined) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
    if (!timedOut) releaseClient(client, connectionError, onConnectionError);
  }
}

// A connection that failed is destroyed rather than pooled; the listener stays on it, for its last errors.
function releaseClient(client: pg.PoolClient, connectionError: Error | undefined, onConnectionError: (error: Error) => void): void {
  if (connectionError !== undefined) {
    client.release(connectionError);
    return;
  }
  client.off('error', onConnectionError);
  client.release();
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

export type ItemRow = {
  item_id: string;
  description: string;
  restocked: number;
  sold: number;
  available: number;
  held: number;
  refunded: number;
  unit_price: number | null;
  low_stock_threshold: number | null;
  archived: boolean;
};
export type PurchaseRow = {
  purchase_id: string;
  item_id: string;
  quantity: number;
  purchased_by: string;
  created_at: Date;
  status: 'SUCCEEDED' | 'FAILED' | 'REFUNDED';
  reason: FailureReason | null;
  remaining: number;
  unit_price: number | null;
  total: number | null;
  result_message: string;
  decided_at: Date;
  source_partition: number;
  source_offset: bigint;
  refunded_at: Date | null;
};

// A purchases row as pg reads it: int8 as a string. A total is at most quantityMax × unitPriceMax (see
// limits.ts), so a JavaScript number holds it exactly.
export type PgPurchaseRow = Omit<PurchaseRow, 'source_offset' | 'total'> & { source_offset: string; total: string | null };

export function fromPgPurchaseRow(row: PgPurchaseRow): PurchaseRow {
  return { ...row, source_offset: BigInt(row.source_offset), total: row.total === null ? null : Number(row.total) };
}

export type PgHoldRow = {
  hold_id: string;
  item_id: string;
  quantity: number;
  held_by: string;
  status: HoldStatus;
  reason: FailureReason | null;
  remaining: number;
  unit_price: number | null;
  result_message: string;
  created_at: Date;
  expires_at: Date;
  decided_at: Date;
  updated_at: Date;
  source_partition: number;
  source_offset: string;
};

export type StoredState = {
  items: Map<string, ItemStock>;
  purchases: Map<string, StoredPurchase>;
  holds: Map<string, StoredHold>;
  restocks: Set<string>;
};

export type StateKeys = {
  itemIds: readonly string[];
  purchaseIds: readonly string[];
  holdIds: readonly string[];
  restockIds: readonly string[];
};

const purchaseColumns = `purchase_id, item_id, quantity, purchased_by, created_at, status::text AS status, reason::text AS reason,
  remaining, unit_price, total, result_message, decided_at, source_partition, source_offset, refunded_at`;
const holdColumns = `hold_id, item_id, quantity, held_by, status::text AS status, reason::text AS reason, remaining, unit_price, result_message,
  created_at, expires_at, decided_at, updated_at, source_partition, source_offset`;

// The stored stock of the given items, the stored decisions of the given purchaseIds, the stored holds of the
// given holdIds and which of the given restockIds were decided; absent ones are left out. The items of the
// holds and purchases found are loaded too: a confirm, cancel or refund is decided against its hold's or
// purchase's item, which the API names in the record, but a decision must never find its item missing.
export async function loadStoredState(transaction: Transaction, keys: StateKeys): Promise<StoredState> {
  const purchaseRows =
    keys.purchaseIds.length === 0
      ? []
      : (await transaction.query<PgPurchaseRow>(`SELECT ${purchaseColumns} FROM purchases WHERE purchase_id = ANY($1::text[])`, [[...keys.purchaseIds]])).rows;
  const holdRows =
    keys.holdIds.length === 0 ? [] : (await transaction.query<PgHoldRow>(`SELECT ${holdColumns} FROM holds WHERE hold_id = ANY($1::text[])`, [[...keys.holdIds]])).rows;
  const itemIds = new Set([...keys.itemIds, ...purchaseRows.map((row) => row.item_id), ...holdRows.map((row) => row.item_id)]);
  const itemRows = (
    await transaction.query<ItemRow>(
      `SELECT item_id, description, restocked, sold, available, held, refunded, unit_price, low_stock_threshold, archived
       FROM items WHERE item_id = ANY($1::text[])`,
      [[...itemIds]],
    )
  ).rows;
  const restockRows =
    keys.restockIds.length === 0
      ? []
      : (await transaction.query<{ restock_id: string }>('SELECT restock_id FROM restocks WHERE restock_id = ANY($1::text[])', [[...keys.restockIds]])).rows;
  return {
    items: new Map(itemRows.map((row) => [row.item_id, toItemStock(row)])),
    purchases: new Map(purchaseRows.map((row) => [row.purchase_id, toStoredPurchase(fromPgPurchaseRow(row))])),
    holds: new Map(holdRows.map((row) => [row.hold_id, toStoredHold(row)])),
    restocks: new Set(restockRows.map((row) => row.restock_id)),
  };
}

export function toItemStock(row: ItemRow): ItemStock {
  return {
    itemId: row.item_id,
    description: row.description,
    restocked: row.restocked,
    sold: row.sold,
    available: row.available,
    held: row.held,
    refunded: row.refunded,
    unitPrice: row.unit_price,
    lowStockThreshold: row.low_stock_threshold,
    archived: row.archived,
  };
}

// A REFUNDED row is a succeeded decision that was refunded later: the decision itself stays SUCCEEDED.
export function toStoredPurchase(row: PurchaseRow): StoredPurchase {
  const facts = {
    purchaseId: row.purchase_id,
    itemId: row.item_id,
    quantity: row.quantity,
    purchasedBy: row.purchased_by,
    remaining: row.remaining,
    unitPrice: row.unit_price,
    total: row.total,
  };
  const decision: PurchaseDecided =
    row.status === 'FAILED'
      ? { type: 'PurchaseFailed', ...facts, reason: row.reason ?? failWithoutReason(row.purchase_id) }
      : { type: 'PurchaseSucceeded', ...facts };
  const stored: StoredPurchase = {
    decision,
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at.toISOString(),
    resultMessage: row.result_message,
    sourcePartition: row.source_partition,
    sourceOffset: row.source_offset,
  };
  if (row.status !== 'REFUNDED') return stored;
  if (!row.refunded_at) throw new Error(`stored purchase ${row.purchase_id} REFUNDED without refunded_at`);
  return { ...stored, refundedAt: row.refunded_at.toISOString() };
}

function failWithoutReason(purchaseId: string): never {
  throw new Error(`stored purchase ${purchaseId} FAILED without a reason`);
}

export function toStoredHold(row: PgHoldRow): StoredHold {
  return {
    hold: {
      holdId: row.hold_id,
      itemId: row.item_id,
      quantity: row.quantity,
      heldBy: row.held_by,
      expiresAt: row.expires_at.toISOString(),
      unitPrice: row.unit_price,
      status: row.status,
      reason: row.reason,
    },
    remaining: row.remaining,
    resultMessage: row.result_message,
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    sourcePartition: row.source_partition,
    sourceOffset: BigInt(row.source_offset),
  };
}

// The row is rewritten whole from the state the batch loaded and decided (counters and the seller's settings):
// the item's partition owner is its one writer, so nothing else may change an items row.
// The notification is delivered to every web process on commit, for the live stock.changed event; its payload
// is the contract's stockChangedSchema, the whole item, so a seller's edit arrives live too. pg_notify refuses
// a payload of 8,000 bytes or more; the largest is far below: a description of descriptionLengthMax (500)
// UTF-16 units is at most 1,500 bytes of UTF-8 (json_build_object escapes only quote, backslash and control
// characters, to at most 2 bytes each for the tab and line feed a description may hold), an itemId 64, and
// the field names and numbers about 250.
export async function writeItems(transaction: Transaction, items: readonly ItemStock[]): Promise<void> {
  if (items.length === 0) return;
  await transaction.query(
    `WITH upserted AS (
       INSERT INTO items (item_id, description, restocked, sold, available, held, refunded, unit_price, low_stock_threshold, archived,
                          created_at, updated_at)
       SELECT *, now(), now() FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[],
                                          $8::int[], $9::int[], $10::boolean[])
       ON CONFLICT (item_id) DO UPDATE SET version = items.version + 1, description = EXCLUDED.description, restocked = EXCLUDED.restocked,
         sold = EXCLUDED.sold, available = EXCLUDED.available, held = EXCLUDED.held, refunded = EXCLUDED.refunded,
         unit_price = EXCLUDED.unit_price, low_stock_threshold = EXCLUDED.low_stock_threshold, archived = EXCLUDED.archived,
         updated_at = now()
       RETURNING item_id, version, description, restocked, sold, available, held, refunded, unit_price, low_stock_threshold, archived)
     SELECT pg_notify($11, json_build_object('itemId', item_id, 'version', version, 'description', description, 'restocked', restocked, 'sold', sold,
                                             'available', available, 'held', held, 'refunded', refunded, 'unitPrice', unit_price,
                                             'lowStockThreshold', low_stock_threshold, 'archived', archived)::text)
     FROM upserted`,
    [
      items.map((item) => item.itemId),
      items.map((item) => item.description),
      items.map((item) => item.restocked),
      items.map((item) => item.sold),
      items.map((item) => item.available),
      items.map((item) => item.held),
      items.map((item) => item.refunded),
      items.map((item) => item.unitPrice),
      items.map((item) => item.lowStockThreshold),
      items.map((item) => item.archived),
      stockChangedChannel,
    ],
  );
}

export async function writePurchases(transaction: Transaction, purchases: readonly StoredPurchase[]): Promise<void> {
  if (purchases.length === 0) return;
  await transaction.query(
    `INSERT INTO purchases (purchase_id, item_id, quantity, purchased_by, created_at, status, reason, remaining,
                            result_message, decided_at, source_partition, source_offset, refunded_at, unit_price, total)
     SELECT p.id, p.item, p.quantity, p.buyer, p.created, p.status::purchase_status, p.reason::failure_reason,
            p.remaining, p.message, p.decided, p.source_partition, p.source_offset, p.refunded, p.unit_price, p.total
     FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::int[],
                 $9::text[], $10::timestamptz[], $11::int[], $12::bigint[], $13::timestamptz[], $14::int[], $15::bigint[])
       AS p(id, item, quantity, buyer, created, status, reason, remaining, message, decided, source_partition, source_offset, refunded,
            unit_price, total)`,
    [
      purchases.map((stored) => stored.decision.purchaseId),
      purchases.map((stored) => stored.decision.itemId),
      purchases.map((stored) => stored.decision.quantity),
      purchases.map((stored) => stored.decision.purchasedBy),
      purchases.map((stored) => stored.createdAt),
      purchases.map((stored) => purchaseResultOf(stored).status),
      purchases.map((stored) => (stored.decision.type === 'PurchaseFailed' ? stored.decision.reason : null)),
      purchases.map((stored) => stored.decision.remaining),
      purchases.map((stored) => stored.resultMessage),
      purchases.map((stored) => stored.decidedAt),
      purchases.map((stored) => stored.sourcePartition),
      purchases.map((stored) => stored.sourceOffset.toString()),
      purchases.map((stored) => stored.refundedAt ?? null),
      purchases.map((stored) => stored.decision.unitPrice),
      purchases.map((stored) => stored.decision.total),
    ],
  );
}

// Purchases decided in an earlier batch and refunded in this one.
export async function writeRefunds(transaction: Transaction, refunds: readonly { purchaseId: string; refundedAt: string }[]): Promise<void> {
  if (refunds.length === 0) return;
  await transaction.query(
    `UPDATE purchases SET status = 'REFUNDED', refunded_at = r.refunded_at
     FROM unnest($1::text[], $2::timestamptz[]) AS r(purchase_id, refunded_at)
     WHERE purchases.purchase_id = r.purchase_id`,
    [refunds.map((refund) => refund.purchaseId), refunds.map((refund) => refund.refundedAt)],
  );
}

// New holds are inserted; a hold stored before changes only its state, remaining, message and updated_at: its
// first decision's time, its unit price and its source partition and offset stay (the owner of that partition
// expires it).
// A batch names each hold once (its latest state).
export async function writeHolds(transaction: Transaction, holds: readonly StoredHold[]): Promise<void> {
  if (holds.length === 0) return;
  await transaction.query(
    `INSERT INTO holds (hold_id, item_id, quantity, held_by, status, reason, remaining, result_message, created_at, expires_at,
                        decided_at, updated_at, source_partition, source_offset, unit_price)
     SELECT h.id, h.item, h.quantity, h.holder, h.status::hold_status, h.reason::failure_reason, h.remaining, h.message,
            h.created, h.expires, h.decided, h.updated, h.source_partition, h.source_offset, h.unit_price
     FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[],
                 $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::int[], $14::bigint[], $15::int[])
       AS h(id, item, quantity, holder, status, reason, remaining, message, created, expires, decided, updated, source_partition, source_offset,
            unit_price)
     ON CONFLICT (hold_id) DO UPDATE SET status = EXCLUDED.status, remaining = EXCLUDED.remaining,
       result_message = EXCLUDED.result_message, updated_at = EXCLUDED.updated_at`,
    [
      holds.map((stored) => stored.hold.holdId),
      holds.map((stored) => stored.hold.itemId),
      holds.map((stored) => stored.hold.quantity),
      holds.map((stored) => stored.hold.heldBy),
      holds.map((stored) => stored.hold.status),
      holds.map((stored) => stored.hold.reason),
      holds.map((stored) => stored.remaining),
      holds.map((stored) => stored.resultMessage),
      holds.map((stored) => stored.createdAt),
      holds.map((stored) => stored.hold.expiresAt),
      holds.map((stored) => stored.decidedAt),
      holds.map((stored) => stored.updatedAt),
      holds.map((stored) => stored.sourcePartition),
      holds.map((stored) => stored.sourceOffset.toString()),
      holds.map((stored) => stored.hold.unitPrice),
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

// A HELD hold whose expiry is due: what its partition owner needs to append the ExpireHold.
export type DueHold = { holdId: string; itemId: string; sourcePartition: number; expiresAt: string };

// The HELD holds of the given partitions that expired before dueBefore, oldest first, at most limit of them
// (the index holds_source_partition_status_expires_at_idx serves exactly this). Those in skipped (expiries
// appended a moment ago, not decided yet) are left out, so they cannot crowd out holds due after them.
export async function findDueHolds(partitions: readonly number[], dueBefore: string, skipped: readonly string[], limit: number): Promise<DueHold[]> {
  if (partitions.length === 0) return [];
  const { rows } = await getPool().query<{ hold_id: string; item_id: string; source_partition: number; expires_at: Date }>(
    `SELECT hold_id, item_id, source_partition, expires_at FROM holds
     WHERE source_partition = ANY($1::int[]) AND status = 'HELD' AND expires_at <= $2::timestamptz AND hold_id <> ALL($3::text[])
     ORDER BY expires_at LIMIT $4`,
    [[...partitions], dueBefore, [...skipped], limit],
  );
  return rows.map((row) => ({ holdId: row.hold_id, itemId: row.item_id, sourcePartition: row.source_partition, expiresAt: row.expires_at.toISOString() }));
}
