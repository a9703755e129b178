// Goal: the shop's currency digits come from Intl for currencies with 0, 2 and 3 minor digits, and each chart range spans its window in its buckets.
import { describe, expect, it } from 'vitest';
import { limits } from './limits';
import { shopOf, statsWindow } from './shop';

describe('shopOf', () => {
  it.each([
    ['EUR', 2],
    ['USD', 2],
    ['JPY', 0],
    ['BHD', 3],
  ])('%s has %i minor digits', (currency, digits) => {
    expect(shopOf(currency)).toEqual({ currency, currencyMinorDigits: digits });
  });
});

describe('statsWindow', () => {
  const now = Date.parse('2026-12-01T12:00:00.000Z');
  it.each([
    ['5m', 10, '2026-12-01T11:55:00.000Z'],
    ['1h', 60, '2026-12-01T11:00:00.000Z'],
    ['24h', 900, '2026-11-30T12:00:00.000Z'],
  ] as const)('%s: %i-second buckets from %s', (range, bucketSeconds, from) => {
    const window = statsWindow(range, now);
    expect(window).toEqual({ range, bucketSeconds, from: new Date(from) });
    expect(bucketSeconds).toBe(limits.statsRanges[range].bucketSeconds);
  });
});
