// The purchases chart's counts: decided purchases per bucket over one of three ranges (5 minutes in 10-second
// buckets, an hour in minutes, a day in quarter hours: limits.statsRanges, the same buckets as GET /api/stats,
// aligned on the epoch), over a window that slides with the clock. Only the window's buckets are kept and
// drawn, so the scale follows what is visible: an old burst outside it cannot flatten current traffic.
// Pure, with the time passed in, so it is tested without a clock.
// Relative rather than '@/': vitest.config.ts has no path alias, and this module is unit-tested.
import type { StatsRange } from '../../server/contract';
import { limits } from '../../server/limits';

export type ChartRange = { range: StatsRange; bucketMs: number; bucketCount: number; windowMinutes: number };

export const chartRanges: readonly StatsRange[] = ['5m', '1h', '24h'];

export function chartRangeOf(range: StatsRange): ChartRange {
  const { minutes, bucketSeconds } = limits.statsRanges[range];
  return { range, bucketMs: bucketSeconds * 1000, bucketCount: (minutes * 60) / bucketSeconds, windowMinutes: minutes };
}

export type BucketCounts = { succeeded: number; failed: number };
export type ChartBucket = BucketCounts & { startsAtMs: number };

export type Tally = {
  chart: ChartRange;
  buckets: ReadonlyMap<number, BucketCounts>;
  // Purchase ids already counted, with their bucket: a repeated purchase re-publishes its original result,
  // which must not count twice.
  counted: ReadonlyMap<string, number>;
};

export function emptyTally(chart: ChartRange): Tally {
  return { chart, buckets: new Map(), counted: new Map() };
}

export function bucketStartMs(timeMs: number, chart: ChartRange): number {
  return Math.floor(timeMs / chart.bucketMs) * chart.bucketMs;
}

// The oldest bucket of the window: the current (still filling) bucket is the last of bucketCount.
export function windowStartMs(nowMs: number, chart: ChartRange): number {
  return bucketStartMs(nowMs, chart) - (chart.bucketCount - 1) * chart.bucketMs;
}

export type StatsSnapshot = { range: StatsRange; buckets: readonly { startsAt: string; succeeded: number; failed: number }[] };

// A snapshot from the server replaces the counts of its range, keeping only the buckets inside the window; the
// ids counted so far are kept when the range is the same, so a result that is re-published later is still
// recognised. A snapshot of another range (an answer that arrives after the seller switched) is ignored.
export function tallyFromStats(stats: StatsSnapshot, previous: Tally, nowMs: number): Tally {
  if (stats.range !== previous.chart.range) return previous;
  const oldestMs = windowStartMs(nowMs, previous.chart);
  const buckets = new Map<number, BucketCounts>();
  for (const bucket of stats.buckets) {
    const startsAtMs = bucketStartMs(Date.parse(bucket.startsAt), previous.chart);
    if (startsAtMs < oldestMs) continue;
    const counts = buckets.get(startsAtMs) ?? { succeeded: 0, failed: 0 };
    buckets.set(startsAtMs, { succeeded: counts.succeeded + bucket.succeeded, failed: counts.failed + bucket.failed });
  }
  return { chart: previous.chart, buckets, counted: previous.counted };
}

export type DecidedPurchase = { purchaseId: string; status: 'SUCCEEDED' | 'FAILED'; decidedAtMs: number };

export function recordPurchases(tally: Tally, purchases: readonly DecidedPurchase[], nowMs: number): Tally {
  const oldestMs = windowStartMs(nowMs, tally.chart);
  const buckets = new Map(tally.buckets);
  const counted = new Map(tally.counted);
  for (const purchase of purchases) {
    const startsAtMs = bucketStartMs(purchase.decidedAtMs, tally.chart);
    if (startsAtMs < oldestMs || counted.has(purchase.purchaseId)) continue;
    counted.set(purchase.purchaseId, startsAtMs);
    const counts = buckets.get(startsAtMs) ?? { succeeded: 0, failed: 0 };
    buckets.set(
      startsAtMs,
      purchase.status === 'SUCCEEDED' ? { ...counts, succeeded: counts.succeeded + 1 } : { ...counts, failed: counts.failed + 1 },
    );
  }
  return pruneTally({ chart: tally.chart, buckets, counted }, nowMs);
}

// Buckets (and remembered ids) that slid out of the window are forgotten, which bounds both maps.
export function pruneTally(tally: Tally, nowMs: number): Tally {
  const oldestMs = windowStartMs(nowMs, tally.chart);
  const isStale = (startsAtMs: number) => startsAtMs < oldestMs;
  if (![...tally.buckets.keys()].some(isStale) && ![...tally.counted.values()].some(isStale)) return tally;
  return {
    chart: tally.chart,
    buckets: new Map([...tally.buckets].filter(([startsAtMs]) => !isStale(startsAtMs))),
    counted: new Map([...tally.counted].filter(([, startsAtMs]) => !isStale(startsAtMs))),
  };
}

// Every bucket of the window, oldest first, the empty ones included, the current (still filling) one last.
export function windowBuckets(tally: Tally, nowMs: number): ChartBucket[] {
  const oldestMs = windowStartMs(nowMs, tally.chart);
  return Array.from({ length: tally.chart.bucketCount }, (_, index) => {
    const startsAtMs = oldestMs + index * tally.chart.bucketMs;
    return { startsAtMs, ...(tally.buckets.get(startsAtMs) ?? { succeeded: 0, failed: 0 }) };
  });
}

export function sumBuckets(buckets: readonly BucketCounts[]): BucketCounts {
  return buckets.reduce((sum, bucket) => ({ succeeded: sum.succeeded + bucket.succeeded, failed: sum.failed + bucket.failed }), {
    succeeded: 0,
    failed: 0,
  });
}

// The y axis' top and step: four steps of 1, 2, 2.5 or 5 times a power of ten, so the labels read well.
export function niceScale(valueMax: number): { top: number; step: number } {
  const stepCount = 4;
  if (valueMax <= stepCount) return { top: stepCount, step: 1 };
  const rough = valueMax / stepCount;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power;
  // 2.5 only makes sense from 10 upwards: 0.5-unit steps of whole purchases are not wanted.
  const wholeStep = Number.isInteger(step) ? step : Math.ceil(step);
  return { top: wholeStep * stepCount, step: wholeStep };
}

// The scale of what is drawn: the highest stacked bar among the window's buckets alone.
export function scaleOf(buckets: readonly ChartBucket[]): { top: number; step: number } {
  return niceScale(Math.max(0, ...buckets.map((bucket) => bucket.succeeded + bucket.failed)));
}

// How often the time axis is labelled: every minute over 5 minutes, every 10 minutes over an hour, every
// 3 hours over a day, so each range gets five or six labels.
export function axisLabelEveryMs(chart: ChartRange): number {
  const minuteMs = 60_000;
  switch (chart.range) {
    case '5m':
      return minuteMs;
    case '1h':
      return 10 * minuteMs;
    case '24h':
      return 180 * minuteMs;
    default: {
      const unreachable: never = chart.range;
      throw new Error(`unknown range ${JSON.stringify(unreachable)}`);
    }
  }
}

// The range in words, for headings and the chart's summary.
export function rangeWords(chart: ChartRange): { window: string; bucket: string } {
  switch (chart.range) {
    case '5m':
      return { window: 'last 5 minutes', bucket: '10 seconds' };
    case '1h':
      return { window: 'last hour', bucket: 'minute' };
    case '24h':
      return { window: 'last 24 hours', bucket: '15 minutes' };
    default: {
      const unreachable: never = chart.range;
      throw new Error(`unknown range ${JSON.stringify(unreachable)}`);
    }
  }
}
