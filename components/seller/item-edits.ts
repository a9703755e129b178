// A seller's edit is answered 202 when appended; the item changes when its partition owner applies it, and
// stock.changed brings the whole item then. Until the item shows every change asked for, its row says
// "saving…". Pure, so it is tested without a browser.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import type { Item, ItemEditBody } from '../../server/contract';

export type PendingEdit = { changes: ItemEditBody; sentAtMs: number };

// True once the item carries every changed field as asked. The API trims a title, so the comparison does too.
export function isApplied(item: Pick<Item, 'description' | 'unitPrice' | 'lowStockThreshold' | 'archived'>, changes: ItemEditBody): boolean {
  if (changes.description !== undefined && item.description !== changes.description.trim()) return false;
  if (changes.unitPrice !== undefined && item.unitPrice !== changes.unitPrice) return false;
  if (changes.lowStockThreshold !== undefined && item.lowStockThreshold !== changes.lowStockThreshold) return false;
  if (changes.archived !== undefined && item.archived !== changes.archived) return false;
  return true;
}

// The pending edits still waiting, given the items as now shown.
export function stillPending(pending: ReadonlyMap<string, PendingEdit>, items: ReadonlyMap<string, Item>): Map<string, PendingEdit> {
  return new Map([...pending].filter(([itemId, edit]) => {
    const item = items.get(itemId);
    return item === undefined || !isApplied(item, edit.changes);
  }));
}

// A second edit of the same row before the first arrived: the newest value of each field is the one awaited.
export function combineEdits(earlier: PendingEdit | undefined, later: PendingEdit): PendingEdit {
  return earlier === undefined ? later : { changes: { ...earlier.changes, ...later.changes }, sentAtMs: later.sentAtMs };
}

// The fields of a draft that differ from the item: only those are sent, and nothing at all when none does.
export function changedFields(item: Pick<Item, 'description' | 'unitPrice' | 'lowStockThreshold'>, draft: { description: string; unitPrice: number | null; lowStockThreshold: number | null }): ItemEditBody | null {
  const changes: ItemEditBody = {};
  if (draft.description.trim() !== item.description) changes.description = draft.description.trim();
  // A price cannot be taken away (the API has no "no price"): an emptied field keeps the old one.
  if (draft.unitPrice !== null && draft.unitPrice !== item.unitPrice) changes.unitPrice = draft.unitPrice;
  if (draft.lowStockThreshold !== item.lowStockThreshold) changes.lowStockThreshold = draft.lowStockThreshold;
  return Object.keys(changes).length === 0 ? null : changes;
}

// Low stock: some left, but no more than the seller's warning level. Sold out is its own, louder state.
export function isLowStock(item: Pick<Item, 'available' | 'lowStockThreshold'>): boolean {
  return item.lowStockThreshold !== null && item.available > 0 && item.available <= item.lowStockThreshold;
}
