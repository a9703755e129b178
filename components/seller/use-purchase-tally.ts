'use client';
// The chart's data for the chosen range: GET /api/stats?range= for the window, then every purchase.finished
// event counted into its bucket. The snapshot is reloaded on every socket connect, since events sent meanwhile
// are gone, and whenever the seller picks another range.
import { useCallback, useEffect, useState } from 'react';
import type { StatsRange } from '@/server/contract';
import { fetchStats } from '@/components/api/api-client';
import { describeFailure } from '@/components/api/describe-failure';
import { useLoadOnConnect } from '@/components/realtime/socket-provider';
import { chartRangeOf, emptyTally, pruneTally, recordPurchases, tallyFromStats, windowBuckets, type ChartBucket, type ChartRange, type Tally } from './purchase-tally';
import { useReportFailure } from './session-guard';
import { useBatchedSocketEvent } from './use-batched-socket-event';

const flushMs = 250;
// Old buckets slide out of the window even when nothing happens.
const redrawMs = 5_000;

export type PurchaseTally = { chart: ChartRange; buckets: ChartBucket[] | null; error: string | null };

export function usePurchaseTally(range: StatsRange): PurchaseTally {
  const [tally, setTally] = useState<Tally>(() => emptyTally(chartRangeOf(range)));
  // Null until mounted: the server renders no clock-dependent markup.
  const [nowMs, setNowMs] = useState<number | null>(null);
  const [loadedRange, setLoadedRange] = useState<StatsRange | null>(null);
  const reportFailure = useReportFailure();
  const [error, setError] = useState<string | null>(null);

  // A new range starts empty: its buckets have other widths, and its snapshot is on its way.
  if (tally.chart.range !== range) setTally(emptyTally(chartRangeOf(range)));

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
    const answer = await fetchStats(range);
    if (!answer.ok) {
      reportFailure(answer.failure);
      setError(describeFailure(answer.failure));
      return;
    }
    const now = Date.now();
    setNowMs(now);
    setTally((current) => tallyFromStats(answer.value, current, now));
    setLoadedRange(answer.value.range);
    setError(null);
  }, [range, reportFailure]);

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

  const ready = loadedRange === range && tally.chart.range === range;
  return { chart: tally.chart, buckets: ready && nowMs !== null ? windowBuckets(tally, nowMs) : null, error };
}
