'use client';
// The shop's item list: loaded a page at a time on mount, kept current by stock.changed, and reloaded on
// every connect of the socket.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StockChanged } from '@/server/db/stock-notifications';
import { useSocketEvent } from '@/components/realtime/socket-provider';
import { fetchItem, fetchItemsPage } from './shop-api';
import { isStockChanged, mergeStock, type ShopItem } from './stock';

export type ShopItems = {
  status: 'loading' | 'ready' | 'failed';
  items: ShopItem[];
  error: string | undefined;
  // More items sort after the last one shown (the API pages by itemId).
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  retry: () => void;
};

// Pages one reconnect reloads at most: the shop never asks for more than a buyer has paged through.
const pagesReloadedMax = 10;

export function useShopItems(): ShopItems {
  const [itemsById, setItemsById] = useState<ReadonlyMap<string, ShopItem>>(new Map());
  const [status, setStatus] = useState<ShopItems['status']>('loading');
  const [error, setError] = useState<string | undefined>(undefined);
  const [hasMore, setHasMore] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const pagesLoaded = useRef(0);
  // Where the next page starts: the last itemId of the last page read (items added live do not move it).
  const nextPageAfter = useRef<string | undefined>(undefined);
  const detailsRequested = useRef(new Set<string>());

  const merge = useCallback((updates: (StockChanged & { description?: string })[]) => {
    setItemsById((previous) => {
      const next = new Map(previous);
      for (const update of updates) next.set(update.itemId, mergeStock(next.get(update.itemId), update));
      return next;
    });
  }, []);

  // Reads `pages` pages from the start (a reload after a reconnect re-reads what the buyer has seen).
  const loadPages = useCallback(
    async (pages: number) => {
      let after: string | undefined;
      for (let page = 0; page < pages; page += 1) {
        const answer = await fetchItemsPage(after);
        if (!answer.ok) {
          setError(answer.message);
          setStatus((previous) => (previous === 'ready' ? 'ready' : 'failed'));
          return;
        }
        merge(answer.value.items);
        after = answer.value.items.at(-1)?.itemId;
        if (page + 1 >= pagesLoaded.current) {
          pagesLoaded.current = page + 1;
          nextPageAfter.current = after;
          setHasMore(answer.value.full);
        }
        if (!answer.value.full || after === undefined) break;
      }
      setError(undefined);
      setStatus('ready');
    },
    [merge],
  );

  useEffect(() => {
    void loadPages(1);
  }, [loadPages]);

  // Every connect reloads, the first included: a change committed between the page's first read and the
  // socket joining is never sent to it, and nothing is replayed to a socket that was away.
  useSocketEvent<void>('connect', () => {
    void loadPages(Math.min(Math.max(pagesLoaded.current, 1), pagesReloadedMax));
  });

  useSocketEvent<unknown>('stock.changed', (payload) => {
    if (!isStockChanged(payload)) return;
    merge([payload]);
    if (itemsById.get(payload.itemId)?.description !== undefined || detailsRequested.current.has(payload.itemId)) return;
    // A new item (or one past the pages loaded): its description comes from the API.
    detailsRequested.current.add(payload.itemId);
    void fetchItem(payload.itemId).then((answer) => {
      if (answer.ok) merge([answer.value]);
      else detailsRequested.current.delete(payload.itemId);
    });
  });

  const loadMore = useCallback(() => {
    setLoadingMore(true);
    void fetchItemsPage(nextPageAfter.current).then((answer) => {
      setLoadingMore(false);
      if (!answer.ok) {
        setError(answer.message);
        return;
      }
      merge(answer.value.items);
      pagesLoaded.current += 1;
      nextPageAfter.current = answer.value.items.at(-1)?.itemId ?? nextPageAfter.current;
      setHasMore(answer.value.full);
    });
  }, [merge]);

  const retry = useCallback(() => {
    setStatus('loading');
    void loadPages(Math.max(pagesLoaded.current, 1));
  }, [loadPages]);

  const items = [...itemsById.values()].sort((a, b) => compareIds(a.itemId, b.itemId));
  return { status, items, error, hasMore, loadingMore, loadMore, retry };
}

// Code-unit order: stable, and the same wherever an item came from (a page, or a live event).
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
