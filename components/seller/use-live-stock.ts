'use client';
// The stock table's data: a snapshot of every item (archived ones included: the seller still sees them), kept current by stock.changed events. The snapshot is
// reloaded on every socket connect, because events sent while the socket was away are gone; the
// order-independent merge (components/stock/stock-merge.ts) makes that reload harmless.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Item } from '@/server/contract';
import { fetchItem, fetchSellerItemPages } from '@/components/api/api-client';
import { describeFailure } from '@/components/api/describe-failure';
import { useLoadOnConnect } from '@/components/realtime/socket-provider';
import { mergeStock, undescribedItemIds, type StockViews } from '@/components/stock/stock-merge';
import { describedRows } from './stock-rows';
import { useBatchedSocketEvent } from './use-batched-socket-event';

const flushMs = 200;
// GET /api/items pages through the items; the dashboard reads at most this many pages of them.
const itemPagesMax = 5;
// New items seen in one batch that are fetched one by one; more than that and the whole list is reloaded.
const unknownItemFetchesMax = 20;

export type LiveStock = { rows: Item[]; loaded: boolean; error: string | null; refresh: (itemId: string) => Promise<void> };

export function useLiveStock(): LiveStock {
  const [views, setViews] = useState<StockViews>(() => new Map());
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const known = useRef<StockViews>(views);
  const fetching = useRef(new Set<string>());
  useEffect(() => {
    known.current = views;
  }, [views]);

  const load = useCallback(async () => {
    const answer = await fetchSellerItemPages(itemPagesMax);
    if (!answer.ok) {
      setError(describeFailure(answer.failure));
      return;
    }
    setViews((current) => mergeStock(current, answer.value.items));
    setLoaded(true);
    setError(null);
  }, []);

  const fetchNewItems = useCallback(
    async (itemIds: string[]) => {
      const wanted = itemIds.filter((itemId) => !fetching.current.has(itemId));
      if (wanted.length > unknownItemFetchesMax) return load();
      for (const itemId of wanted) {
        fetching.current.add(itemId);
        const answer = await fetchItem(itemId);
        fetching.current.delete(itemId);
        if (answer.ok) setViews((current) => mergeStock(current, [answer.value]));
      }
    },
    [load],
  );

  useLoadOnConnect(load);

  useBatchedSocketEvent(
    'stock.changed',
    (changes, overflowed) => {
      if (overflowed) void load();
      setViews((current) => mergeStock(current, changes));
      // Items this page has no description for yet: a new item, or one past the pages read. A failed fetch
      // is tried again with the item's next change.
      const undescribed = undescribedItemIds(known.current, changes.map((change) => change.itemId));
      if (undescribed.length > 0) void fetchNewItems(undescribed);
    },
    flushMs,
  );

  // One item read again: an edit whose stock.changed did not come (a socket that was away) shows anyway.
  const refresh = useCallback(async (itemId: string) => {
    const answer = await fetchItem(itemId);
    if (answer.ok) setViews((current) => mergeStock(current, [answer.value]));
  }, []);

  const rows = useMemo(() => describedRows(views), [views]);
  return { rows, loaded, error, refresh };
}
