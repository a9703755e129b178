'use client';
// The shop's items for one view (search, order, in stock: shop-view.ts), a page at a time. The server
// filters, orders and pages (GET /api/items with a cursor); this hook keeps the page shown current with
// stock.changed and reloads it on every connect of the socket. Only one page is in the DOM at a time, so a
// phone never holds more than pageSize cards.
import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchShopItemsPage } from '@/components/api/api-client';
import { describeFailure } from '@/components/api/describe-failure';
import { useSocketConnect, useSocketEvent } from '@/components/realtime/socket-provider';
import { itemsQueryOf, type ShopView } from './shop-view';
import { availableNow, mergeShopItem, type ShopItem } from './stock';

// Divisible by one, two and three columns; well under the ~60 cards a phone should hold.
export const shopPageSize = 24;
// Items added (or first seen) live while the buyer looks at the first page, shown on top of it.
const newcomersMax = 6;

export type ShopItems = {
  status: 'loading' | 'ready' | 'failed';
  items: ShopItem[];
  error: string | undefined;
  // Zero-based; pages are read with the cursor of the page before.
  page: number;
  hasNext: boolean;
  loadingPage: boolean;
  nextPage: () => void;
  previousPage: () => void;
  retry: () => void;
};

export function matchesView(item: Pick<ShopItem, 'description' | 'archived' | 'available'>, view: ShopView): boolean {
  if (item.archived) return false;
  if (view.inStock && availableNow(item) === 0) return false;
  const q = view.q.trim().toLocaleLowerCase();
  return q === '' || (item.description ?? '').toLocaleLowerCase().includes(q);
}

export function useShopItems(view: ShopView): ShopItems {
  const [itemsById, setItemsById] = useState<ReadonlyMap<string, ShopItem>>(new Map());
  // The page's items in the server's order, and the newcomers shown above them.
  const [order, setOrder] = useState<readonly string[]>([]);
  const [newcomers, setNewcomers] = useState<readonly string[]>([]);
  const [status, setStatus] = useState<ShopItems['status']>('loading');
  const [error, setError] = useState<string | undefined>(undefined);
  const [loadingPage, setLoadingPage] = useState(false);
  // cursors[n] reads page n (undefined for the first); nextCursor is the Link rel="next" of the page shown.
  const cursors = useRef<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState(0);
  const [nextCursor, setNextCursor] = useState<string | undefined>(undefined);
  // Answers to an older view or page are dropped: only the latest request may fill the grid.
  const requestNumber = useRef(0);
  const viewKey = `${view.q}\u0000${view.sort}\u0000${view.inStock}`;
  const latestView = useRef(view);
  latestView.current = view;

  const load = useCallback(async (pageNumber: number, replacing: boolean) => {
    requestNumber.current += 1;
    const number = requestNumber.current;
    setLoadingPage(true);
    const answer = await fetchShopItemsPage(itemsQueryOf(latestView.current, shopPageSize, cursors.current[pageNumber]));
    if (number !== requestNumber.current) return;
    setLoadingPage(false);
    if (!answer.ok) {
      setError(describeFailure(answer.failure));
      setStatus((previous) => (previous === 'ready' && !replacing ? 'ready' : 'failed'));
      return;
    }
    const { items, nextCursor: next } = answer.value;
    setItemsById((previous) => {
      const merged = new Map<string, ShopItem>();
      for (const item of items) merged.set(item.itemId, mergeShopItem(replacing ? undefined : previous.get(item.itemId), item));
      return merged;
    });
    setOrder(items.map((item) => item.itemId));
    if (replacing) setNewcomers([]);
    cursors.current[pageNumber + 1] = next;
    setNextCursor(next);
    setPage(pageNumber);
    setError(undefined);
    setStatus('ready');
  }, []);

  // A new view starts from its first page.
  useEffect(() => {
    cursors.current = [undefined];
    setStatus('loading');
    void load(0, true);
  }, [viewKey, load]);

  // Every connect reloads the page shown, the first included: a change committed between the page's read
  // and the socket joining is never sent to it, and nothing is replayed to a socket that was away.
  useSocketConnect(() => {
    void load(page, false);
  });

  useSocketEvent('stock.changed', (change) => {
    if (itemsById.has(change.itemId)) {
      setItemsById((previous) => new Map(previous).set(change.itemId, mergeShopItem(previous.get(change.itemId), change)));
      return;
    }
    // A new item, or one from another page that changed: shown on top of the first page when it fits the view.
    if (page !== 0 || !matchesView(change, latestView.current)) return;
    setItemsById((previous) => new Map(previous).set(change.itemId, mergeShopItem(undefined, change)));
    setNewcomers((previous) => [change.itemId, ...previous.filter((itemId) => itemId !== change.itemId)].slice(0, newcomersMax));
  });

  const nextPage = useCallback(() => {
    if (nextCursor !== undefined) void load(page + 1, true);
  }, [load, nextCursor, page]);
  const previousPage = useCallback(() => {
    if (page > 0) void load(page - 1, true);
  }, [load, page]);
  const retry = useCallback(() => {
    setStatus('loading');
    void load(page, true);
  }, [load, page]);

  const shownIds = [...newcomers, ...order.filter((itemId) => !newcomers.includes(itemId))];
  // An item archived while shown leaves the shop; one that sells out stays where it is, even in stock only,
  // so that nothing jumps away from a buyer's eyes.
  const items = shownIds.flatMap((itemId) => {
    const item = itemsById.get(itemId);
    return item && !item.archived ? [item] : [];
  });
  return { status, items, error, page, hasNext: nextCursor !== undefined, loadingPage, nextPage, previousPage, retry };
}
