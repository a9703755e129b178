// The shop-wide reads that need no table of their own: the currency every price is in, and the window of the
// seller's chart. Pure: the web process passes in its config and the time.
import type { Shop, StatsRange } from './contract';
import { limits } from './limits';

// Intl knows each ISO 4217 currency's minor unit (2 for EUR, 0 for JPY, 3 for BHD): prices are integers of it.
export function shopOf(currency: string): Shop {
  const { maximumFractionDigits } = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions();
  return { currency, currencyMinorDigits: maximumFractionDigits ?? 2 };
}

export type StatsWindow = { range: StatsRange; bucketSeconds: number; from: Date };

// The chart spans `from` to now, so its scale follows the window rather than the oldest burst in it.
export function statsWindow(range: StatsRange, nowMs: number): StatsWindow {
  const { minutes, bucketSeconds } = limits.statsRanges[range];
  return { range, bucketSeconds, from: new Date(nowMs - minutes * 60_000) };
}
