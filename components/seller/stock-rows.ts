// The stock table's rows, from the shared stock merge (components/stock/stock-merge.ts). Only items whose
// description is known become rows: the restock form sends an item's description back with every restock,
// so a row without one would rename the item. An item known only from an event waits for its details.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import type { Item } from '../../server/contract';
import { compareItemIds, type StockView, type StockViews } from '../stock/stock-merge';

function isDescribed(view: StockView): view is Item {
  return view.description !== undefined;
}

export function describedRows(views: StockViews): Item[] {
  return [...views.values()].filter(isDescribed).sort((left, right) => compareItemIds(left.itemId, right.itemId));
}
