'use client';
// In a buyers' race results arrive by the thousand per second; re-rendering the dashboard for each one would
// starve the page. Events are checked on arrival (useSocketEvent), collected, and handed over in batches at
// most every flushMs.
import { useEffect, useRef } from 'react';
import type { ServerToClientEventName } from '@/server/contract';
import { useSocketEvent } from '@/components/realtime/socket-provider';
import type { ServerEventPayload } from '@/components/realtime/socket-events';

// Events waiting for the next flush; past this the batch is marked overflowed and the caller reloads instead.
const pendingMax = 5_000;

export function useBatchedSocketEvent<Event extends ServerToClientEventName>(
  event: Event,
  onBatch: (batch: ServerEventPayload<Event>[], overflowed: boolean) => void,
  flushMs: number,
): void {
  const pending = useRef<ServerEventPayload<Event>[]>([]);
  const overflowed = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(onBatch);
  useEffect(() => {
    latest.current = onBatch;
  });
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );

  useSocketEvent(event, (payload) => {
    if (pending.current.length < pendingMax) pending.current.push(payload);
    else overflowed.current = true;
    if (timer.current !== null) return;
    timer.current = setTimeout(() => {
      const batch = pending.current;
      const lost = overflowed.current;
      pending.current = [];
      overflowed.current = false;
      timer.current = null;
      latest.current(batch, lost);
    }, flushMs);
  });
}
