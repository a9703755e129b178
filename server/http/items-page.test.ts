// Goal: the next page's Link repeats exactly the non-default filters and page size with the cursor, and a refusal is a 400 naming its field.
import { describe, expect, it } from 'vitest';
import { limits } from '../limits';
import { itemsPageAnswer, itemsRequestOf, nextPageUrl } from './items-page';

describe('items paging over HTTP', () => {
  it('reads defaults from an empty query', () => {
    expect(itemsRequestOf({})).toEqual({ filters: { q: undefined, sort: 'id', inStock: false, archived: 'exclude' }, cursor: undefined, after: undefined, limit: limits.itemsPageSizeMax });
  });
  it('names only what differs from the defaults, then the cursor', () => {
    expect(nextPageUrl(itemsRequestOf({}), 'abc')).toBe('/api/items?cursor=abc');
    const request = itemsRequestOf({ q: '50% & more', sort: '-price', inStock: 'true', archived: 'include', limit: 12 });
    const url = new URL(nextPageUrl(request, 'abc'), 'http://x');
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: '50% & more', sort: '-price', inStock: 'true', archived: 'include', limit: '12', cursor: 'abc' });
  });
  it('adds Link only when a next page exists, and answers a refusal as 400 naming the field', () => {
    const request = itemsRequestOf({});
    expect(itemsPageAnswer(request, { ok: true, page: { items: [], nextCursor: undefined } })).toEqual({ status: 200, body: [], headers: undefined });
    expect(itemsPageAnswer(request, { ok: true, page: { items: [], nextCursor: 'c' } }).headers).toEqual({ Link: '</api/items?cursor=c>; rel="next"' });
    expect(itemsPageAnswer(request, { ok: false, refusal: { field: 'cursor', message: 'no' } })).toMatchObject({ status: 400, body: { fields: { cursor: 'no' } } });
  });
});
