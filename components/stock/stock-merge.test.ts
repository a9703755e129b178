// Goal: snapshots and live stock changes merge into the same stock whatever order they arrive in, and never move backwards.
import { describe, expect, it } from 'vitest';
import { compareItemIds, mergeItem, mergeStock, undescribedItemIds, type StockUpdate, type StockViews } from './stock-merge';

const dune = { itemId: 'dune', description: 'Dune', restocked: 5, sold: 2, available: 3, held: 0, refunded: 0 };
const empty: StockViews = new Map();

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

describe('mergeStock', () => {
  it('given a snapshot, takes it as it is', () => {
    expect(mergeStock(empty, [dune]).get('dune')).toEqual(dune);
  });

  it('given a newer change to a known item, applies it and keeps the description', () => {
    const merged = mergeStock(mergeStock(empty, [dune]), [{ itemId: 'dune', restocked: 5, sold: 4, available: 1, held: 0, refunded: 0 }]);
    expect(merged.get('dune')).toEqual({ ...dune, sold: 4, available: 1 });
  });

  it('given a late snapshot, never rolls a newer change back, but takes its description', () => {
    const changed = mergeStock(mergeStock(empty, [dune]), [{ itemId: 'dune', restocked: 8, sold: 4, available: 4, held: 0, refunded: 0 }]);
    const late = mergeStock(changed, [{ ...dune, description: 'Dune, paperback' }]);
    expect(late.get('dune')).toEqual({ itemId: 'dune', description: 'Dune, paperback', restocked: 8, sold: 4, available: 4, held: 0, refunded: 0 });
  });

  it('given a restock and a sale seen separately, combines both', () => {
    const soldOut = mergeItem(undefined, { ...dune, restocked: 5, sold: 5, available: 0 });
    expect(mergeItem(soldOut, { itemId: 'dune', restocked: 8, sold: 3, available: 5, held: 0, refunded: 0 })).toMatchObject({ restocked: 8, sold: 5, available: 3, held: 0, refunded: 0 });
  });

  it('given the same updates in any order, ends in the same stock', () => {
    const updates: StockUpdate[] = [
      dune,
      { itemId: 'dune', restocked: 5, sold: 3, available: 2, held: 0, refunded: 0 },
      { itemId: 'dune', restocked: 9, sold: 3, available: 6, held: 0, refunded: 0 },
      { itemId: 'dune', restocked: 9, sold: 7, available: 2, held: 0, refunded: 0 },
    ];
    const outcomes = permutations(updates).map((order) => mergeStock(empty, order).get('dune'));
    for (const outcome of outcomes) expect(outcome).toEqual({ ...dune, restocked: 9, sold: 7, available: 2 });
  });

  it('given a hold placed and then released, follows held both ways and derives available', () => {
    const held = mergeStock(mergeStock(empty, [dune]), [{ itemId: 'dune', restocked: 5, sold: 2, available: 1, held: 2, refunded: 0 }]);
    expect(held.get('dune')).toMatchObject({ held: 2, available: 1 });
    const released = mergeStock(held, [{ itemId: 'dune', restocked: 5, sold: 2, available: 3, held: 0, refunded: 0 }]);
    expect(released.get('dune')).toMatchObject({ held: 0, available: 3 });
  });

  it('given a late snapshot older in a growing counter, keeps the newer held', () => {
    const confirmed = mergeStock(empty, [{ itemId: 'dune', restocked: 5, sold: 4, available: 1, held: 0, refunded: 0 }]);
    const late = mergeStock(confirmed, [{ ...dune, sold: 2, held: 2, available: 1 }]);
    expect(late.get('dune')).toMatchObject({ sold: 4, held: 0, available: 1, description: 'Dune' });
  });

  it('given a refund, puts its units back in available, and an older view never takes it away', () => {
    const refunded = mergeStock(mergeStock(empty, [dune]), [{ itemId: 'dune', restocked: 5, sold: 2, available: 4, held: 0, refunded: 1 }]);
    expect(refunded.get('dune')).toMatchObject({ refunded: 1, available: 4 });
    expect(mergeStock(refunded, [dune]).get('dune')).toMatchObject({ refunded: 1, available: 4 });
  });

  it('given holds, sales and refunds in any order, ends with the growing counters of the newest', () => {
    const updates: StockUpdate[] = [
      dune,
      { itemId: 'dune', restocked: 5, sold: 2, available: 2, held: 1, refunded: 0 },
      { itemId: 'dune', restocked: 5, sold: 3, available: 2, held: 0, refunded: 0 },
      { itemId: 'dune', restocked: 5, sold: 3, available: 3, held: 0, refunded: 1 },
    ];
    for (const order of permutations(updates)) {
      const merged = mergeStock(empty, order).get('dune');
      expect(merged).toMatchObject({ restocked: 5, sold: 3, refunded: 1, held: 0, available: 3 });
    }
  });

  it('given an event for a new item, keeps it without a description until the details arrive', () => {
    const live = mergeStock(empty, [{ itemId: 'new', restocked: 2, sold: 0, available: 2, held: 0, refunded: 0 }]);
    expect(live.get('new')?.description).toBeUndefined();
    expect(mergeStock(live, [{ itemId: 'new', description: 'New book', restocked: 2, sold: 0, available: 2, held: 0, refunded: 0 }]).get('new')?.description).toBe('New book');
  });

  it('leaves the views it was given alone', () => {
    const before = mergeStock(empty, [dune]);
    mergeStock(before, [{ itemId: 'dune', restocked: 9, sold: 9, available: 0, held: 0, refunded: 0 }]);
    expect(before.get('dune')).toEqual(dune);
  });
});

describe('undescribedItemIds', () => {
  it('names each item known only from events, or not at all, once', () => {
    const views = mergeStock(empty, [dune, { itemId: 'new', restocked: 1, sold: 0, available: 1, held: 0, refunded: 0 }]);
    expect(undescribedItemIds(views, ['dune', 'new', 'new', 'unseen'])).toEqual(['new', 'unseen']);
  });
});

describe('compareItemIds', () => {
  it('sorts by code unit, like GET /api/items', () => {
    expect(['b', 'B', 'a', 'a-1'].sort(compareItemIds)).toEqual(['B', 'a', 'a-1', 'b']);
  });
});
