// Pure helpers for the shop's view of stock, kept apart from React so they can be tested without a browser.
import type { StockChanged } from '@/server/db/stock-notifications';
// Relative, like every import of a unit-tested module: vitest does not resolve the '@/' alias.
import { limits } from '../../server/limits';
import { isRecord } from './api-guards';
import type { Item } from './shop-api';

// An item as the shop knows it: the description is missing while a new item's details are on their way, and
// seenInStock tells whether this page has ever seen it available (an item that sells out while a buyer
// watches stays where it is; one that was sold out all along is tucked away).
export type ShopItem = Omit<Item, 'description'> & { description: string | undefined; seenInStock: boolean };

// Restocked and sold only ever grow, so of two views of one item the larger counters are the newer. That
// makes the merge independent of arrival order: the page's initial GET and the live stock.changed events can
// race, and a reload after a reconnect can never move a count backwards.
export function mergeStock(known: ShopItem | undefined, update: StockChanged & { description?: string }): ShopItem {
  const restocked = Math.max(known?.restocked ?? 0, update.restocked);
  const sold = Math.max(known?.sold ?? 0, update.sold);
  // The latest restock's description wins on the server; one that arrives here is at least as new.
  const description = update.description ?? known?.description;
  const available = restocked - sold;
  return { itemId: update.itemId, description, restocked, sold, available, seenInStock: (known?.seenInStock ?? false) || available > 0 };
}

// What a buyer can take now. Never negative: the audit tests plant an impossible item on purpose.
export function availableNow(item: Pick<ShopItem, 'available'>): number {
  return Math.max(0, item.available);
}

export function quantityMaxFor(item: Pick<ShopItem, 'available'>): number {
  return Math.min(availableNow(item), limits.quantityMax);
}

export function isStockChanged(value: unknown): value is StockChanged {
  return (
    isRecord(value) &&
    typeof value.itemId === 'string' &&
    Number.isInteger(value.restocked) &&
    Number.isInteger(value.sold) &&
    Number.isInteger(value.available)
  );
}

// The name people read: the description when it is short enough for a sentence, else the id.
export function itemName(item: Pick<ShopItem, 'itemId' | 'description'>): string {
  const description = item.description?.trim();
  return description && description.length <= 60 ? description : item.itemId;
}
