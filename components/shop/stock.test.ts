// Goal: the shop's stock view never moves backwards (the higher version wins), whatever order the page load and live events arrive in, and remembers what it saw in stock.
import { describe, expect, it } from 'vitest';
import { availableNow, itemName, mergeShopItem, quantityMaxFor } from './stock';

describe('mergeShopItem', () => {
  it('given a live change older than the loaded item (a lower version), keeps the newer counts', () => {
    const loaded = mergeShopItem(undefined, { itemId: 'dune', description: 'Dune', restocked: 10, sold: 6, available: 4, held: 0, refunded: 0, unitPrice: null, lowStockThreshold: null, archived: false, version: 2 });
    const late = mergeShopItem(loaded, { itemId: 'dune', restocked: 10, sold: 4, available: 6, held: 0, refunded: 0, unitPrice: null, lowStockThreshold: null, archived: false, version: 1 });
    expect(late).toEqual({ itemId: 'dune', description: 'Dune', restocked: 10, sold: 6, available: 4, held: 0, refunded: 0, unitPrice: null, lowStockThreshold: null, archived: false, version: 2, seenInStock: true });
  });

  it('given a new item from a live event, is named by its id until the details arrive', () => {
    const live = mergeShopItem(undefined, { itemId: 'new', restocked: 2, sold: 0, available: 2, held: 0, refunded: 0, unitPrice: null, lowStockThreshold: null, archived: false, version: 1 });
    expect(itemName(live)).toBe('new');
    expect(itemName(mergeShopItem(live, { itemId: 'new', description: 'New book', restocked: 2, sold: 0, available: 2, held: 0, refunded: 0, unitPrice: null, lowStockThreshold: null, archived: false, version: 1 }))).toBe('New book');
  });

  it('given an item that sells out while watched, remembers it was in stock', () => {
    const soldOutAllAlong = mergeShopItem(undefined, { itemId: 'old', description: 'Old', restocked: 1, sold: 1, available: 0, held: 0, refunded: 0, unitPrice: null, lowStockThreshold: null, archived: false, version: 1 });
    expect(soldOutAllAlong.seenInStock).toBe(false);
    const watched = mergeShopItem(undefined, { itemId: 'dune', description: 'Dune', restocked: 2, sold: 0, available: 2, held: 0, refunded: 0, unitPrice: null, lowStockThreshold: null, archived: false, version: 1 });
    expect(mergeShopItem(watched, { itemId: 'dune', restocked: 2, sold: 2, available: 0, held: 0, refunded: 0, unitPrice: null, lowStockThreshold: null, archived: false, version: 2 }).seenInStock).toBe(true);
    expect(mergeShopItem(soldOutAllAlong, { itemId: 'old', restocked: 3, sold: 1, available: 2, held: 0, refunded: 0, unitPrice: null, lowStockThreshold: null, archived: false, version: 2 }).seenInStock).toBe(true);
  });

  it('given a sold-out snapshot that arrives after a live restock, still counts the item as seen in stock', () => {
    const restocked = mergeShopItem(undefined, { itemId: 'old', restocked: 3, sold: 1, available: 2, held: 0, refunded: 0, unitPrice: null, lowStockThreshold: null, archived: false, version: 2 });
    expect(mergeShopItem(restocked, { itemId: 'old', description: 'Old', restocked: 1, sold: 1, available: 0, held: 0, refunded: 0, unitPrice: null, lowStockThreshold: null, archived: false, version: 1 })).toMatchObject({ available: 2, seenInStock: true });
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
    expect(itemName({ itemId: 'blank', description: '   ' })).toBe('blank');
  });
});
