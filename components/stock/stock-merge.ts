// The one merge of stock for every page (the shop's cards and the seller's table): snapshots from
// GET /api/items and live stock.changed events arrive in any order, and a reload after a reconnect re-reads
// what was already seen. Restocked, sold and refunded only ever grow (a restock adds, a sale adds, a refund
// adds), so of two views of one item the larger of each is the newer, and keeping the larger of each makes
// those counters independent of arrival order: a late snapshot can never roll a newer event back.
// Held goes up and down (a hold adds, a confirm, cancel or expiry takes away), so it cannot be merged that
// way. It is taken from the update unless the update is older in one of the growing counters; between two
// views with equal growing counters (a hold placed, then cancelled) the later arrival wins. That can show a
// stale held count until the item's next change when an old snapshot arrives after a newer event with the
// same growing counters: stock.changed carries no version to tell them apart (see the issue-12 report).
// Available always follows from the merged counters: available = restocked − sold + refunded − held.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import type { StockChanged } from '../../server/contract';

// An item's stock as a page knows it. The description is missing while a new item's details are on their
// way: stock.changed carries none.
export type StockView = StockChanged & { description: string | undefined };
// What merges in: an item from GET /api/items (with its description) or a stock.changed event (without).
export type StockUpdate = StockChanged & { description?: string };
export type StockViews = ReadonlyMap<string, StockView>;

// True when the update saw less of some growing counter than is already known: it was read earlier.
function isOlder(known: StockView, update: StockUpdate): boolean {
  return update.restocked < known.restocked || update.sold < known.sold || update.refunded < known.refunded;
}

export function mergeItem(known: StockView | undefined, update: StockUpdate): StockView {
  const restocked = Math.max(known?.restocked ?? 0, update.restocked);
  const sold = Math.max(known?.sold ?? 0, update.sold);
  const refunded = Math.max(known?.refunded ?? 0, update.refunded);
  const held = known !== undefined && isOlder(known, update) ? known.held : update.held;
  // The item's settings (title, price, threshold, archived) change without moving a counter, so like held
  // they come from the update unless it is older in a growing counter: between equal counters the later
  // arrival wins, which is the edit's own stock.changed.
  const settings = known !== undefined && isOlder(known, update) ? known : update;
  const description = settings.description ?? update.description ?? known?.description;
  return {
    itemId: update.itemId,
    description,
    restocked,
    sold,
    refunded,
    held,
    available: restocked - sold + refunded - held,
    unitPrice: settings.unitPrice,
    lowStockThreshold: settings.lowStockThreshold,
    archived: settings.archived,
  };
}

export function mergeStock(views: StockViews, updates: readonly StockUpdate[]): StockViews {
  const merged = new Map(views);
  for (const update of updates) merged.set(update.itemId, mergeItem(merged.get(update.itemId), update));
  return merged;
}

// Of these items, the ones known only from events: their descriptions are to be fetched. Each id once.
export function undescribedItemIds(views: StockViews, itemIds: Iterable<string>): string[] {
  return [...new Set(itemIds)].filter((itemId) => views.get(itemId)?.description === undefined);
}

// Code-unit order, like GET /api/items: stable, and the same wherever an item came from.
export function compareItemIds(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
