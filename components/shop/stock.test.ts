// Goal: the shop's stock view never moves backwards, whatever order the page load and live events arrive in.
import { describe, expect, it } from 'vitest';
import { availableNow, isStockChanged, itemName, mergeStock, quantityMaxFor } from './stock';

describe('mergeStock', () => {
  it('given a live change older than the loaded item, keeps the newer counts', () => {
    const loaded = mergeStock(undefined, { itemId: 'dune', description: 'Dune', restocked: 10, sold: 6, available: 4 });
    const late = mergeStock(loaded, { itemId: 'dune', restocked: 10, sold: 4, available: 6 });
    expect(late).toEqual({ itemId: 'dune', description: 'Dune', restocked: 10, sold: 6, available: 4, seenInStock: true });
  });

  it('given a restock and a sale seen separately, combines both', () => {
    const known = mergeStock(undefined, { itemId: 'dune', description: 'Dune', restocked: 5, sold: 5, available: 0 });
    const restocked = mergeStock(known, { itemId: 'dune', restocked: 8, sold: 3, available: 5 });
    expect(restocked.available).toBe(3);
  });

  it('given a new item from a live event, has no description until the details arrive', () => {
    const live = mergeStock(undefined, { itemId: 'new', restocked: 2, sold: 0, available: 2 });
    expect(live.description).toBeUndefined();
    expect(itemName(live)).toBe('new');
    expect(mergeStock(live, { itemId: 'new', description: 'New book', restocked: 2, sold: 0, available: 2 }).description).toBe('New book');
  });

  it('given an item that sells out while watched, remembers it was in stock', () => {
    const soldOutAllAlong = mergeStock(undefined, { itemId: 'old', description: 'Old', restocked: 1, sold: 1, available: 0 });
    expect(soldOutAllAlong.seenInStock).toBe(false);
    const watched = mergeStock(undefined, { itemId: 'dune', description: 'Dune', restocked: 2, sold: 0, available: 2 });
    expect(mergeStock(watched, { itemId: 'dune', restocked: 2, sold: 2, available: 0 }).seenInStock).toBe(true);
    expect(mergeStock(soldOutAllAlong, { itemId: 'old', restocked: 3, sold: 1, available: 2 }).seenInStock).toBe(true);
  });
});

describe('quantities', () => {
  it('never offers less than nothing nor more than a purchase may take', () => {
    expect(availableNow({ available: -1 })).toBe(0);
    expect(quantityMaxFor({ available: 3 })).toBe(3);
    expect(quantityMaxFor({ available: 50_000 })).toBe(10_000);
  });

  it('names an item by a short description, else by its id', () => {
    expect(itemName({ itemId: 'dune', description: 'Dune' })).toBe('Dune');
    expect(itemName({ itemId: 'long', description: 'x'.repeat(61) })).toBe('long');
  });

  it('refuses stock events of the wrong shape', () => {
    expect(isStockChanged({ itemId: 'dune', restocked: 1, sold: 0, available: 1 })).toBe(true);
    expect(isStockChanged({ itemId: 'dune', restocked: '1', sold: 0, available: 1 })).toBe(false);
    expect(isStockChanged({ restocked: 1, sold: 0, available: 1 })).toBe(false);
    expect(isStockChanged(undefined)).toBe(false);
  });
});
