// Pure helpers for the shop's view of stock, kept apart from React so they can be tested without a browser.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import { limits } from '../../server/limits';
import { mergeItem, type StockUpdate, type StockView } from '../stock/stock-merge';

// An item as the shop knows it. seenInStock tells whether this page has ever seen it available: an item
// that sells out while a buyer watches stays where it is; one that was sold out all along is tucked away.
export type ShopItem = StockView & { seenInStock: boolean };

// The shared merge (counters only grow, so arrival order does not matter), plus the shop's memory of
// having seen the item in stock, which only ever turns true and so is order-independent too.
export function mergeShopItem(known: ShopItem | undefined, update: StockUpdate): ShopItem {
  const merged = mergeItem(known, update);
  return { ...merged, seenInStock: (known?.seenInStock ?? false) || merged.available > 0 };
}

// What a buyer can take now. Never negative: the audit tests plant an impossible item on purpose.
export function availableNow(item: Pick<ShopItem, 'available'>): number {
  return Math.max(0, item.available);
}

export function quantityMaxFor(item: Pick<ShopItem, 'available'>): number {
  return Math.min(availableNow(item), limits.quantityMax);
}

// The name people read: the description when it is short enough for a sentence, else the id.
export function itemName(item: Pick<ShopItem, 'itemId' | 'description'>): string {
  const description = item.description?.trim();
  return description && description.length <= 60 ? description : item.itemId;
}
