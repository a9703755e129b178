// Goal: snapshots and live stock changes merge into the same rows whatever order they arrive in.
import { describe, expect, it } from 'vitest';
import { applyChanges, mergeSnapshot, sortedRows } from './stock-rows';

const dune = { itemId: 'dune', description: 'Dune', restocked: 5, sold: 2, available: 3 };

describe('merging', () => {
  it('takes a snapshot as it is', () => {
    expect(sortedRows(mergeSnapshot(new Map(), [dune]))).toEqual([dune]);
  });

  it('applies a newer change to a known item and keeps its description', () => {
    const { rows, unknownItemIds } = applyChanges(mergeSnapshot(new Map(), [dune]), [{ itemId: 'dune', restocked: 5, sold: 4, available: 1 }]);

    expect(rows.get('dune')).toEqual({ ...dune, sold: 4, available: 1 });
    expect(unknownItemIds).toEqual([]);
  });

  it('never lets a late snapshot roll a newer change back', () => {
    const changed = applyChanges(mergeSnapshot(new Map(), [dune]), [{ itemId: 'dune', restocked: 8, sold: 4, available: 4 }]).rows;

    const late = mergeSnapshot(changed, [{ ...dune, description: 'Dune, paperback' }]);

    expect(late.get('dune')).toEqual({ itemId: 'dune', description: 'Dune, paperback', restocked: 8, sold: 4, available: 4 });
  });

  it('ignores an older change that arrives after a newer one', () => {
    const rows = applyChanges(mergeSnapshot(new Map(), [dune]), [
      { itemId: 'dune', restocked: 5, sold: 3, available: 2 },
      { itemId: 'dune', restocked: 5, sold: 2, available: 3 },
    ]).rows;

    expect(rows.get('dune')?.available).toBe(2);
  });

  it('reports unknown items once, to be fetched with their description, and does not invent rows', () => {
    const { rows, unknownItemIds } = applyChanges(new Map(), [
      { itemId: 'new', restocked: 3, sold: 0, available: 3 },
      { itemId: 'new', restocked: 5, sold: 0, available: 5 },
    ]);

    expect(unknownItemIds).toEqual(['new']);
    expect(rows.size).toBe(0);
  });
});

describe('order', () => {
  it('sorts rows by itemId, like GET /api/items', () => {
    const rows = mergeSnapshot(new Map(), [{ ...dune, itemId: 'b' }, { ...dune, itemId: 'a' }]);

    expect(sortedRows(rows).map((row) => row.itemId)).toEqual(['a', 'b']);
  });
});
