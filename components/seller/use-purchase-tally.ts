'use client';
// The chart's data: GET /api/stats for the window, then every purchase.finished event counted into its
// bucket. The snapshot is reloaded on every socket connect, since events sent meanwhile are gone.
import { useCallback, useEffect, useState } from 'react';
import { fetchStats } from '@/components/api/api-client';
import { describeFailure } from '@/components/api/describe-failure';
import { useLoadOnConnect } from '@/components/realtime/socket-provider';
import {
  chartWindowMinutes,
  emptyTally,
  pruneTally,
  recordPurchases,
  tallyFromStats,
  windowBuckets,
  type ChartBucket,
  type Tally,
} from './purchase-tally';
import { useReportFailure } from './session-guard';
import { useBatchedSocketEvent } from './use-batched-socket-event';

const flushMs = 250;
// Old buckets slide out of the window even when nothing happens.
const redrawMs = 5_000;

export type PurchaseTally = { buckets: ChartBucket[] | null; error: string | null };

export function usePurchaseTally(): PurchaseTally {
  const [tally, setTally] = useState<Tally>(emptyTally);
  // Null until mounted: the server renders no clock-dependent markup.
  const [nowMs, setNowMs] = useState<number | null>(null);
  const [loaded, setLoaded] = useState(false);
  const reportFailure = useReportFailure();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setNowMs(Date.now());
    const timer = setInterval(() => {
      const now = Date.now();
      setNowMs(now);
      setTally((current) => pruneTally(current, now));
    }, redrawMs);
    return () => clearInterval(timer);
  }, []);

  const load = useCallback(async () => {
    const answer = await fetchStats('5m');
    if (!answer.ok) {
      reportFailure(answer.failure);
      setError(describeFailure(answer.failure));
      return;
    }
    setTally((current) => tallyFromStats(answer.value.buckets, current));
    setLoaded(true);
    setError(null);
  }, [reportFailure]);

  useLoadOnConnect(load);

  useBatchedSocketEvent(
    'purchase.finished',
    (results, overflowed) => {
      const now = Date.now();
      setNowMs(now);
      // A snapshot covers what the overflow dropped.
      if (overflowed) void load();
      // A refund is no new decision: its purchase was counted as succeeded when it was decided (or is in the
      // snapshot), and the refunded result repeats that purchaseId.
      const decided = results.flatMap((result) =>
        result.status === 'REFUNDED' ? [] : [{ purchaseId: result.purchaseId, status: result.status, decidedAtMs: Date.parse(result.decidedAt) }],
      );
      setTally((current) => recordPurchases(current, decided, now));
    },
    flushMs,
  );

  return { buckets: loaded && nowMs !== null ? windowBuckets(tally, nowMs) : null, error };
}
