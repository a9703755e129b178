// Goal: the shop never offers an impossible quantity, and names items by their titles (shortened in sentences), never by ids.
import { describe, expect, it } from 'vitest';
import { availableNow, itemName, quantityMaxFor, titleInSentenceLengthMax } from './stock';

describe('quantities', () => {
  it('never offers less than nothing nor more than a purchase may take', () => {
    expect(availableNow({ available: -1 })).toBe(0);
    expect(quantityMaxFor({ available: 3 })).toBe(3);
    expect(quantityMaxFor({ available: 50_000 })).toBe(10_000);
  });
});

describe('itemName', () => {
  it('given a short title, is the title', () => {
    expect(itemName({ itemId: 'dune', description: 'Dune' })).toBe('Dune');
  });

  it('given a long title, shortens it with an ellipsis instead of showing the id', () => {
    const name = itemName({ itemId: 'long', description: `${'word '.repeat(30)}end` });
    expect(name).toHaveLength(titleInSentenceLengthMax);
    expect(name.endsWith('…')).toBe(true);
    expect(name.startsWith('word word')).toBe(true);
  });

  it('given line breaks and runs of spaces, reads as one line', () => {
    expect(itemName({ itemId: 'x', description: 'Dune\n  Messiah' })).toBe('Dune Messiah');
  });

  it('given a blank title, falls back to the id', () => {
    expect(itemName({ itemId: 'blank', description: '   ' })).toBe('blank');
    expect(itemName({ itemId: 'none', description: '' })).toBe('none');
  });
});
