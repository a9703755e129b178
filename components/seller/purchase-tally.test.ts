// Goal: the chart's tally buckets results like GET /api/stats, counts a repeated result once, and slides its window.
import { describe, expect, it } from 'vitest';
import {
  bucketMs,
  chartBucketCount,
  emptyTally,
  niceScale,
  recordPurchases,
  sumBuckets,
  tallyFromStats,
  windowBuckets,
  type DecidedPurchase,
} from './purchase-tally';

const nowMs = Date.parse('2026-11-26T10:05:07.000Z');
const succeeded = (purchaseId: string, decidedAt: string): DecidedPurchase => ({ purchaseId, status: 'SUCCEEDED', decidedAtMs: Date.parse(decidedAt) });
const failed = (purchaseId: string, decidedAt: string): DecidedPurchase => ({ purchaseId, status: 'FAILED', decidedAtMs: Date.parse(decidedAt) });

describe('recording live results', () => {
  it('puts each result in the 10-second bucket of its decidedAt', () => {
    const tally = recordPurchases(emptyTally, [succeeded('a', '2026-11-26T10:05:01.900Z'), failed('b', '2026-11-26T10:05:09.999Z'), succeeded('c', '2026-11-26T10:04:59.999Z')], nowMs);

    expect(tally.buckets.get(Date.parse('2026-11-26T10:05:00Z'))).toEqual({ succeeded: 1, failed: 1 });
    expect(tally.buckets.get(Date.parse('2026-11-26T10:04:50Z'))).toEqual({ succeeded: 1, failed: 0 });
  });

  it('counts a re-published result once', () => {
    const once = recordPurchases(emptyTally, [succeeded('a', '2026-11-26T10:05:01Z')], nowMs);

    const twice = recordPurchases(once, [succeeded('a', '2026-11-26T10:05:01Z')], nowMs);

    expect(sumBuckets([...twice.buckets.values()])).toEqual({ succeeded: 1, failed: 0 });
  });

  it('ignores results older than the window', () => {
    const tally = recordPurchases(emptyTally, [succeeded('old', '2026-11-26T10:00:09Z')], nowMs);

    expect(tally.buckets.size).toBe(0);
    expect(tally.counted.size).toBe(0);
  });
});

describe('the window', () => {
  it('has 30 buckets, oldest first, ending with the current one, empty ones included', () => {
    const buckets = windowBuckets(recordPurchases(emptyTally, [failed('a', '2026-11-26T10:05:03Z')], nowMs), nowMs);

    expect(buckets).toHaveLength(chartBucketCount);
    expect(buckets[0]?.startsAtMs).toBe(Date.parse('2026-11-26T10:00:10Z'));
    expect(buckets.at(-1)).toEqual({ startsAtMs: Date.parse('2026-11-26T10:05:00Z'), succeeded: 0, failed: 1 });
    expect(buckets.every((bucket, index) => index === 0 || bucket.startsAtMs - (buckets[index - 1]?.startsAtMs ?? 0) === bucketMs)).toBe(true);
  });

  it('drops buckets and remembered ids once they slide out', () => {
    const tally = recordPurchases(emptyTally, [succeeded('a', '2026-11-26T10:00:25Z')], nowMs);

    const later = recordPurchases(tally, [], nowMs + 20_000);

    expect(later.buckets.size).toBe(0);
    expect(later.counted.size).toBe(0);
  });
});

describe('snapshots from GET /api/stats', () => {
  it('replace the counts but remember the ids already counted', () => {
    const live = recordPurchases(emptyTally, [succeeded('a', '2026-11-26T10:05:01Z')], nowMs);

    const snapshot = tallyFromStats([{ startsAt: '2026-11-26T10:05:00.000Z', succeeded: 4, failed: 2 }], live);
    const repeated = recordPurchases(snapshot, [succeeded('a', '2026-11-26T10:05:01Z')], nowMs);

    expect(repeated.buckets.get(Date.parse('2026-11-26T10:05:00Z'))).toEqual({ succeeded: 4, failed: 2 });
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
