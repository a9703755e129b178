// Pure helpers for the shop's view of stock, kept apart from React so they can be tested without a browser.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import { limits } from '../../server/limits';
import { mergeItem, type StockUpdate, type StockView } from '../stock/stock-merge';

// An item as the shop knows it: the shared merge of page loads and live stock.changed events.
export type ShopItem = StockView;

export function mergeShopItem(known: ShopItem | undefined, update: StockUpdate): ShopItem {
  return mergeItem(known, update);
}

// What a buyer can take now. Never negative: the audit tests plant an impossible item on purpose.
export function availableNow(item: Pick<ShopItem, 'available'>): number {
  return Math.max(0, item.available);
}

export function quantityMaxFor(item: Pick<ShopItem, 'available'>): number {
  return Math.min(availableNow(item), limits.quantityMax);
}

// Longer titles are shortened in sentences ("You bought 2 × …"); the card and the item page show them whole.
export const titleInSentenceLengthMax = 60;

// The name people read in a sentence: the title, shortened with an ellipsis when long. The id only for an
// item whose title has not arrived (a blank one): buyers never see ids otherwise.
export function itemName(item: Pick<ShopItem, 'itemId' | 'description'>): string {
  const title = item.description?.trim().replace(/\s+/g, ' ');
  if (!title) return item.itemId;
  return title.length <= titleInSentenceLengthMax ? title : `${title.slice(0, titleInSentenceLengthMax - 1).trimEnd()}…`;
}
