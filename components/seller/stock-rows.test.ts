// Goal: the stock table shows every described item in itemId order, whatever order snapshots and live changes arrive in.
import { describe, expect, it } from 'vitest';
import { mergeStock, undescribedItemIds, type StockViews } from '../stock/stock-merge';
import { describedRows } from './stock-rows';

const dune = { itemId: 'dune', description: 'Dune', restocked: 5, sold: 2, available: 3, held: 0, refunded: 0, unitPrice: null, lowStockThreshold: null, archived: false, version: 1 };
const empty: StockViews = new Map();

describe('describedRows', () => {
  it('takes a snapshot as it is', () => {
    expect(describedRows(mergeStock(empty, [dune]))).toEqual([dune]);
  });

  it('given a change before the snapshot, shows the change once the snapshot names the item', () => {
    const changed = mergeStock(empty, [{ itemId: 'dune', restocked: 8, sold: 4, available: 4, held: 0, refunded: 0, unitPrice: null, lowStockThreshold: null, archived: false, version: 3 }]);
    expect(describedRows(changed)).toEqual([]);
    expect(undescribedItemIds(changed, ['dune'])).toEqual(['dune']);

    expect(describedRows(mergeStock(changed, [dune]))).toEqual([{ itemId: 'dune', description: 'Dune', restocked: 8, sold: 4, available: 4, held: 0, refunded: 0, unitPrice: null, lowStockThreshold: null, archived: false, version: 3 }]);
  });

  it('ignores an older change that arrives after a newer one', () => {
    const rows = mergeStock(mergeStock(empty, [dune]), [
      { itemId: 'dune', restocked: 5, sold: 3, available: 2, held: 0, refunded: 0, unitPrice: null, lowStockThreshold: null, archived: false, version: 2 },
      { itemId: 'dune', restocked: 5, sold: 2, available: 3, held: 0, refunded: 0, unitPrice: null, lowStockThreshold: null, archived: false, version: 1 },
    ]);
    expect(describedRows(rows)[0]?.available).toBe(2);
  });

  it('keeps an oversold item visible rather than hiding it', () => {
    expect(describedRows(mergeStock(empty, [{ ...dune, sold: 7, available: -2 }]))[0]?.available).toBe(-2);
  });

  it('sorts rows by itemId, like GET /api/items', () => {
    const rows = mergeStock(empty, [{ ...dune, itemId: 'b' }, { ...dune, itemId: 'a' }]);
    expect(describedRows(rows).map((row) => row.itemId)).toEqual(['a', 'b']);
  });
});
