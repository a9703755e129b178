// The benchmark's reads of Postgres: decisions in a time window, accepted purchases still without a result,
// restocks applied, and the row-lock baseline's books.
import { getPrisma } from '../db/client';

// Decided purchases of these items in [from, to], by the worker's decided_at.
export async function countDecided(itemIds: readonly string[], from: Date, to: Date): Promise<number> {
  const [row] = await getPrisma().$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS count FROM purchases
    WHERE item_id = ANY(${[...itemIds]}::text[]) AND decided_at BETWEEN ${from} AND ${to}`;
  return Number(row?.count ?? 0);
}

// Decided purchases of these items since `since`, with the last decision's time (for the worker's backlog).
export async function decidedSince(itemIds: readonly string[], since: Date): Promise<{ count: number; last: number }> {
  const [row] = await getPrisma().$queryRaw<{ count: bigint; last: Date | null }[]>`
    SELECT count(*) AS count, max(decided_at) AS last FROM purchases
    WHERE item_id = ANY(${[...itemIds]}::text[]) AND decided_at >= ${since}`;
  return { count: Number(row?.count ?? 0), last: row?.last?.getTime() ?? Number.NaN };
}

// Purchases the API accepted (recorded in purchase_requests) for these items that have no result yet. The
// purchases table's key is the purchaseId, so a purchase can never have two.
export async function countWithoutResult(itemIds: readonly string[]): Promise<number> {
  const [row] = await getPrisma().$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS count FROM purchase_requests request
    WHERE request.item_id = ANY(${[...itemIds]}::text[])
      AND NOT EXISTS (SELECT 1 FROM purchases purchase WHERE purchase.purchase_id = request.purchase_id)`;
  return Number(row?.count ?? 0);
}

export async function restockedTotal(itemIds: readonly string[]): Promise<{ items: number; restocked: number }> {
  const [row] = await getPrisma().$queryRaw<{ items: bigint; restocked: bigint | null }[]>`
    SELECT count(*) AS items, sum(restocked) AS restocked FROM items WHERE item_id = ANY(${[...itemIds]}::text[])`;
  return { items: Number(row?.items ?? 0), restocked: Number(row?.restocked ?? 0) };
}

export async function createBaselineItem(itemId: string, available: number): Promise<void> {
  await getPrisma().baselineItem.create({ data: { itemId, available } });
}

// The baseline's books for one item: what is left, what its SUCCEEDED purchases took, and how many it decided.
// One statement, so one snapshot: purchases still in flight when wrk stopped cannot commit between the reads.
export async function readBaselineBooks(itemId: string): Promise<{ available: number; soldQuantity: number; decided: number }> {
  const [row] = await getPrisma().$queryRaw<{ available: number; decided: bigint; sold: bigint | null }[]>`
    SELECT item.available,
      (SELECT count(*) FROM baseline_purchases purchase WHERE purchase.item_id = item.item_id) AS decided,
      (SELECT sum(quantity) FROM baseline_purchases purchase WHERE purchase.item_id = item.item_id AND purchase.status = 'SUCCEEDED') AS sold
    FROM baseline_items item WHERE item.item_id = ${itemId}`;
  if (!row) throw new Error(`baseline item ${itemId} is missing`);
  return { available: row.available, soldQuantity: Number(row.sold ?? 0), decided: Number(row.decided) };
}
