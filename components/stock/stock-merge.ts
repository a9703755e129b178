// The one merge of stock for every page (the shop's cards, the item page and the seller's table): snapshots
// from GET /api/items and live stock.changed events arrive in any order, and a reload after a reconnect re-reads
// what was already seen. Every item carries a version that the worker raises with each change it applies, so
// of two views of one item the higher version is the newer one, whole: counters that go up and down (held), a
// price, a title or the archived flag are never rolled back by a late snapshot.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import type { StockChanged } from '../../server/contract';

// An item as a page knows it. stock.changed carries the whole item, the description included; the type keeps
// description optional for views built before their details are read.
export type StockView = Omit<StockChanged, 'description'> & { description: string | undefined };
export type StockUpdate = Omit<StockChanged, 'description'> & { description?: string };
export type StockViews = ReadonlyMap<string, StockView>;

export function mergeItem(known: StockView | undefined, update: StockUpdate): StockView {
  if (known !== undefined && known.version > update.version) {
    // An older view still names an item known only without its description: better its title than none.
    return known.description === undefined && update.description !== undefined ? { ...known, description: update.description } : known;
  }
  return { ...update, description: update.description ?? known?.description };
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
