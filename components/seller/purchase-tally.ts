// The purchases chart's counts: decided purchases per 10-second bucket (the same buckets as GET /api/stats,
// aligned on the epoch), over a sliding window. Pure, with the time passed in, so it is tested without a clock.
// Relative rather than '@/': vitest.config.ts has no path alias, and this module is unit-tested.
import { limits } from '../../server/limits';

export const bucketMs = limits.statsRanges['5m'].bucketSeconds * 1000;
export const chartWindowMinutes = 5;
export const chartBucketCount = (chartWindowMinutes * 60) / limits.statsRanges['5m'].bucketSeconds;

export type BucketCounts = { succeeded: number; failed: number };
export type ChartBucket = BucketCounts & { startsAtMs: number };

export type Tally = {
  buckets: ReadonlyMap<number, BucketCounts>;
  // Purchase ids already counted, with their bucket: a repeated purchase re-publishes its original result,
  // which must not count twice.
  counted: ReadonlyMap<string, number>;
};

export const emptyTally: Tally = { buckets: new Map(), counted: new Map() };

export function bucketStartMs(timeMs: number): number {
  return Math.floor(timeMs / bucketMs) * bucketMs;
}

export function windowStartMs(nowMs: number): number {
  return bucketStartMs(nowMs) - (chartBucketCount - 1) * bucketMs;
}

// A snapshot from the server replaces the counts; the ids counted so far are kept, so a result that is
// re-published later is still recognised.
export function tallyFromStats(stats: readonly { startsAt: string; succeeded: number; failed: number }[], previous: Tally): Tally {
  const buckets = new Map<number, BucketCounts>();
  for (const bucket of stats) buckets.set(bucketStartMs(Date.parse(bucket.startsAt)), { succeeded: bucket.succeeded, failed: bucket.failed });
  return { buckets, counted: previous.counted };
}

export type DecidedPurchase = { purchaseId: string; status: 'SUCCEEDED' | 'FAILED'; decidedAtMs: number };

export function recordPurchases(tally: Tally, purchases: readonly DecidedPurchase[], nowMs: number): Tally {
  const oldestMs = windowStartMs(nowMs);
  const buckets = new Map(tally.buckets);
  const counted = new Map(tally.counted);
  for (const purchase of purchases) {
    const startsAtMs = bucketStartMs(purchase.decidedAtMs);
    if (startsAtMs < oldestMs || counted.has(purchase.purchaseId)) continue;
    counted.set(purchase.purchaseId, startsAtMs);
    const counts = buckets.get(startsAtMs) ?? { succeeded: 0, failed: 0 };
    buckets.set(
      startsAtMs,
      purchase.status === 'SUCCEEDED' ? { ...counts, succeeded: counts.succeeded + 1 } : { ...counts, failed: counts.failed + 1 },
    );
  }
  return pruneTally({ buckets, counted }, nowMs);
}

// Buckets (and remembered ids) that slid out of the window are forgotten, which bounds both maps.
export function pruneTally(tally: Tally, nowMs: number): Tally {
  const oldestMs = windowStartMs(nowMs);
  const isStale = (startsAtMs: number) => startsAtMs < oldestMs;
  if (![...tally.buckets.keys()].some(isStale) && ![...tally.counted.values()].some(isStale)) return tally;
  return {
    buckets: new Map([...tally.buckets].filter(([startsAtMs]) => !isStale(startsAtMs))),
    counted: new Map([...tally.counted].filter(([, startsAtMs]) => !isStale(startsAtMs))),
  };
}

// Every bucket of the window, oldest first, the empty ones included, the current (still filling) one last.
export function windowBuckets(tally: Tally, nowMs: number): ChartBucket[] {
  const oldestMs = windowStartMs(nowMs);
  return Array.from({ length: chartBucketCount }, (_, index) => {
    const startsAtMs = oldestMs + index * bucketMs;
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
