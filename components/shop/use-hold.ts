'use client';
// One item's hold: Reserve, then Pay or Cancel before it expires. The holdId is the idempotency key (made
// once per attempt, so a double click or a retry after a 503 places one hold), and it is also what lets its
// holder pay or cancel, so it is a random UUID that only this browser knows. Decisions come from the HTTP
// answers, from hold.changed in the hold's room (an expiry is decided by the server, with nobody asking),
// and, when the socket was away, from polling.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HoldResult } from '@/server/contract';
import { limits } from '@/server/limits';
import { cancelHold, confirmHold, fetchHold, placeHold, type HoldRequest } from '@/components/api/api-client';
import { describeFailure, sentence } from '@/components/api/describe-failure';
import { newRequestId } from '@/components/api/request-id';
import { keepId } from '@/components/purchases/purchase-ids-storage';
import { useLiveConnection, useSocketConnect, useSocketEvent } from '@/components/realtime/socket-provider';
import { applyConfirm, applyHold, isActive, isFinal, requestOf, withAction, type HoldState } from './hold-state';
import { forgetHoldId, saveHoldId, savedHoldId } from './hold-storage';

// The fallback when hold.changed does not come (a socket that was away): ask every 2 s, for a minute.
const pollIntervalMs = 2_000;
const pollsMax = 30;

export type HoldListeners = { watch(holdId: string, onHold: (hold: HoldResult) => void): () => void };

// One hold.changed listener for the whole shop, handing each hold to the card that watches it. Watching a
// hold joins its room on the server (holds.subscribe); a reconnected socket has lost its rooms, so every
// connect joins them all again.
export function useHoldListeners(): HoldListeners {
  const { socket } = useLiveConnection();
  const [listeners] = useState(() => new Map<string, (hold: HoldResult) => void>());
  const currentSocket = useRef(socket);
  useEffect(() => {
    currentSocket.current = socket;
  }, [socket]);
  useSocketEvent('hold.changed', (hold) => {
    listeners.get(hold.holdId)?.(hold);
  });
  useSocketConnect(() => {
    const holdIds = [...listeners.keys()].slice(0, limits.socketHoldRoomsMax);
    if (holdIds.length > 0) currentSocket.current?.emit('holds.subscribe', holdIds);
  });
  return useMemo(
    () => ({
      watch(holdId, onHold) {
        listeners.set(holdId, onHold);
        // Sent while disconnected, socket.io buffers it; the connect above joins again anyway.
        currentSocket.current?.emit('holds.subscribe', [holdId]);
        return () => {
          if (listeners.get(holdId) !== onHold) return;
          listeners.delete(holdId);
          currentSocket.current?.emit('holds.unsubscribe', [holdId]);
        };
      },
    }),
    [listeners],
  );
}

// title: remembered with the hold's id for "My purchases".
export function useHold(itemId: string, listeners: HoldListeners, title: string) {
  const [state, setState] = useState<HoldState>({ phase: 'idle' });
  // React state lags a render behind; the second click of a double click must see the first at once.
  const latest = useRef<HoldState>(state);
  const stopWatching = useRef<() => void>(() => undefined);
  const update = useCallback(
    (next: HoldState) => {
      if (next === latest.current) return;
      latest.current = next;
      setState(next);
      const request = requestOf(next);
      // A hold that is over needs no room and no memory across reloads.
      if (request && (isFinal(next) || next.phase === 'refused')) {
        stopWatching.current();
        forgetHoldId(itemId, request.holdId);
      }
    },
    [itemId],
  );
  const onHold = useCallback((hold: HoldResult) => update(applyHold(latest.current, hold)), [update]);

  // Listening before sending: the live decision may beat the HTTP answer.
  const watch = useCallback(
    (holdId: string) => {
      stopWatching.current();
      stopWatching.current = listeners.watch(holdId, onHold);
    },
    [listeners, onHold],
  );

  // Asks the server how the hold stands: after a reload, a reconnect, or while an answer is overdue.
  const refresh = useCallback(
    async (request: HoldRequest) => {
      const answer = await fetchHold(request.holdId);
      if (requestOf(latest.current)?.holdId !== request.holdId) return;
      if (answer.ok && answer.value.status !== 'PENDING') onHold(answer.value);
    },
    [onHold],
  );

  const reserve = useCallback(
    async (quantity: number, heldBy: string) => {
      const now = latest.current;
      if (isActive(now)) return;
      const retrying = now.phase === 'unavailable' && now.request.quantity === quantity && now.request.heldBy === heldBy;
      const request: HoldRequest = retrying ? now.request : { holdId: newRequestId(), itemId, quantity, heldBy };
      saveHoldId(itemId, request.holdId);
      keepId({ id: request.holdId, kind: 'hold', title });
      watch(request.holdId);
      update({ phase: 'placing', request });
      const answer = await placeHold(request);
      const current = latest.current;
      if (current.phase !== 'placing' || current.request !== request) return;
      if (answer.ok) {
        update(answer.value.status === 'PENDING' ? { phase: 'pending', request } : applyHold(current, answer.value));
        return;
      }
      const failure = answer.failure;
      update(failure.kind === 'unavailable' ? { phase: 'unavailable', request, message: failure.message } : { phase: 'refused', request, failure });
    },
    [itemId, title, update, watch],
  );

  // Pay stays enabled when the countdown reaches 0:00: the server decides by its own time stamp against
  // expiresAt, and this browser's clock may run ahead of the server's, so a Pay that looks late here may still
  // be in time there. Disabling it would refuse a payment the server would take; a Pay that is really late
  // is answered FAILED HOLD_EXPIRED, and the card says so.
  const pay = useCallback(async () => {
    const now = latest.current;
    if (now.phase !== 'held' || now.action.kind === 'paying' || now.action.kind === 'cancelling') return;
    update(withAction(now, { kind: 'paying', waiting: false }));
    const answer = await confirmHold(now.request.holdId);
    if (answer.ok) {
      update(answer.value.status === 'PENDING' ? withAction(latest.current, { kind: 'paying', waiting: true }) : applyConfirm(latest.current, answer.value));
      return;
    }
    const failure = answer.failure;
    // Confirming again is safe: a second confirm answers as the first.
    const message = failure.kind === 'unavailable' ? `Couldn’t confirm your payment. ${sentence(failure.message)} Paying again is safe: you can never pay twice.` : describeFailure(failure);
    update(withAction(latest.current, { kind: 'problem', message }));
  }, [update]);

  const cancel = useCallback(async () => {
    const now = latest.current;
    if (now.phase !== 'held' || now.action.kind === 'paying' || now.action.kind === 'cancelling') return;
    update(withAction(now, { kind: 'cancelling', waiting: false }));
    const answer = await cancelHold(now.request.holdId);
    if (answer.ok) {
      update(answer.value.status === 'PENDING' ? withAction(latest.current, { kind: 'cancelling', waiting: true }) : applyHold(latest.current, answer.value));
      return;
    }
    update(withAction(latest.current, { kind: 'problem', message: `Couldn’t cancel. ${describeFailure(answer.failure)}` }));
  }, [update]);

  // A hold placed before a reload of the page: shown again as it stands now.
  useEffect(() => {
    const holdId = savedHoldId(itemId);
    if (holdId === undefined || latest.current.phase !== 'idle') return;
    void fetchHold(holdId).then((answer) => {
      if (latest.current.phase !== 'idle') return;
      if (!answer.ok) {
        // Never placed (the page went before the server had it), or gone: nothing to show.
        if (answer.failure.kind === 'not-found') forgetHoldId(itemId, holdId);
        return;
      }
      const view = answer.value;
      const request: HoldRequest = { holdId: view.holdId, itemId: view.itemId, quantity: view.quantity, heldBy: view.heldBy };
      watch(holdId);
      update(view.status === 'PENDING' ? { phase: 'pending', request } : applyHold({ phase: 'pending', request }, view));
    });
  }, [itemId, update, watch]);

  // A reconnected socket missed whatever was pushed meanwhile.
  useSocketConnect(() => {
    const now = latest.current;
    if (now.phase === 'pending' || now.phase === 'held') void refresh(now.request);
  });

  // Polling, for a decision that is overdue: a hold or an action accepted (202) but not decided, or a hold
  // past its expiry plus the server's grace with no hold.changed (the server appends the expiry then).
  const pollingFromMs =
    state.phase === 'pending' || (state.phase === 'held' && (state.action.kind === 'paying' || state.action.kind === 'cancelling') && state.action.waiting)
      ? 0
      : state.phase === 'held'
        ? Date.parse(state.hold.expiresAt) + limits.holdConfirmGraceMs
        : undefined;
  const pollingHoldId = pollingFromMs === undefined ? undefined : requestOf(state)?.holdId;
  useEffect(() => {
    const request = requestOf(latest.current);
    if (pollingHoldId === undefined || pollingFromMs === undefined || request?.holdId !== pollingHoldId) return;
    let polls = 0;
    let interval: ReturnType<typeof setInterval> | undefined;
    const start = setTimeout(
      () => {
        interval = setInterval(() => {
          polls += 1;
          void refresh(request);
          if (polls >= pollsMax) clearInterval(interval);
        }, pollIntervalMs);
      },
      Math.max(0, pollingFromMs - Date.now()),
    );
    return () => {
      clearTimeout(start);
      clearInterval(interval);
    };
  }, [pollingHoldId, pollingFromMs, refresh]);

  useEffect(() => () => stopWatching.current(), []);

  return { state, reserve, pay, cancel };
}
