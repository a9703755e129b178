// Goal: snapshots and live stock changes merge into the same view whatever order they arrive in: the higher version wins, whole.
import { describe, expect, it } from 'vitest';
import { compareItemIds, mergeItem, mergeStock, undescribedItemIds, type StockUpdate, type StockViews } from './stock-merge';

const settings = { unitPrice: 1_250, lowStockThreshold: null, archived: false };
const dune = { itemId: 'dune', description: 'Dune', restocked: 5, sold: 2, available: 3, held: 0, refunded: 0, ...settings, version: 3 };
const empty: StockViews = new Map();

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

describe('mergeStock', () => {
  it('given a snapshot, takes it as it is', () => {
    expect(mergeStock(empty, [dune]).get('dune')).toEqual(dune);
  });

  it('given a newer change to a known item, takes it', () => {
    const merged = mergeStock(mergeStock(empty, [dune]), [{ ...dune, sold: 4, available: 1, version: 4 }]);
    expect(merged.get('dune')).toEqual({ ...dune, sold: 4, available: 1, version: 4 });
  });

  it('given a late snapshot, never rolls a newer change back: not its counters, not its price, not its title', () => {
    const changed = mergeStock(mergeStock(empty, [dune]), [{ ...dune, description: 'Dune, paperback', unitPrice: 999, held: 2, available: 1, version: 5 }]);
    expect(mergeStock(changed, [dune]).get('dune')).toEqual({ ...dune, description: 'Dune, paperback', unitPrice: 999, held: 2, available: 1, version: 5 });
  });

  it('given the same updates in any order, ends with the newest', () => {
    const updates: StockUpdate[] = [
      dune,
      { ...dune, held: 1, available: 2, version: 4 },
      { ...dune, held: 0, sold: 3, available: 2, version: 5 },
      { ...dune, sold: 3, refunded: 1, available: 3, archived: true, version: 6 },
    ];
    for (const order of permutations(updates)) {
      expect(mergeStock(empty, order).get('dune')).toEqual({ ...dune, sold: 3, refunded: 1, available: 3, archived: true, version: 6 });
    }
  });

  it('given an update without a description, keeps the one already known', () => {
    const { description: _left, ...withoutDescription } = { ...dune, version: 4 };
    expect(mergeItem(mergeItem(undefined, dune), withoutDescription)).toMatchObject({ description: 'Dune', version: 4 });
  });

  it('leaves the views it was given alone', () => {
    const before = mergeStock(empty, [dune]);
    mergeStock(before, [{ ...dune, sold: 5, available: 0, version: 9 }]);
    expect(before.get('dune')).toEqual(dune);
  });
});

describe('undescribedItemIds', () => {
  it('names each item known without its description, or not at all, once', () => {
    const { description: _left, ...bare } = { ...dune, itemId: 'new' };
    const views = mergeStock(empty, [dune, bare]);
    expect(undescribedItemIds(views, ['dune', 'new', 'new', 'unseen'])).toEqual(['new', 'unseen']);
  });
});

describe('compareItemIds', () => {
  it('sorts by code unit, like GET /api/items', () => {
    expect(['b', 'B', 'a', 'a-1'].sort(compareItemIds)).toEqual(['B', 'a', 'a-1', 'b']);
  });
});
