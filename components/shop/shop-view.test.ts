// Goal: the shop's view survives the round trip through its URL, odd URLs fall back to the default, and the next page's cursor is read from the Link header.
import { describe, expect, it } from 'vitest';
import { limits } from '../../server/limits';
import { defaultShopView, itemsQueryOf, nextCursorOf, parseShopView, searchParamsOf, shopViewSearch } from './shop-view';

const parse = (search: string) => parseShopView(new URLSearchParams(search));

describe('parseShopView and shopViewSearch', () => {
  it('given the plain shop, the URL has no query', () => {
    expect(parse('')).toEqual(defaultShopView);
    expect(shopViewSearch(defaultShopView)).toBe('');
  });

  it('given a search, an order and in-stock only, the URL reproduces them', () => {
    const view = { q: 'dune', sort: '-price', inStock: true } as const;
    const search = shopViewSearch(view);
    expect(search).toBe('?q=dune&sort=-price&inStock=true');
    expect(parse(search)).toEqual(view);
  });

  it('given an unknown order or flag, falls back to the default', () => {
    expect(parse('sort=id&inStock=yes')).toEqual(defaultShopView);
    expect(parse('sort=DROP%20TABLE')).toEqual(defaultShopView);
  });

  it('given control characters and an overlong search, cleans them rather than failing', () => {
    expect(parse('q=%00du%0Ane%09').q).toBe('du ne');
    expect(parse(`q=${'x'.repeat(limits.itemSearchLengthMax + 50)}`).q).toHaveLength(limits.itemSearchLengthMax);
    expect(parse('q=%20%20').q).toBe('');
  });

  it("given Next's searchParams record with a repeated name, takes the first", () => {
    expect(parseShopView(searchParamsOf({ q: ['a', 'b'], sort: 'price' }))).toEqual({ q: 'a', sort: 'price', inStock: false });
  });
});

describe('itemsQueryOf', () => {
  it('given a view and a cursor, asks the API for that page', () => {
    expect(itemsQueryOf({ q: ' dune ', sort: 'title', inStock: true }, 24, 'abc')).toEqual({ q: 'dune', sort: 'title', inStock: 'true', limit: '24', cursor: 'abc' });
    expect(itemsQueryOf(defaultShopView, 24, undefined)).toEqual({ q: undefined, sort: 'title', inStock: undefined, limit: '24', cursor: undefined });
  });
});

describe('nextCursorOf', () => {
  it('given a rel="next" link, reads its cursor', () => {
    expect(nextCursorOf('</api/items?sort=title&cursor=eyJ2IjoxfQ>; rel="next"')).toBe('eyJ2IjoxfQ');
  });

  it('given no header, another relation or a link without a cursor, answers undefined', () => {
    expect(nextCursorOf(null)).toBeUndefined();
    expect(nextCursorOf('</api/items?cursor=abc>; rel="prev"')).toBeUndefined();
    expect(nextCursorOf('</api/items?sort=title>; rel="next"')).toBeUndefined();
    expect(nextCursorOf('garbage')).toBeUndefined();
  });
});
