// What the shop shows (a search, an order, in-stock only) as it lives in the page's URL, ?q=&sort=&inStock=,
// so that a link reproduces the view, and as the GET /api/items query that asks the server for it. Anything
// in the URL the shop does not understand falls back to the default rather than breaking the page. Pure.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import type { ItemSort } from '../../server/contract';
import { limits } from '../../server/limits';

// The orders a buyer can pick, in the menu's order; the first is the default.
export const shopSorts = [
  { value: 'title', label: 'Title, A–Z' },
  { value: 'price', label: 'Price, low to high' },
  { value: '-price', label: 'Price, high to low' },
  { value: '-available', label: 'Most available' },
  { value: 'available', label: 'Fewest left' },
] as const satisfies readonly { value: ItemSort; label: string }[];
export type ShopSort = (typeof shopSorts)[number]['value'];
export const defaultShopSort: ShopSort = 'title';

export type ShopView = { q: string; sort: ShopSort; inStock: boolean };
export const defaultShopView: ShopView = { q: '', sort: defaultShopSort, inStock: false };

type SearchParams = { get(name: string): string | null };
// Next hands a page's searchParams as a record whose values may repeat (?q=a&q=b).
export type SearchRecord = Readonly<Record<string, string | string[] | undefined>>;

export function searchParamsOf(record: SearchRecord): SearchParams {
  return { get: (name) => [record[name]].flat()[0] ?? null };
}

// The API refuses control characters and more than itemSearchLengthMax characters; such text is cleaned here
// instead, so a hand-edited link still shows a sensible page.
export function cleanSearch(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .trim()
    .slice(0, limits.itemSearchLengthMax)
    .trim();
}

function isShopSort(value: string | null): value is ShopSort {
  return shopSorts.some((sort) => sort.value === value);
}

export function parseShopView(params: SearchParams): ShopView {
  const sort = params.get('sort');
  return {
    q: cleanSearch(params.get('q') ?? ''),
    sort: isShopSort(sort) ? sort : defaultShopSort,
    inStock: params.get('inStock') === 'true',
  };
}

// The URL's query for a view, defaults left out: the plain shop is just "/".
export function shopViewSearch(view: ShopView): string {
  const search = new URLSearchParams();
  const q = cleanSearch(view.q);
  if (q !== '') search.set('q', q);
  if (view.sort !== defaultShopSort) search.set('sort', view.sort);
  if (view.inStock) search.set('inStock', 'true');
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export function isDefaultView(view: ShopView): boolean {
  return shopViewSearch(view) === '';
}

// GET /api/items for one page of the view: the first page without a cursor, the next ones with the cursor
// of the previous page's Link rel="next".
export function itemsQueryOf(view: ShopView, pageSize: number, cursor: string | undefined): Record<string, string | undefined> {
  const q = cleanSearch(view.q);
  return {
    q: q === '' ? undefined : q,
    sort: view.sort,
    inStock: view.inStock ? 'true' : undefined,
    limit: String(pageSize),
    cursor,
  };
}

// The cursor in a Link header's rel="next" (RFC 8288), or undefined on the last page.
export function nextCursorOf(linkHeader: string | null): string | undefined {
  if (linkHeader === null) return undefined;
  for (const link of linkHeader.split(',')) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(link);
    if (!match?.[1] || !/(^|;)\s*rel="?next"?\s*(;|$)/.test(match[2] ?? '')) continue;
    const cursor = new URL(match[1], 'http://localhost').searchParams.get('cursor');
    return cursor === null || cursor === '' ? undefined : cursor;
  }
  return undefined;
}
