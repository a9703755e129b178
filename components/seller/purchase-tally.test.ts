// Goal: the chart's tally buckets results like GET /api/stats for each range, counts a repeated result once, slides its window, and scales to what is visible.
import { describe, expect, it } from 'vitest';
import {
  axisLabelEveryMs,
  chartRangeOf,
  emptyTally,
  niceScale,
  recordPurchases,
  scaleOf,
  sumBuckets,
  tallyFromStats,
  windowBuckets,
  type DecidedPurchase,
} from './purchase-tally';

const nowMs = Date.parse('2026-11-26T10:05:07.000Z');
const fiveMinutes = chartRangeOf('5m');
const hour = chartRangeOf('1h');
const day = chartRangeOf('24h');
const succeeded = (purchaseId: string, decidedAt: string): DecidedPurchase => ({ purchaseId, status: 'SUCCEEDED', decidedAtMs: Date.parse(decidedAt) });
const failed = (purchaseId: string, decidedAt: string): DecidedPurchase => ({ purchaseId, status: 'FAILED', decidedAtMs: Date.parse(decidedAt) });

describe('the ranges', () => {
  it('have the buckets of GET /api/stats: 30 × 10 s, 60 × 1 min, 96 × 15 min', () => {
    expect([fiveMinutes, hour, day].map((chart) => [chart.bucketMs, chart.bucketCount])).toEqual([
      [10_000, 30],
      [60_000, 60],
      [900_000, 96],
    ]);
    expect([fiveMinutes, hour, day].map(axisLabelEveryMs)).toEqual([60_000, 600_000, 10_800_000]);
  });
});

describe('recording live results', () => {
  it('puts each result in the 10-second bucket of its decidedAt', () => {
    const tally = recordPurchases(emptyTally(fiveMinutes), [succeeded('a', '2026-11-26T10:05:01.900Z'), failed('b', '2026-11-26T10:05:09.999Z'), succeeded('c', '2026-11-26T10:04:59.999Z')], nowMs);

    expect(tally.buckets.get(Date.parse('2026-11-26T10:05:00Z'))).toEqual({ succeeded: 1, failed: 1 });
    expect(tally.buckets.get(Date.parse('2026-11-26T10:04:50Z'))).toEqual({ succeeded: 1, failed: 0 });
  });

  it('puts results in quarter hours over a day', () => {
    const tally = recordPurchases(emptyTally(day), [succeeded('a', '2026-11-26T10:05:01Z'), succeeded('b', '2026-11-26T09:59:59Z'), failed('c', '2026-11-26T00:00:00Z')], nowMs);

    expect(tally.buckets.get(Date.parse('2026-11-26T10:00:00Z'))).toEqual({ succeeded: 1, failed: 0 });
    expect(tally.buckets.get(Date.parse('2026-11-26T09:45:00Z'))).toEqual({ succeeded: 1, failed: 0 });
    expect(tally.buckets.get(Date.parse('2026-11-26T00:00:00Z'))).toEqual({ succeeded: 0, failed: 1 });
  });

  it('counts a re-published result once', () => {
    const once = recordPurchases(emptyTally(fiveMinutes), [succeeded('a', '2026-11-26T10:05:01Z')], nowMs);

    const twice = recordPurchases(once, [succeeded('a', '2026-11-26T10:05:01Z')], nowMs);

    expect(sumBuckets([...twice.buckets.values()])).toEqual({ succeeded: 1, failed: 0 });
  });

  it('ignores results older than the window', () => {
    const tally = recordPurchases(emptyTally(fiveMinutes), [succeeded('old', '2026-11-26T10:00:09Z')], nowMs);

    expect(tally.buckets.size).toBe(0);
    expect(tally.counted.size).toBe(0);
  });
});

describe('the window', () => {
  it('has 30 buckets, oldest first, ending with the current one, empty ones included', () => {
    const buckets = windowBuckets(recordPurchases(emptyTally(fiveMinutes), [failed('a', '2026-11-26T10:05:03Z')], nowMs), nowMs);

    expect(buckets).toHaveLength(30);
    expect(buckets[0]?.startsAtMs).toBe(Date.parse('2026-11-26T10:00:10Z'));
    expect(buckets.at(-1)).toEqual({ startsAtMs: Date.parse('2026-11-26T10:05:00Z'), succeeded: 0, failed: 1 });
    expect(buckets.every((bucket, index) => index === 0 || bucket.startsAtMs - (buckets[index - 1]?.startsAtMs ?? 0) === 10_000)).toBe(true);
  });

  it('over an hour has 60 one-minute buckets ending with the current minute', () => {
    const buckets = windowBuckets(emptyTally(hour), nowMs);

    expect(buckets).toHaveLength(60);
    expect(buckets[0]?.startsAtMs).toBe(Date.parse('2026-11-26T09:06:00Z'));
    expect(buckets.at(-1)?.startsAtMs).toBe(Date.parse('2026-11-26T10:05:00Z'));
  });

  it('drops buckets and remembered ids once they slide out', () => {
    const tally = recordPurchases(emptyTally(fiveMinutes), [succeeded('a', '2026-11-26T10:00:25Z')], nowMs);

    const later = recordPurchases(tally, [], nowMs + 20_000);

    expect(later.buckets.size).toBe(0);
    expect(later.counted.size).toBe(0);
  });
});

describe('snapshots from GET /api/stats', () => {
  it('replace the counts but remember the ids already counted', () => {
    const live = recordPurchases(emptyTally(fiveMinutes), [succeeded('a', '2026-11-26T10:05:01Z')], nowMs);

    const snapshot = tallyFromStats({ range: '5m', buckets: [{ startsAt: '2026-11-26T10:05:00.000Z', succeeded: 4, failed: 2 }] }, live, nowMs);
    const repeated = recordPurchases(snapshot, [succeeded('a', '2026-11-26T10:05:01Z')], nowMs);

    expect(repeated.buckets.get(Date.parse('2026-11-26T10:05:00Z'))).toEqual({ succeeded: 4, failed: 2 });
  });

  it('leave out buckets before the window, so an old burst does not set the scale', () => {
    const snapshot = tallyFromStats(
      {
        range: '5m',
        buckets: [
          { startsAt: '2026-11-26T09:58:00.000Z', succeeded: 900, failed: 100 },
          { startsAt: '2026-11-26T10:04:00.000Z', succeeded: 3, failed: 1 },
        ],
      },
      emptyTally(fiveMinutes),
      nowMs,
    );

    const buckets = windowBuckets(snapshot, nowMs);
    expect(sumBuckets(buckets)).toEqual({ succeeded: 3, failed: 1 });
    expect(scaleOf(buckets)).toEqual({ top: 4, step: 1 });
  });

  it('of another range than the shown one (an answer after the seller switched) are ignored', () => {
    const shown = emptyTally(hour);

    expect(tallyFromStats({ range: '5m', buckets: [{ startsAt: '2026-11-26T10:05:00.000Z', succeeded: 4, failed: 2 }] }, shown, nowMs)).toBe(shown);
  });
});

describe('the y axis', () => {
  it.each([
    [0, 4, 1],
    [4, 4, 1],
    [5, 8, 2],
    [9, 12, 3],
    [40, 40, 10],
    [41, 80, 20],
    [1234, 2000, 500],
  ])('for a highest bar of %i tops out at %i in steps of %i', (valueMax, top, step) => {
    expect(niceScale(valueMax)).toEqual({ top, step });
  });
});
