'use client';
// The seller's edits of items (title, price, low-stock threshold, archive): PATCH /api/items/{itemId}, then
// "saving…" on the row until the item arrives live with the change (item-edits.ts). An edit not seen within
// a few seconds reads its item once more, in case its stock.changed was missed while the socket was away.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Item, ItemEditBody } from '@/server/contract';
import { editItem } from '@/components/api/api-client';
import { describeFailure } from '@/components/api/describe-failure';
import { combineEdits, stillPending, type PendingEdit } from './item-edits';
import { useReportFailure } from './session-guard';

const refreshAfterMs = 5_000;

export type EditOutcome = { ok: true } | { ok: false; message: string };

export function useItemEdits(rows: readonly Item[], refresh: (itemId: string) => Promise<void>) {
  const [pending, setPending] = useState<ReadonlyMap<string, PendingEdit>>(new Map());
  const reportFailure = useReportFailure();
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  // Every new set of rows may carry an awaited change.
  useEffect(() => {
    setPending((current) => {
      if (current.size === 0) return current;
      const left = stillPending(current, new Map(rows.map((row) => [row.itemId, row])));
      return left.size === current.size ? current : left;
    });
  }, [rows]);

  useEffect(() => {
    const running = timers.current;
    return () => {
      for (const timer of running.values()) clearTimeout(timer);
    };
  }, []);

  const edit = useCallback(
    async (itemId: string, changes: ItemEditBody): Promise<EditOutcome> => {
      const answer = await editItem(itemId, changes);
      if (!answer.ok) {
        reportFailure(answer.failure);
        return { ok: false, message: describeFailure(answer.failure) };
      }
      setPending((current) => new Map(current).set(itemId, combineEdits(current.get(itemId), { changes, sentAtMs: Date.now() })));
      const previous = timers.current.get(itemId);
      if (previous !== undefined) clearTimeout(previous);
      timers.current.set(
        itemId,
        setTimeout(() => {
          timers.current.delete(itemId);
          void refresh(itemId);
        }, refreshAfterMs),
      );
      return { ok: true };
    },
    [refresh, reportFailure],
  );

  return { pending: pending as ReadonlyMap<string, PendingEdit>, edit };
}
