// The stock table's rows, merged from snapshots (GET /api/items) and live stock.changed events, which can
// arrive in any order. An item's restocked and sold only ever grow (a restock adds, a sale adds), so keeping
// the larger of each makes the merge order-independent: a late snapshot can never roll a newer event back.
import type { ItemStock } from '@/server/domain/purchase';

export type StockRows = ReadonlyMap<string, ItemStock>;
export type StockCounts = Omit<ItemStock, 'description'>;

function newer(current: ItemStock | undefined, incoming: StockCounts, description: string): ItemStock {
  const restocked = Math.max(current?.restocked ?? 0, incoming.restocked);
  const sold = Math.max(current?.sold ?? 0, incoming.sold);
  return { itemId: incoming.itemId, description, restocked, sold, available: restocked - sold };
}

export function mergeSnapshot(rows: StockRows, items: readonly ItemStock[]): StockRows {
  const merged = new Map(rows);
  // The snapshot's description is the latest one (a restock may rename an item; events carry no description).
  for (const item of items) merged.set(item.itemId, newer(rows.get(item.itemId), item, item.description));
  return merged;
}

// Applies the changes of known items; the ids of unknown ones are returned, to be fetched with their description.
export function applyChanges(rows: StockRows, changes: readonly StockCounts[]): { rows: StockRows; unknownItemIds: string[] } {
  const merged = new Map(rows);
  const unknownItemIds = new Set<string>();
  for (const change of changes) {
    const current = merged.get(change.itemId);
    if (current) merged.set(change.itemId, newer(current, change, current.description));
    else unknownItemIds.add(change.itemId);
  }
  return { rows: merged, unknownItemIds: [...unknownItemIds] };
}

export function sortedRows(rows: StockRows): ItemStock[] {
  return [...rows.values()].sort((left, right) => (left.itemId < right.itemId ? -1 : left.itemId > right.itemId ? 1 : 0));
}
