// Goal: a row says "saving…" exactly until the item shows every change asked for, only changed fields are sent, and low stock is read right.
import { describe, expect, it } from 'vitest';
import type { Item } from '../../server/contract';
import { changedFields, combineEdits, isApplied, isLowStock, stillPending } from './item-edits';

const dune: Item = { itemId: 'dune', description: 'Dune', restocked: 5, sold: 2, available: 3, held: 0, refunded: 0, unitPrice: 1250, lowStockThreshold: null, archived: false, version: 3 };

describe('isApplied', () => {
  it('is true once every changed field is as asked, and not before', () => {
    const changes = { description: '  Dune (hardback) ', unitPrice: 2400 };
    expect(isApplied(dune, changes)).toBe(false);
    expect(isApplied({ ...dune, description: 'Dune (hardback)' }, changes)).toBe(false);
    expect(isApplied({ ...dune, description: 'Dune (hardback)', unitPrice: 2400 }, changes)).toBe(true);
  });

  it('reads a cleared threshold (null) and archiving', () => {
    expect(isApplied({ ...dune, lowStockThreshold: 4 }, { lowStockThreshold: null })).toBe(false);
    expect(isApplied(dune, { lowStockThreshold: null })).toBe(true);
    expect(isApplied(dune, { archived: true })).toBe(false);
    expect(isApplied({ ...dune, archived: true }, { archived: true })).toBe(true);
  });
});

describe('stillPending', () => {
  it('drops the edits whose item arrived changed, and keeps those of items not seen yet', () => {
    const pending = new Map([
      ['dune', { changes: { archived: true }, sentAtMs: 1 }],
      ['solaris', { changes: { unitPrice: 900 }, sentAtMs: 2 }],
    ]);
    const left = stillPending(pending, new Map([['dune', { ...dune, archived: true }]]));
    expect([...left.keys()]).toEqual(['solaris']);
  });

  it('waits for the newest value when a row is edited twice before the first arrives', () => {
    const combined = combineEdits({ changes: { unitPrice: 900, archived: true }, sentAtMs: 1 }, { changes: { unitPrice: 1000 }, sentAtMs: 2 });
    expect(combined).toEqual({ changes: { unitPrice: 1000, archived: true }, sentAtMs: 2 });
    expect(isApplied({ ...dune, unitPrice: 900, archived: true }, combined.changes)).toBe(false);
  });
});

describe('changedFields', () => {
  it('sends only what differs, trimmed, and nothing when nothing does', () => {
    expect(changedFields(dune, { description: ' Dune ', unitPrice: 1250, lowStockThreshold: null })).toBeNull();
    expect(changedFields(dune, { description: 'Dune II', unitPrice: 1250, lowStockThreshold: 2 })).toEqual({ description: 'Dune II', lowStockThreshold: 2 });
    expect(changedFields({ ...dune, lowStockThreshold: 2 }, { description: 'Dune', unitPrice: 1250, lowStockThreshold: null })).toEqual({ lowStockThreshold: null });
  });

  it('never sends "no price": an emptied price field keeps the price', () => {
    expect(changedFields(dune, { description: 'Dune', unitPrice: null, lowStockThreshold: null })).toBeNull();
    expect(changedFields({ ...dune, unitPrice: null }, { description: 'Dune', unitPrice: 0, lowStockThreshold: null })).toEqual({ unitPrice: 0 });
  });
});

describe('isLowStock', () => {
  it.each([
    [null, 1, false],
    [3, 4, false],
    [3, 3, true],
    [3, 1, true],
    [3, 0, false],
    [0, 0, false],
  ])('threshold %s with %i available: %s', (lowStockThreshold, available, low) => {
    expect(isLowStock({ lowStockThreshold, available })).toBe(low);
  });
});
