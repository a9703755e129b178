// Goal: an items cursor round-trips, and one altered, malformed, or used with another sort or other filters is refused naming cursor; search text is matched literally; the SQL pages after the last row in every order.
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, itemsQuery, likePattern, planItemsPage, type ItemFilters } from './item-query';

const filters: ItemFilters = { q: 'dune', sort: '-price', inStock: true, archived: 'exclude' };
const position = { key: 1250, itemId: 'book-7' };

describe('the items cursor', () => {
  it('round-trips its position with the same filters', () => {
    expect(decodeCursor(encodeCursor(filters, position), filters)).toEqual({ ok: true, position });
    const unpriced = { key: null, itemId: 'book-9' };
    expect(decodeCursor(encodeCursor(filters, unpriced), filters)).toEqual({ ok: true, position: unpriced });
    const byId: ItemFilters = { q: undefined, sort: 'id', inStock: false, archived: 'exclude' };
    expect(decodeCursor(encodeCursor(byId, { key: null, itemId: 'a' }), byId)).toEqual({ ok: true, position: { key: null, itemId: 'a' } });
  });

  it('is refused with other filters or another sort', () => {
    const cursor = encodeCursor(filters, position);
    for (const other of [{ ...filters, q: 'dun' }, { ...filters, q: undefined }, { ...filters, inStock: false }, { ...filters, archived: 'include' as const }]) {
      expect(decodeCursor(cursor, other)).toMatchObject({ ok: false, message: expect.stringContaining('other q, inStock or archived') });
    }
    expect(decodeCursor(cursor, { ...filters, sort: 'price' })).toMatchObject({ ok: false, message: expect.stringContaining('sort=-price') });
  });

  it('is refused when any part of it was altered', () => {
    const payload = JSON.parse(Buffer.from(encodeCursor(filters, position), 'base64url').toString()) as Record<string, unknown>;
    const altered = (change: Record<string, unknown>) => Buffer.from(JSON.stringify({ ...payload, ...change })).toString('base64url');
    for (const change of [{ k: 1251 }, { k: null }, { i: 'book-8' }, { h: 'x'.repeat(22) }, { k: 'dune' }]) {
      expect(decodeCursor(altered(change), filters).ok, JSON.stringify(change)).toBe(false);
    }
    expect(decodeCursor(altered({ v: 2 }), filters)).toEqual({ ok: false, message: 'not a cursor this API gave out' });
    expect(decodeCursor(altered({ extra: 1 }), filters)).toEqual({ ok: false, message: 'not a cursor this API gave out' });
  });

  it.each(['not base64!', 'e30', Buffer.from('[1,2]').toString('base64url'), Buffer.from('{"v":1').toString('base64url'), '-_-_'])(
    'refuses the malformed %j',
    (cursor) => {
      expect(decodeCursor(cursor, filters)).toEqual({ ok: false, message: 'not a cursor this API gave out' });
    },
  );
});

describe('planItemsPage', () => {
  const base = { filters, cursor: undefined, after: undefined, limit: 10 };
  it('refuses after with another sort than id, and after with a cursor', () => {
    expect(planItemsPage({ ...base, after: 'a' })).toMatchObject({ ok: false, refusal: { field: 'after' } });
    const byId = { ...filters, sort: 'id' as const };
    expect(planItemsPage({ ...base, filters: byId, after: 'a', cursor: encodeCursor(byId, { key: null, itemId: 'a' }) })).toMatchObject({ ok: false, refusal: { field: 'after' } });
    expect(planItemsPage({ ...base, filters: byId, after: 'a' })).toEqual({ ok: true, plan: { filters: byId, position: undefined, after: 'a', limit: 10 } });
  });
  it('names cursor for a cursor it cannot use', () => {
    expect(planItemsPage({ ...base, cursor: 'garbage' })).toMatchObject({ ok: false, refusal: { field: 'cursor' } });
    expect(planItemsPage({ ...base, cursor: encodeCursor(filters, position) })).toEqual({ ok: true, plan: { filters, position, after: undefined, limit: 10 } });
  });
});

describe('likePattern', () => {
  it('matches %, _ and \\ literally', () => {
    expect(likePattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
    expect(likePattern('dune')).toBe('%dune%');
  });
});

describe('itemsQuery', () => {
  const plan = { filters, position: undefined, after: undefined, limit: 20 };
  it('filters, orders unpriced items last in both directions, ties by id, and asks for one row more than the page', () => {
    for (const sort of ['price', '-price'] as const) {
      const { text, values } = itemsQuery({ ...plan, filters: { ...filters, sort } });
      expect(text).toContain(`ORDER BY (unit_price IS NULL), unit_price ${sort === 'price' ? 'ASC' : 'DESC'}, item_id ASC`);
      expect(text).toContain("description ILIKE $1 ESCAPE '\\'");
      expect(text).toContain('available > 0');
      expect(text).toContain('NOT archived');
      expect(values).toEqual(['%dune%', 21]);
    }
  });
  it('continues after a priced row, and after an unpriced one only among the unpriced', () => {
    const priced = itemsQuery({ ...plan, position });
    expect(priced.text).toContain('(unit_price IS NULL OR unit_price < $3 OR (unit_price = $3 AND item_id > $2))');
    expect(priced.values).toEqual(['%dune%', 'book-7', 1250, 21]);
    const unpriced = itemsQuery({ ...plan, position: { key: null, itemId: 'book-9' } });
    expect(unpriced.text).toContain('(unit_price IS NULL AND item_id > $2)');
  });
  it('pages by id with after or a cursor, and filters archived only or not at all', () => {
    const byId = { q: undefined, sort: 'id' as const, inStock: false, archived: 'only' as const };
    expect(itemsQuery({ ...plan, filters: byId, after: 'k' })).toEqual({
      text: 'SELECT item_id, description, restocked, sold, available, held, refunded, unit_price, low_stock_threshold, archived, version, NULL AS sort_key FROM items WHERE archived AND item_id > $1 ORDER BY item_id ASC LIMIT $2',
      values: ['k', 21],
    });
    expect(itemsQuery({ ...plan, filters: { ...byId, archived: 'include' } }).text).not.toContain('WHERE');
    expect(itemsQuery({ ...plan, filters: { ...byId, sort: 'title' }, position: { key: 'dune', itemId: 'b' } }).text).toContain(
      '(lower(description) > $2 OR (lower(description) = $2 AND item_id > $1))',
    );
  });
});
