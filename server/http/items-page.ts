// GET /api/items between HTTP and the item store: the query as a request for a page, and the page as an
// answer whose body stays the array of items while the next page, when there is one, is named in the Link
// header (RFC 8288), so clients that read only the body are unaffected.
import type { z } from 'zod';
import type { Item, itemsQuerySchema } from '../contract';
import type { ItemsRequest, Refusal } from '../db/item-query';
import { limits } from '../limits';
import { answer, errorAnswer, type Answer } from './answer';

type ItemsQuery = z.output<typeof itemsQuerySchema>;

export function itemsRequestOf(query: ItemsQuery): ItemsRequest {
  return {
    filters: { q: query.q, sort: query.sort ?? 'id', inStock: query.inStock === 'true', archived: query.archived ?? 'exclude' },
    cursor: query.cursor,
    after: query.after,
    limit: query.limit ?? limits.itemsPageSizeMax,
  };
}

// The next page's URL repeats the filters (the cursor is only valid with them) and the page size.
export function nextPageUrl(request: ItemsRequest, cursor: string): string {
  const { filters } = request;
  const search = new URLSearchParams();
  if (filters.q !== undefined) search.set('q', filters.q);
  if (filters.sort !== 'id') search.set('sort', filters.sort);
  if (filters.inStock) search.set('inStock', 'true');
  if (filters.archived !== 'exclude') search.set('archived', filters.archived);
  if (request.limit !== limits.itemsPageSizeMax) search.set('limit', String(request.limit));
  search.set('cursor', cursor);
  return `/api/items?${search.toString()}`;
}

export function itemsPageAnswer(request: ItemsRequest, listed: { ok: true; page: { items: Item[]; nextCursor: string | undefined } } | { ok: false; refusal: Refusal }): Answer {
  if (!listed.ok) return errorAnswer(400, `invalid ${listed.refusal.field}`, { [listed.refusal.field]: listed.refusal.message });
  const { items, nextCursor } = listed.page;
  return answer(items, 200, nextCursor === undefined ? undefined : { Link: `<${nextPageUrl(request, nextCursor)}>; rel="next"` });
}
