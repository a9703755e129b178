'use client';
// The stock table's data: a snapshot of every item, kept current by stock.changed events. The snapshot is
// reloaded on every socket (re)connect, because events sent while the socket was away are gone; the
// order-independent merge (stock-rows.ts) makes that reload harmless.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ItemStock } from '@/server/domain/purchase';
import { useLoadOnConnect } from '@/components/realtime/socket-provider';
import { fetchItem, fetchItems, refusalMessage, stockChangedSchema } from './seller-api';
import { applyChanges, mergeSnapshot, sortedRows, type StockRows } from './stock-rows';
import { useBatchedSocketEvent } from './use-batched-socket-event';

const flushMs = 200;
// New items seen in one batch that are fetched one by one; more than that and the whole list is reloaded.
const unknownItemFetchesMax = 20;

export type LiveStock = { rows: ItemStock[]; loaded: boolean; error: string | null };

export function useLiveStock(): LiveStock {
  const [rows, setRows] = useState<StockRows>(() => new Map());
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const known = useRef<StockRows>(rows);
  const fetching = useRef(new Set<string>());
  useEffect(() => {
    known.current = rows;
  }, [rows]);

  const load = useCallback(async () => {
    const outcome = await fetchItems();
    if (outcome.kind !== 'ok') {
      setError(refusalMessage(outcome));
      return;
    }
    setRows((current) => mergeSnapshot(current, outcome.value));
    setLoaded(true);
    setError(null);
  }, []);

  const fetchNewItems = useCallback(
    async (itemIds: string[]) => {
      const wanted = itemIds.filter((itemId) => !fetching.current.has(itemId));
      if (wanted.length > unknownItemFetchesMax) return load();
      for (const itemId of wanted) {
        fetching.current.add(itemId);
        const outcome = await fetchItem(itemId);
        fetching.current.delete(itemId);
        if (outcome.kind === 'ok') setRows((current) => mergeSnapshot(current, [outcome.value]));
      }
    },
    [load],
  );

  useLoadOnConnect(load);

  useBatchedSocketEvent(
    'stock.changed',
    stockChangedSchema,
    (changes, overflowed) => {
      if (overflowed) void load();
      setRows((current) => applyChanges(current, changes).rows);
      const { unknownItemIds } = applyChanges(known.current, changes);
      if (unknownItemIds.length > 0) void fetchNewItems(unknownItemIds);
    },
    flushMs,
  );

  const sorted = useMemo(() => sortedRows(rows), [rows]);
  return { rows: sorted, loaded, error };
}
