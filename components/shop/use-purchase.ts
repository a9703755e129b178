'use client';
// One item's purchase attempts. The purchaseId is the idempotency key: it is made once per attempt, and a
// double click or a retry after a 503 sends the same one again, so one attempt can never buy twice.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PurchaseResult } from '@/server/contract';
import { fetchPurchase, postPurchase, type ApiFailure, type PurchaseRequest } from '@/components/api/api-client';
import { newRequestId } from '@/components/api/request-id';
import { keepId } from '@/components/purchases/purchase-ids-storage';
import { useSocketEvent } from '@/components/realtime/socket-provider';

export type PurchaseState =
  | { phase: 'idle' }
  | { phase: 'sending'; attempt: PurchaseRequest }
  // Accepted (202) but not decided within the wait: the result comes by socket or by polling.
  | { phase: 'pending'; attempt: PurchaseRequest }
  | { phase: 'decided'; attempt: PurchaseRequest; result: PurchaseResult }
  // Any other failure: the request was refused or not understood, and sending it again would not help.
  | { phase: 'refused'; attempt: PurchaseRequest; failure: Exclude<ApiFailure, { kind: 'unavailable' }> }
  // Unknown whether it was appended: a retry with the same quantity reuses the purchaseId.
  | { phase: 'unavailable'; attempt: PurchaseRequest; message: string }
  // Still pending after polling for pollsMax × pollIntervalMs; the buyer may check again.
  | { phase: 'undecided'; attempt: PurchaseRequest };

// The fallback when the live event does not come (a socket that was away): ask every 2 s, for a minute.
const pollIntervalMs = 2_000;
const pollsMax = 30;

export type ResultListeners = { waitFor(purchaseId: string, onResult: (result: PurchaseResult) => void): () => void };

// One purchase.finished listener for the whole shop, handing each result to the card waiting for it.
export function useResultListeners(): ResultListeners {
  const [listeners] = useState(() => new Map<string, (result: PurchaseResult) => void>());
  useSocketEvent('purchase.finished', (result) => {
    listeners.get(result.purchaseId)?.(result);
  });
  return useMemo(
    () => ({
      waitFor(purchaseId, onResult) {
        listeners.set(purchaseId, onResult);
        return () => {
          if (listeners.get(purchaseId) === onResult) listeners.delete(purchaseId);
        };
      },
    }),
    [listeners],
  );
}

// title: remembered with the purchase's id for "My purchases".
export function usePurchase(itemId: string, results: ResultListeners, title: string) {
  const [state, setState] = useState<PurchaseState>({ phase: 'idle' });
  // React state lags a render behind; the second click of a double click must see the first at once.
  const latest = useRef<PurchaseState>(state);
  const stopWaiting = useRef<() => void>(() => undefined);
  const update = useCallback((next: PurchaseState) => {
    latest.current = next;
    setState(next);
  }, []);

  const settle = useCallback(
    (attempt: PurchaseRequest, result: PurchaseResult) => {
      if (!isAttemptOf(latest.current, attempt) || latest.current.phase === 'decided') return;
      stopWaiting.current();
      update({ phase: 'decided', attempt, result });
    },
    [update],
  );

  const buy = useCallback(
    async (quantity: number, purchasedBy: string) => {
      const now = latest.current;
      if (now.phase === 'sending' || now.phase === 'pending') return;
      const retrying = now.phase === 'unavailable' && now.attempt.quantity === quantity && now.attempt.purchasedBy === purchasedBy;
      const attempt = retrying ? now.attempt : { purchaseId: newRequestId(), itemId, quantity, purchasedBy };
      // Kept before sending, so "My purchases" shows it even if the answer never comes.
      keepId({ id: attempt.purchaseId, kind: 'purchase', title });
      stopWaiting.current();
      // Listening before sending: the live result may beat the HTTP answer.
      stopWaiting.current = results.waitFor(attempt.purchaseId, (result) => settle(attempt, result));
      update({ phase: 'sending', attempt });
      const answer = await postPurchase(attempt);
      if (!isAttemptOf(latest.current, attempt) || latest.current.phase !== 'sending') return;
      if (answer.ok) {
        if (answer.value.status === 'PENDING') update({ phase: 'pending', attempt });
        else settle(attempt, answer.value);
        return;
      }
      const failure = answer.failure;
      if (failure.kind === 'unavailable') {
        update({ phase: 'unavailable', attempt, message: failure.message });
        return;
      }
      stopWaiting.current();
      update({ phase: 'refused', attempt, failure });
    },
    [itemId, results, settle, title, update],
  );

  const checkAgain = useCallback(() => {
    const now = latest.current;
    if (now.phase === 'undecided') update({ phase: 'pending', attempt: now.attempt });
  }, [update]);

  useEffect(() => {
    if (state.phase !== 'pending') return;
    const attempt = state.attempt;
    let polls = 0;
    let stopped = false;
    const timer = setInterval(() => {
      polls += 1;
      const last = polls >= pollsMax;
      void fetchPurchase(attempt.purchaseId).then((answer) => {
        if (stopped) return;
        if (answer.ok && answer.value.status !== 'PENDING') settle(attempt, answer.value);
        else if (last && isAttemptOf(latest.current, attempt) && latest.current.phase === 'pending') update({ phase: 'undecided', attempt });
      });
      if (last) clearInterval(timer);
    }, pollIntervalMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [state, settle, update]);

  useEffect(() => () => stopWaiting.current(), []);

  return { state, buy, checkAgain };
}

function isAttemptOf(state: PurchaseState, attempt: PurchaseRequest): boolean {
  return 'attempt' in state && state.attempt.purchaseId === attempt.purchaseId;
}
