'use client';
// "My purchases": the kept ids read in one request (GET /api/purchases?ids=), again on every connect of the
// socket and whenever another Buy or Reserve adds an id; then kept live by purchase.finished and, for holds
// that may still change, hold.changed in their rooms (holds.subscribe).
import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchItem, fetchMyPurchases } from '@/components/api/api-client';
import { describeFailure } from '@/components/api/describe-failure';
import { useSocketConnect, useSocketEvent } from '@/components/realtime/socket-provider';
import { useHoldListeners } from '@/components/shop/use-hold';
import { activeHoldIds, knownOfHold, knownOfLookup, knownOfResult, rowsOf, withKnown, type KnownById, type Row } from './my-purchases-state';
import { useKeptIds } from './purchase-ids-storage';

// Titles asked of the API for rows kept without one (kept by an older version of the page), at most this many.
const titlesFetchedMax = 20;

export type MyPurchases = {
  status: 'loading' | 'ready' | 'failed';
  rows: Row[];
  titles: ReadonlyMap<string, string>;
  error: string | undefined;
  retry: () => void;
};

export function useMyPurchases(): MyPurchases {
  const kept = useKeptIds();
  const [known, setKnown] = useState<KnownById>(new Map());
  const [status, setStatus] = useState<MyPurchases['status']>('loading');
  const [error, setError] = useState<string | undefined>(undefined);
  const [titles, setTitles] = useState<ReadonlyMap<string, string>>(new Map());
  const titlesAsked = useRef(new Set<string>());
  const holds = useHoldListeners();
  const idsKey = kept?.map((entry) => entry.id).join(',') ?? '';

  const load = useCallback(async (ids: string[]) => {
    if (ids.length === 0) {
      setStatus('ready');
      return;
    }
    const answer = await fetchMyPurchases(ids);
    if (!answer.ok) {
      setError(describeFailure(answer.failure));
      setStatus((previous) => (previous === 'ready' ? 'ready' : 'failed'));
      return;
    }
    setKnown((previous) => withKnown(previous, knownOfLookup(answer.value)));
    setError(undefined);
    setStatus('ready');
  }, []);

  useEffect(() => {
    if (kept !== undefined) void load(kept.map((entry) => entry.id));
    // idsKey stands for kept: a new array with the same ids needs no new request.
  }, [idsKey, load]);

  useSocketConnect(() => {
    if (kept !== undefined) void load(kept.map((entry) => entry.id));
  });

  useSocketEvent('purchase.finished', (result) => {
    if (kept?.some((entry) => entry.id === result.purchaseId)) setKnown((previous) => withKnown(previous, [knownOfResult(result)]));
  });

  // Joins the rooms of the holds that may still change; leaves them when they are over.
  const followed = kept === undefined ? '' : activeHoldIds(known, kept).join(',');
  useEffect(() => {
    if (followed === '') return;
    const stops = followed.split(',').map((holdId) => holds.watch(holdId, (hold) => setKnown((previous) => withKnown(previous, [knownOfHold(hold)]))));
    return () => stops.forEach((stop) => stop());
  }, [followed, holds]);

  // Rows kept without a title: their items are asked for, a few at most.
  useEffect(() => {
    const missing = [...known.values()]
      .map((entry) => entry.view.itemId)
      .filter((itemId) => !titlesAsked.current.has(itemId))
      .filter((itemId) => kept?.some((entry) => entry.title === undefined && known.get(entry.id)?.view.itemId === itemId));
    for (const itemId of [...new Set(missing)].slice(0, Math.max(0, titlesFetchedMax - titlesAsked.current.size))) {
      titlesAsked.current.add(itemId);
      void fetchItem(itemId).then((answer) => {
        if (answer.ok) setTitles((previous) => new Map(previous).set(itemId, answer.value.description));
      });
    }
  }, [known, kept]);

  const retry = useCallback(() => {
    setStatus('loading');
    if (kept !== undefined) void load(kept.map((entry) => entry.id));
  }, [kept, load]);

  return { status: kept === undefined ? 'loading' : status, rows: rowsOf(kept ?? [], known), titles, error, retry };
}
