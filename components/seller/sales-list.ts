// The seller's recent sales, without React: GET /api/sales snapshots and live purchase.finished results merge
// into one list, newest decision first, one row per purchase. A purchase only ever moves from SUCCEEDED to
// REFUNDED, never back, so of two views of one purchase the refunded one wins, whatever order they came in.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import type { PurchaseResult } from '../../server/contract';

// A row of the list: a succeeded or refunded purchase (failed ones were never sales).
export type Sale = Extract<PurchaseResult, { status: 'SUCCEEDED' | 'REFUNDED' }>;

export function isSale(result: PurchaseResult): result is Sale {
  return result.status === 'SUCCEEDED' || result.status === 'REFUNDED';
}

export function mergeSales(known: readonly Sale[], incoming: readonly PurchaseResult[], shownMax: number): Sale[] {
  const byId = new Map(known.map((sale) => [sale.purchaseId, sale]));
  for (const result of incoming) {
    if (!isSale(result)) continue;
    const seen = byId.get(result.purchaseId);
    if (seen?.status === 'REFUNDED' && result.status === 'SUCCEEDED') continue;
    byId.set(result.purchaseId, result);
  }
  return [...byId.values()].sort(newestFirst).slice(0, shownMax);
}

// Newest decision first, like GET /api/sales; a refund keeps its purchase's decidedAt, so it keeps its place.
function newestFirst(left: Sale, right: Sale): number {
  if (left.decidedAt !== right.decidedAt) return left.decidedAt < right.decidedAt ? 1 : -1;
  return left.purchaseId < right.purchaseId ? -1 : left.purchaseId > right.purchaseId ? 1 : 0;
}
