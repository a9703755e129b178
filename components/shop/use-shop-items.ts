'use client';
// The shop's item list: loaded a page at a time on mount, kept current by stock.changed, and reloaded on
// every connect of the socket.
import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchItem, fetchItemsPage } from '@/components/api/api-client';
import { describeFailure } from '@/components/api/describe-failure';
import { useSocketConnect, useSocketEvent } from '@/components/realtime/socket-provider';
import { compareItemIds, type StockUpdate } from '@/components/stock/stock-merge';
import { mergeShopItem, type ShopItem } from './stock';

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

  const merge = useCallback((updates: readonly StockUpdate[]) => {
    setItemsById((previous) => {
      const next = new Map(previous);
      for (const update of updates) next.set(update.itemId, mergeShopItem(next.get(update.itemId), update));
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
          setError(describeFailure(answer.failure));
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
  useSocketConnect(() => {
    void loadPages(Math.min(Math.max(pagesLoaded.current, 1), pagesReloadedMax));
  });

  useSocketEvent('stock.changed', (change) => {
    merge([change]);
    if (itemsById.get(change.itemId)?.description !== undefined || detailsRequested.current.has(change.itemId)) return;
    // A new item (or one past the pages loaded): its description comes from the API.
    detailsRequested.current.add(change.itemId);
    void fetchItem(change.itemId).then((answer) => {
      if (answer.ok) merge([answer.value]);
      else detailsRequested.current.delete(change.itemId);
    });
  });

  const loadMore = useCallback(() => {
    setLoadingMore(true);
    void fetchItemsPage(nextPageAfter.current).then((answer) => {
      setLoadingMore(false);
      if (!answer.ok) {
        setError(describeFailure(answer.failure));
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

  const items = [...itemsById.values()].sort((left, right) => compareItemIds(left.itemId, right.itemId));
  return { status, items, error, hasMore, loadingMore, loadMore, retry };
}
