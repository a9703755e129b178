// Goal: the stock table shows every described item in itemId order, whatever order snapshots and live changes arrive in.
import { describe, expect, it } from 'vitest';
import { mergeStock, undescribedItemIds, type StockViews } from '../stock/stock-merge';
import { describedRows } from './stock-rows';

const settings = { unitPrice: 1250, lowStockThreshold: null, archived: false, version: 3 };
const dune = { itemId: 'dune', description: 'Dune', restocked: 5, sold: 2, available: 3, held: 0, refunded: 0, ...settings };
const empty: StockViews = new Map();

describe('describedRows', () => {
  it('takes a snapshot as it is', () => {
    expect(describedRows(mergeStock(empty, [dune]))).toEqual([dune]);
  });

  it('given a live change before the snapshot, shows it at once and keeps it when the older snapshot arrives', () => {
    const newer = { ...dune, restocked: 8, sold: 4, available: 4, version: 5 };
    const changed = mergeStock(empty, [newer]);
    expect(describedRows(changed)).toEqual([newer]);
    expect(undescribedItemIds(changed, ['dune'])).toEqual([]);

    expect(describedRows(mergeStock(changed, [dune]))).toEqual([newer]);
  });

  it("takes a seller's edit (same counters, new settings) that arrives after the snapshot", () => {
    const edited = { ...dune, description: 'Dune (hardback)', unitPrice: 2400, lowStockThreshold: 2, archived: true, version: 4 };
    expect(describedRows(mergeStock(mergeStock(empty, [dune]), [edited]))).toEqual([edited]);
  });

  it("keeps an edit when a snapshot read before it arrives later with fewer sales", () => {
    const editedAfterSale = { ...dune, sold: 3, available: 2, unitPrice: 2400, version: 5 };
    const rows = mergeStock(mergeStock(empty, [editedAfterSale]), [dune]);
    expect(describedRows(rows)[0]).toMatchObject({ unitPrice: 2400, sold: 3 });
  });

  it('ignores an older change that arrives after a newer one', () => {
    const rows = mergeStock(mergeStock(empty, [dune]), [
      { ...dune, sold: 3, available: 2, version: 4 },
      { ...dune, sold: 2, available: 3, version: 3 },
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
